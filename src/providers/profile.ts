// profile: a program run at a rate on every online CPU (`profile:hz:99`, `profile:ms:10`), sampling
// whatever each CPU is running — the basis of CPU flame graphs.
import { attachProfile } from '../kernel/links/perf-event-link.js';
import type { Link } from '../kernel/links/link.js';
import type { Sys } from '../sys/index.js';
import { TimerProvider, type TimerRate } from './timer.js';

export class ProfileProvider extends TimerProvider {
  readonly name = 'profile';
  readonly aliases = ['p'];

  protected attachTimer(sys: Sys, programFd: number, rate: TimerRate): Link {
    return attachProfile(sys, { fd: programFd }, rate.unit, rate.count);
  }
}
