// hardware: CPU performance counters (`hardware:cache-misses:1000000`, `hardware:cycles`), sampled
// per CPU. Machines without a CPU PMU (most virtual machines) fail at attach with the reason.
import { attachHardwareEvent, type Sampling } from '../kernel/links/perf-event-link.js';
import type { Link } from '../kernel/links/link.js';
import type { Sys } from '../sys/index.js';
import type { ProviderEnvironment } from './environment.js';
import { CounterProvider, type CounterEvent } from './perf-counter.js';

/** bpftrace's hardware events, aliases and default periods. */
export const HARDWARE_COUNTERS: readonly CounterEvent[] = [
  { name: 'backend-stalls', defaultPeriod: 1_000_000 },
  { name: 'branch-instructions', alias: 'branches', defaultPeriod: 100_000 },
  { name: 'branch-misses', defaultPeriod: 100_000 },
  { name: 'bus-cycles', defaultPeriod: 100_000 },
  { name: 'cache-misses', defaultPeriod: 1_000_000 },
  { name: 'cache-references', defaultPeriod: 1_000_000 },
  { name: 'cpu-cycles', alias: 'cycles', defaultPeriod: 1_000_000 },
  { name: 'frontend-stalls', defaultPeriod: 1_000_000 },
  { name: 'instructions', defaultPeriod: 1_000_000 },
  { name: 'ref-cycles', defaultPeriod: 1_000_000 },
];

export class HardwareProvider extends CounterProvider {
  readonly name = 'hardware';
  readonly aliases = ['h'];

  constructor(env: ProviderEnvironment) {
    super(env, HARDWARE_COUNTERS);
  }

  protected attachCounter(sys: Sys, programFd: number, event: string, sampling: Sampling): Link {
    return attachHardwareEvent(sys, { fd: programFd }, event, sampling);
  }
}
