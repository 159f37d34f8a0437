// interval: a program run once per period on one CPU (`interval:s:1`, `interval:ms:100`,
// `interval:hz:10`, `interval:1s`) — the timer behind periodic printing and clearing of maps.
import { attachInterval } from '../kernel/links/perf-event-link.js';
import type { Link } from '../kernel/links/link.js';
import type { Sys } from '../sys/index.js';
import { TimerProvider, type TimerRate } from './timer.js';

export class IntervalProvider extends TimerProvider {
  readonly name = 'interval';
  readonly aliases = ['i'];

  protected attachTimer(sys: Sys, programFd: number, rate: TimerRate): Link {
    return attachInterval(sys, { fd: programFd }, rate.unit, rate.count);
  }
}
