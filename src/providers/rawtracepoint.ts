// rawtracepoint: a tracepoint's arguments as the kernel passes them to the trace call, before any
// record is built (`rawtracepoint:sched_switch`), without the perf-event path a tracepoint takes.
//
// Program type: RAW_TRACEPOINT (Linux 4.17), not tp_btf. Both receive the arguments as u64 slots, so
// the `args` typed from the `btf_trace_<name>` prototype sit at the same offsets either way; a raw
// tracepoint needs no BTF id at load time and attaches by name, and the compiler reads through the
// pointers with probe_read_kernel, which a tp_btf program would let it skip. Names come from BTF.
import type { AttachPoint } from '../lang/index.js';
import type { Btf } from '../btf/index.js';
import { attachRawTracepoint } from '../kernel/links/raw-tracepoint-link.js';
import type { Link } from '../kernel/links/link.js';
import { ProgramType } from '../sys/index.js';
import { argsKey, detailString, expectParts, globMatcher, hasWildcard, readSource, target } from './attach-point.js';
import { btfNamesOfKind, paramDeclaration, slotArgs } from './btf-args.js';
import type { ProviderEnvironment } from './environment.js';
import {
  ProbeError, type AttachingProvider, type ContextModel, type ContextUse, type ListedProbe, type ListOptions, type ProbeTarget,
  type ProgramKind,
} from './provider.js';

const TYPEDEF_PREFIX = 'btf_trace_';
/** Tracepoints of the kernel image itself; loadable modules' BTF is not read. */
const KERNEL_MODULE = 'vmlinux';

export class RawTracepointProvider implements AttachingProvider {
  readonly name = 'rawtracepoint';
  readonly aliases = ['rt'];
  readonly listing = 'kernel';

  constructor(private readonly env: ProviderEnvironment) {}

  /** `NAME` or `MODULE:NAME` (bpftrace 0.21+); the name may hold wildcards. */
  expand(point: AttachPoint): ProbeTarget[] {
    expectParts(point, 1, 2, 'rawtracepoint:NAME');
    const withModule = point.parts.length === 2;
    const pattern = point.parts[point.parts.length - 1];
    if (withModule) checkModule(point, point.parts[0]);
    const names = readSource(point, () => this.matching(pattern)).sort();
    if (names.length === 0) {
      throw new ProbeError(`rawtracepoint not found: ${pattern}`, "list them with: bpfscope -l 'rawtracepoint:*'");
    }
    const prefix = withModule ? `rawtracepoint:${KERNEL_MODULE}:` : 'rawtracepoint:';
    return names.map((name) => target(this.name, `${prefix}${name}`, { tracepoint: name }));
  }

  programKind(): ProgramKind {
    return { programType: ProgramType.RAW_TRACEPOINT };
  }

  context(probe: ProbeTarget): ContextModel {
    const btf = this.env.btf();
    const params = btf.findTracepointType(detailString(probe, 'tracepoint')) ?? [];
    return { args: slotArgs(btf, params).args, argOffset: (index) => index * 8, userSpace: false };
  }

  shareKey(probe: ProbeTarget, use: ContextUse): string {
    return use.context ? argsKey(this.name, this.context(probe).args) : this.name;
  }

  attach(programFd: number, probe: ProbeTarget): Link {
    return attachRawTracepoint(this.env.sys(), { fd: programFd }, detailString(probe, 'tracepoint'));
  }

  list(parts: readonly string[], options: ListOptions): ListedProbe[] {
    const module = parts.length >= 2 ? parts[0] : '*';
    if (!globMatcher(module)(KERNEL_MODULE)) return [];
    const btf = this.env.btf();
    return this.matching(parts[parts.length - 1] ?? '*').sort().map((name) => {
      const listed = `rawtracepoint:${name}`;
      if (!options.verbose) return { name: listed };
      const params = btf.findTracepointType(name) ?? [];
      return { name: listed, details: params.map((param) => paramDeclaration(btf, param.name, param.type)) };
    });
  }

  private matching(pattern: string): string[] {
    const btf = this.env.btf();
    if (!hasWildcard(pattern)) return btf.findType(`${TYPEDEF_PREFIX}${pattern}`, 'typedef') ? [pattern] : [];
    return tracepointNames(btf).filter(globMatcher(pattern));
  }
}

function tracepointNames(btf: Btf): string[] {
  return btfNamesOfKind(btf, 'typedef')
    .filter((name) => name.startsWith(TYPEDEF_PREFIX))
    .map((name) => name.slice(TYPEDEF_PREFIX.length));
}

function checkModule(point: AttachPoint, module: string): void {
  if (globMatcher(module)(KERNEL_MODULE)) return;
  throw new ProbeError(
    `${point.raw}: rawtracepoints of module '${module}' are not supported`,
    `only the kernel's own tracepoints (${KERNEL_MODULE}) are; write rawtracepoint:NAME`,
  );
}
