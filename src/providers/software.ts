// software: kernel software counters (`software:page-faults:100`, `software:cs`), sampled per CPU.
import { attachSoftwareEvent, type Sampling } from '../kernel/links/perf-event-link.js';
import type { Link } from '../kernel/links/link.js';
import type { Sys } from '../sys/index.js';
import type { ProviderEnvironment } from './environment.js';
import { CounterProvider, type CounterEvent } from './perf-counter.js';

/** bpftrace's software events, aliases and default periods. */
export const SOFTWARE_COUNTERS: readonly CounterEvent[] = [
  { name: 'alignment-faults', defaultPeriod: 1 },
  { name: 'bpf-output', defaultPeriod: 1 },
  { name: 'context-switches', alias: 'cs', defaultPeriod: 1000 },
  { name: 'cpu-clock', alias: 'cpu', defaultPeriod: 1_000_000 },
  { name: 'cpu-migrations', defaultPeriod: 1 },
  { name: 'dummy', defaultPeriod: 1 },
  { name: 'emulation-faults', defaultPeriod: 1 },
  { name: 'major-faults', defaultPeriod: 1 },
  { name: 'minor-faults', defaultPeriod: 100 },
  { name: 'page-faults', alias: 'faults', defaultPeriod: 100 },
  { name: 'task-clock', defaultPeriod: 1 },
];

export class SoftwareProvider extends CounterProvider {
  readonly name = 'software';
  readonly aliases = ['s'];

  constructor(env: ProviderEnvironment) {
    super(env, SOFTWARE_COUNTERS);
  }

  protected attachCounter(sys: Sys, programFd: number, event: string, sampling: Sampling): Link {
    return attachSoftwareEvent(sys, { fd: programFd }, event, sampling);
  }
}
