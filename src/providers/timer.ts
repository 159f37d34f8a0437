// What interval and profile probes share: both are cpu-clock perf events at a rate written
// `UNIT:COUNT` (`interval:s:1`, `profile:hz:99`) or, as in bpftrace 0.18+, as one duration
// (`interval:100ms`, `profile:1000000` in nanoseconds), which bpftrace turns into microseconds.
import type { AttachPoint } from '../lang/index.js';
import type { Link } from '../kernel/links/link.js';
import type { TimerUnit } from '../kernel/links/perf-event-link.js';
import { ProgramType, type Sys } from '../sys/index.js';
import { detailNumber, detailString, expectParts, parseInteger, parsePositive, target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import { PERF_EVENT_CONTEXT } from './registers.js';
import {
  ProbeError, type AttachingProvider, type ContextModel, type ListedProbe, type ProbeTarget, type ProgramKind,
} from './provider.js';

/** The units bpftrace accepts in `UNIT:COUNT`. */
export const TIMER_UNITS: readonly TimerUnit[] = ['s', 'ms', 'us', 'hz'];

export interface TimerRate {
  readonly unit: TimerUnit;
  readonly count: number;
}

const MIN_DURATION_NS = 1000n;

export function parseTimer(point: AttachPoint): TimerRate {
  const usage = `${point.provider}:UNIT:COUNT (UNIT one of ${TIMER_UNITS.join(', ')}) or ${point.provider}:DURATION`;
  expectParts(point, 1, 2, usage);
  if (point.parts.length === 1) return durationRate(point, point.parts[0], usage);
  const [unit, count] = point.parts;
  if (!isTimerUnit(unit)) {
    throw new ProbeError(`${point.raw}: unknown ${point.provider} unit '${unit}'`, `the unit is one of ${TIMER_UNITS.join(', ')}`);
  }
  return { unit, count: Number(parsePositive(point, count, 'count')) };
}

/** One number: nanoseconds, or a duration with a suffix, rounded down to whole microseconds. */
function durationRate(point: AttachPoint, text: string, usage: string): TimerRate {
  const nanoseconds = parseInteger(text, { durations: true });
  if (nanoseconds === undefined) throw new ProbeError(`${point.raw}: invalid ${point.provider} rate '${text}'`, `write it as ${usage}`);
  if (nanoseconds < MIN_DURATION_NS) {
    throw new ProbeError(`${point.raw}: the ${point.provider} rate is ${nanoseconds} ns; the minimum is 1000 ns (1us)`);
  }
  const microseconds = nanoseconds / 1000n;
  if (microseconds > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProbeError(`${point.raw}: the ${point.provider} rate is too large`);
  return { unit: 'us', count: Number(microseconds) };
}

function isTimerUnit(text: string): text is TimerUnit {
  return (TIMER_UNITS as readonly string[]).includes(text);
}

/** interval and profile differ only in how many CPUs the timer runs on. */
export abstract class TimerProvider implements AttachingProvider {
  abstract readonly name: string;
  abstract readonly aliases: readonly string[];
  readonly listing = 'none';

  constructor(protected readonly env: ProviderEnvironment) {}

  expand(point: AttachPoint): ProbeTarget[] {
    const { unit, count } = parseTimer(point);
    return [target(this.name, `${this.name}:${unit}:${count}`, { unit, count })];
  }

  programKind(): ProgramKind {
    return { programType: ProgramType.PERF_EVENT };
  }

  context(): ContextModel {
    return PERF_EVENT_CONTEXT;
  }

  shareKey(probe: ProbeTarget): string {
    return probe.provider;
  }

  attach(programFd: number, probe: ProbeTarget): Link {
    const unit = detailString(probe, 'unit');
    if (!isTimerUnit(unit)) throw new Error(`probe target ${probe.name} has the unknown unit '${unit}'`);
    return this.attachTimer(this.env.sys(), programFd, { unit, count: detailNumber(probe, 'count') });
  }

  /** Nothing to list: any rate is valid. */
  list(): ListedProbe[] {
    return [];
  }

  protected abstract attachTimer(sys: Sys, programFd: number, rate: TimerRate): Link;
}
