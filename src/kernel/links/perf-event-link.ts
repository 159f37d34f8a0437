// Sampling perf events: software and hardware events, `profile:` (a cpu-clock sampler on every CPU)
// and `interval:` (a cpu-clock timer on one CPU). Each runs a PERF_EVENT program per sample.
import { readFileSync } from 'node:fs';
import { isErrno, perfEventOpen, PerfHardwareEvent, PerfSoftwareEvent, PerfType, type Sys } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { attachToPerfEvent } from './perf-attach.js';
import { FdLink, closeQuietly, type Link, type ProgramRef } from './link.js';
import { hasCpuPmu } from './pmu.js';

/** Sample every `period` events (nanoseconds for the clocks), or `frequency` times a second. */
export type Sampling = { period: bigint | number } | { frequency: number };

/** Event names and aliases as the language spells them (`software:faults:100`). */
export const SOFTWARE_EVENTS: Readonly<Record<string, number>> = {
  'cpu-clock': PerfSoftwareEvent.CPU_CLOCK,
  cpu: PerfSoftwareEvent.CPU_CLOCK,
  'task-clock': PerfSoftwareEvent.TASK_CLOCK,
  'page-faults': PerfSoftwareEvent.PAGE_FAULTS,
  faults: PerfSoftwareEvent.PAGE_FAULTS,
  'context-switches': PerfSoftwareEvent.CONTEXT_SWITCHES,
  cs: PerfSoftwareEvent.CONTEXT_SWITCHES,
  'cpu-migrations': PerfSoftwareEvent.CPU_MIGRATIONS,
  'minor-faults': PerfSoftwareEvent.PAGE_FAULTS_MIN,
  'major-faults': PerfSoftwareEvent.PAGE_FAULTS_MAJ,
  'alignment-faults': PerfSoftwareEvent.ALIGNMENT_FAULTS,
  'emulation-faults': PerfSoftwareEvent.EMULATION_FAULTS,
  dummy: PerfSoftwareEvent.DUMMY,
  'bpf-output': PerfSoftwareEvent.BPF_OUTPUT,
};

export const HARDWARE_EVENTS: Readonly<Record<string, number>> = {
  'cpu-cycles': PerfHardwareEvent.CPU_CYCLES,
  cycles: PerfHardwareEvent.CPU_CYCLES,
  instructions: PerfHardwareEvent.INSTRUCTIONS,
  'cache-references': PerfHardwareEvent.CACHE_REFERENCES,
  'cache-misses': PerfHardwareEvent.CACHE_MISSES,
  'branch-instructions': PerfHardwareEvent.BRANCH_INSTRUCTIONS,
  branches: PerfHardwareEvent.BRANCH_INSTRUCTIONS,
  'branch-misses': PerfHardwareEvent.BRANCH_MISSES,
  'bus-cycles': PerfHardwareEvent.BUS_CYCLES,
  'frontend-stalls': PerfHardwareEvent.STALLED_CYCLES_FRONTEND,
  'backend-stalls': PerfHardwareEvent.STALLED_CYCLES_BACKEND,
  'ref-cycles': PerfHardwareEvent.REF_CPU_CYCLES,
};

export const NO_CPU_PMU = 'hardware events are unavailable: this machine has no CPU PMU (virtual machine?)';

export type TimerUnit = 'hz' | 's' | 'ms' | 'us' | 'ns';
const NANOSECONDS: Record<Exclude<TimerUnit, 'hz'>, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };

export interface PerfEventOptions {
  /** The CPUs to sample on; default every online CPU. */
  cpus?: readonly number[];
}

export function attachSoftwareEvent(
  sys: Sys, program: ProgramRef, event: string, sampling: Sampling, options: PerfEventOptions = {},
): Link {
  const config = lookup(SOFTWARE_EVENTS, 'software', event);
  const description = `software:${event}:${samplingText(sampling)}`;
  return attachSampler(sys, program, description, PerfType.SOFTWARE, config, sampling, options.cpus ?? onlineCpus());
}

