// BEGIN and END: probes that run once, when tracing starts and when it ends. They hook nothing in
// the kernel; the runtime runs their RAW_TRACEPOINT programs itself with BPF_PROG_TEST_RUN, which
// gives them a real program context (helpers, maps, the ring buffer) without any attach point.
import type { AttachPoint } from '../lang/index.js';
import type { Link } from '../kernel/links/link.js';
import { ProgramType } from '../sys/index.js';
import { target } from './attach-point.js';
import { EMPTY_CONTEXT } from './registers.js';
import { ProbeError, type AttachingProvider, type ContextModel, type ListedProbe, type ProbeTarget, type ProgramKind } from './provider.js';

export type SpecialProbe = 'BEGIN' | 'END';

export class SpecialProvider implements AttachingProvider {
  readonly aliases: readonly string[];
  readonly listing = 'none';

  constructor(readonly name: SpecialProbe) {
    // bpftrace 0.17 spells them BEGIN/END; later versions prefer begin/end.
    this.aliases = [name.toLowerCase()];
  }

  /** `BEGIN` takes no arguments (`BEGIN:*` is tolerated, as bpftrace does). */
  expand(point: AttachPoint): ProbeTarget[] {
    const parts = point.parts.length === 1 && point.parts[0] === '*' ? [] : point.parts;
    if (parts.length > 0) {
      throw new ProbeError(`${point.raw}: ${this.name} takes no arguments`, `write it as ${point.provider}`);
    }
    // `probe` prints the spelling the script used, as each bpftrace version prints its own.
    return [target(this.name, point.provider, {})];
  }

  programKind(): ProgramKind {
    return { programType: ProgramType.RAW_TRACEPOINT };
  }

  context(): ContextModel {
    return EMPTY_CONTEXT;
  }

  shareKey(probe: ProbeTarget): string {
    return probe.provider;
  }

  attach(_programFd: number, probe: ProbeTarget): Link {
    throw new Error(`${probe.name} is not attached to anything: the runtime runs it with BPF_PROG_TEST_RUN`);
  }

  list(): ListedProbe[] {
    return [];
  }
}
