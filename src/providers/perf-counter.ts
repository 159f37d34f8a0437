// What software and hardware probes share: a program run every PERIOD occurrences of a counted
// event (`software:page-faults:100`, `hardware:cache-misses:1e6`) on every CPU. Event names, their
// short aliases and the default periods are bpftrace's, so scripts count at the same rates.
import type { AttachPoint } from '../lang/index.js';
import type { Link } from '../kernel/links/link.js';
import type { Sampling } from '../kernel/links/perf-event-link.js';
import { ProgramType, type Sys } from '../sys/index.js';
import { detailNumber, detailString, expectParts, globMatcher, hasWildcard, parsePositive, target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import { PERF_EVENT_CONTEXT } from './registers.js';
import {
  ProbeError, type AttachingProvider, type ContextModel, type ListedProbe, type ProbeTarget, type ProgramKind,
} from './provider.js';

export interface CounterEvent {
  /** The perf name, as `perf list` shows it. */
  readonly name: string;
  readonly alias?: string;
  /** Sample every this many events when the script gives no period. */
  readonly defaultPeriod: number;
}

export abstract class CounterProvider implements AttachingProvider {
  abstract readonly name: string;
  abstract readonly aliases: readonly string[];
  readonly listing = 'kernel';

  constructor(
    protected readonly env: ProviderEnvironment,
    readonly events: readonly CounterEvent[],
  ) {}

  /**
   * `EVENT` or `EVENT:PERIOD` (`*` as the period means the default). A wildcard event matches perf
   * names only, so `software:*` attaches each event once rather than once more per alias.
   */
  expand(point: AttachPoint): ProbeTarget[] {
    expectParts(point, 1, 2, `${this.name}:EVENT[:PERIOD]`);
    const [event, periodText] = point.parts;
    const period = periodText === undefined || periodText === '*' ? undefined : Number(parsePositive(point, periodText, 'period'));
    const matches = hasWildcard(event)
      ? this.events.filter((known) => globMatcher(event)(known.name))
      : this.events.filter((known) => known.name === event || known.alias === event);
    if (matches.length === 0) {
      throw new ProbeError(
        `${point.raw}: unknown ${this.name} event '${event}'`,
        `known events: ${this.events.flatMap((known) => (known.alias ? [known.name, known.alias] : [known.name])).join(', ')}`,
      );
    }
    return matches.map((known) => {
      // bpftrace keeps the spelling the script used (`software:faults:1`) and omits a default period.
      const spelled = hasWildcard(event) ? known.name : event;
      const name = period === undefined ? `${this.name}:${spelled}` : `${this.name}:${spelled}:${period}`;
      return target(this.name, name, { event: known.name, period: period ?? known.defaultPeriod });
    });
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
    const sampling: Sampling = { period: detailNumber(probe, 'period') };
    return this.attachCounter(this.env.sys(), programFd, detailString(probe, 'event'), sampling);
  }

  /** bpftrace's format: every name and alias as `software:NAME:`, the trailing colon for the period. */
  list(parts: readonly string[]): ListedProbe[] {
    const matches = globMatcher(parts[0] ?? '*');
    return this.events
      .flatMap((known) => (known.alias ? [known.name, known.alias] : [known.name]))
      .filter(matches)
      .map((name) => `${this.name}:${name}:`)
      .sort()
      .map((name) => ({ name }));
  }

  protected abstract attachCounter(sys: Sys, programFd: number, event: string, sampling: Sampling): Link;
}