export function attachHardwareEvent(
  sys: Sys, program: ProgramRef, event: string, sampling: Sampling, options: PerfEventOptions = {},
): Link {
  const config = lookup(HARDWARE_EVENTS, 'hardware', event);
  const description = `hardware:${event}:${samplingText(sampling)}`;
  try {
    return attachSampler(sys, program, description, PerfType.HARDWARE, config, sampling, options.cpus ?? onlineCpus());
  } catch (error) {
    if (!(isErrno(error, 'ENOENT') || isErrno(error, 'EOPNOTSUPP') || isErrno(error, 'ENODEV'))) throw error;
    if (!hasCpuPmu()) throw new UnsupportedFeatureError(description, NO_CPU_PMU, undefined, { cause: error });
    throw error.withHint(`the CPU's PMU does not count ${event}`);
  }
}

/** `profile:hz:99` and friends: cpu-clock samples on every online CPU. */
export function attachProfile(
  sys: Sys, program: ProgramRef, unit: TimerUnit, count: number, options: PerfEventOptions = {},
): Link {
  const cpus = options.cpus ?? onlineCpus();
  return attachSampler(
    sys, program, `profile:${unit}:${count}`, PerfType.SOFTWARE, PerfSoftwareEvent.CPU_CLOCK, timer(unit, count), cpus,
  );
}

/**
 * `interval:ms:100` and friends: one timer for the whole machine, so the program runs once per
 * period rather than once per CPU. It runs on the first online CPU.
 */
export function attachInterval(sys: Sys, program: ProgramRef, unit: TimerUnit, count: number): Link {
  const cpus = onlineCpus().slice(0, 1);
  return attachSampler(
    sys, program, `interval:${unit}:${count}`, PerfType.SOFTWARE, PerfSoftwareEvent.CPU_CLOCK, timer(unit, count), cpus,
  );
}

/** The online CPUs from /sys/devices/system/cpu/online ("0-3,6"). */
export function onlineCpus(text = readFileSync('/sys/devices/system/cpu/online', 'utf8')): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) throw new Error(`malformed CPU list "${text.trim()}"`);
    for (let cpu = Number(match[1]); cpu <= Number(match[2] ?? match[1]); cpu++) cpus.push(cpu);
  }
  return cpus;
}

function timer(unit: TimerUnit, count: number): Sampling {
  if (!Number.isInteger(count) || count <= 0) throw new Error(`a timer needs a positive whole count, not ${count}`);
  return unit === 'hz' ? { frequency: count } : { period: BigInt(count) * NANOSECONDS[unit] };
}

/** One perf event per CPU, each with the program attached; all or nothing. */
function attachSampler(
  sys: Sys, program: ProgramRef, description: string, type: number, config: number, sampling: Sampling,
  cpus: readonly number[],
): Link {
  const rate = 'frequency' in sampling ? { sampleFrequency: sampling.frequency } : { samplePeriod: sampling.period };
  const perfFds: number[] = [];
  const held: number[] = [];
  try {
    for (const cpu of cpus) {
      const perfFd = perfEventOpen(sys, { type, config, ...rate, disabled: true }, { pid: -1, cpu });
      perfFds.push(perfFd);
      held.push(...attachToPerfEvent(sys, perfFd, program.fd));
    }
  } catch (error) {
    closeQuietly(sys, [...held, ...perfFds]);
    throw error;
  }
  return new FdLink(sys, 'perf_event', description, [...held, ...perfFds], [], held.length);
}

function lookup(table: Readonly<Record<string, number>>, family: string, event: string): number {
  const config = table[event];
  if (config === undefined) {
    throw new Error(`unknown ${family} event '${event}'; known: ${Object.keys(table).join(', ')}`);
  }
  return config;
}

function samplingText(sampling: Sampling): string {
  return 'frequency' in sampling ? `hz:${sampling.frequency}` : String(sampling.period);
}
