// fentry and fexit (older spellings kfunc and kretfunc): entry to and return from a kernel function
// through a BPF trampoline (`fentry:vfs_read`, `fexit:vfs_*`). The function's BTF prototype types
// `args` (and fexit's `retval`); each program is loaded against one function's BTF id, so programs
// are never shared between functions. Kernels whose policy refuses trampolines (this project's CI
// machines) fail at load time, and `explainLoadError` says why.
import type { AttachPoint } from '../lang/index.js';
import type { Btf } from '../btf/index.js';
import { attachFentry, explainFentryLoadError, fentryAttachType, type FentryKind } from '../kernel/links/fentry-link.js';
import type { Link } from '../kernel/links/link.js';
import { ProgramType } from '../sys/index.js';
import { detailNumber, detailString, expectParts, globMatcher, hasWildcard, readSource, target } from './attach-point.js';
import { btfField, btfNamesOfKind, paramDeclaration, slotArgs } from './btf-args.js';
import type { ProviderEnvironment } from './environment.js';
import {
  ProbeError, type AttachingProvider, type ContextModel, type ListedProbe, type ListOptions,
  type ProbeTarget, type ProgramKind,
} from './provider.js';

/** Functions of the kernel image; loadable modules' BTF is not read. */
const KERNEL_MODULE = 'vmlinux';

export class FentryProvider implements AttachingProvider {
  readonly aliases: readonly string[];
  readonly listing: 'kernel' | 'none';

  constructor(
    private readonly env: ProviderEnvironment,
    readonly name: FentryKind,
  ) {
    this.aliases = name === 'fentry' ? ['f', 'kfunc'] : ['fr', 'kretfunc'];
    // As in bpftrace, `-l` lists fentry:… lines only; each is an fexit too.
    this.listing = name === 'fentry' ? 'kernel' : 'none';
  }

  /** `FUNCTION` or `MODULE:FUNCTION`; the function may hold wildcards. */
  expand(point: AttachPoint): ProbeTarget[] {
    expectParts(point, 1, 2, `${this.name}:FUNCTION`);
    const withModule = point.parts.length === 2;
    if (withModule && !globMatcher(point.parts[0])(KERNEL_MODULE)) {
      throw new ProbeError(
        `${point.raw}: ${this.name} probes on module '${point.parts[0]}' are not supported`,
        `only the kernel's own functions (${KERNEL_MODULE}) are; write ${this.name}:FUNCTION`,
      );
    }
    const pattern = point.parts[point.parts.length - 1];
    const btf = readSource(point, () => this.env.btf());
    const names = this.matching(btf, pattern).sort();
    if (names.length === 0) {
      throw new ProbeError(
        `${this.name} target not found: kernel function '${pattern}' has no BTF`,
        `list the functions with: bpfscope -l 'fentry:*${pattern.replace(/[*?]/g, '')}*'`,
      );
    }
    const prefix = withModule ? `${this.name}:${KERNEL_MODULE}:` : `${this.name}:`;
    return names.map((name) => {
      const func = btf.findFunction(name);
      if (func === undefined) throw new Error(`BTF lists function ${name} but cannot find it`);
      return target(this.name, `${prefix}${name}`, { function: name, btfId: func.id });
    });
  }

  programKind(probe: ProbeTarget): ProgramKind {
    return {
      programType: ProgramType.TRACING,
      expectedAttachType: fentryAttachType(this.name),
      attachBtfId: detailNumber(probe, 'btfId'),
    };
  }

  context(probe: ProbeTarget): ContextModel {
    const btf = this.env.btf();
    const prototype = btf.functionPrototype(detailString(probe, 'function'));
    const { args, slots } = slotArgs(btf, prototype.params);
    if (this.name === 'fentry') return { args, userSpace: false };
    // fexit sees the arguments and, in the slot after them, the return value.
    const retvalOffset = slots * 8;
    if (prototype.returnType === 0) return { args, retvalOffset, userSpace: false };
    return { args, retvalOffset, retvalField: btfField(btf, 'retval', prototype.returnType, retvalOffset), userSpace: false };
  }

  /** One program per function: the kernel binds each to its function's BTF id at load. */
  shareKey(probe: ProbeTarget): string {
    return `${this.name}:${detailString(probe, 'function')}`;
  }

  attach(programFd: number, probe: ProbeTarget): Link {
    return attachFentry(this.env.sys(), { fd: programFd }, this.name, detailString(probe, 'function'));
  }

  explainLoadError(probe: ProbeTarget, error: unknown): unknown {
    return explainFentryLoadError(this.name, detailString(probe, 'function'), error);
  }

  list(parts: readonly string[], options: ListOptions): ListedProbe[] {
    const module = parts.length >= 2 ? parts[0] : '*';
    if (!globMatcher(module)(KERNEL_MODULE)) return [];
    const btf = this.env.btf();
    return this.matching(btf, parts[parts.length - 1] ?? '*').sort().map((name) => {
      const listed = `${this.name}:${name}`;
      if (!options.verbose) return { name: listed };
      const prototype = btf.functionPrototype(name);
      const details = prototype.params.map((param) => paramDeclaration(btf, param.name, param.type));
      if (this.name === 'fexit' && prototype.returnType !== 0) details.push(paramDeclaration(btf, 'retval', prototype.returnType));
      return { name: listed, details };
    });
  }

  /** Function names with BTF, each once (static functions may share a name). */
  private matching(btf: Btf, pattern: string): string[] {
    if (!hasWildcard(pattern)) return btf.findFunction(pattern) === undefined ? [] : [pattern];
    return [...new Set(btfNamesOfKind(btf, 'func'))].filter(globMatcher(pattern));
  }
}
