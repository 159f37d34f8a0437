// kprobe and kretprobe: entry to (or return from) any kernel function (`kprobe:vfs_read`,
// `kprobe:vfs_*`, `kprobe:do_sys_openat2+16`, `kretprobe:vfs_read`), found in /proc/kallsyms. Kernels
// built without CONFIG_KPROBES (this project's CI machines) expand them and then fail at attach
// with that reason.
import type { AttachPoint } from '../lang/index.js';
import { attachKprobe } from '../kernel/links/kprobe-link.js';
import type { Link } from '../kernel/links/link.js';
import { ProgramType } from '../sys/index.js';
import {
  compareText, detailBigint, detailString, expectParts, globMatcher, hasWildcard, parseInteger, readSource, target,
} from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import { kernelFunctions, type KernelFunction } from './kernel-functions.js';
import { registerContext } from './registers.js';
import {
  ProbeError, type AttachingProvider, type ContextModel, type ListedProbe, type ProbeTarget, type ProgramKind,
} from './provider.js';

export type KprobeKind = 'kprobe' | 'kretprobe';

/** The module name bpftrace gives the kernel image's own functions. */
const KERNEL_IMAGE = 'vmlinux';

export class KprobeProvider implements AttachingProvider {
  readonly aliases: readonly string[];
  readonly listing: 'kernel' | 'none';
  private readonly retprobe: boolean;
  private functions: KernelFunction[] | undefined;

  constructor(
    private readonly env: ProviderEnvironment,
    readonly name: KprobeKind,
  ) {
    this.retprobe = name === 'kretprobe';
    this.aliases = [this.retprobe ? 'kr' : 'k'];
    // As in bpftrace, `-l` lists kprobe:… lines only; each is a kretprobe too.
    this.listing = this.retprobe ? 'none' : 'kernel';
  }

  /** `FUNCTION`, `FUNCTION+OFFSET` or `MODULE:FUNCTION`; the function may hold wildcards. */
  expand(point: AttachPoint): ProbeTarget[] {
    expectParts(point, 1, 2, `${this.name}:FUNCTION`);
    const module = point.parts.length === 2 ? point.parts[0] : undefined;
    const place = point.parts[point.parts.length - 1];
    const functions = readSource(point, () => this.kernelFunctions());
    if (hasWildcard(place)) {
      const matches = matching(functions, module, place).sort((a, b) => compareText(a.name, b.name));
      if (matches.length === 0) throw this.notFound(place);
      return matches.map((found) => this.functionTarget(found, module !== undefined, 0n));
    }
    if (parseInteger(place) !== undefined) {
      throw new ProbeError(`${point.raw}: probing a kernel address is not supported`, `name the function: ${this.name}:FUNCTION`);
    }
    const [name, offsetText, extra] = place.split('+');
    const offset = offsetText === undefined ? 0n : parseInteger(offsetText);
    if (offset === undefined || extra !== undefined) {
      throw new ProbeError(`${point.raw}: invalid function offset in '${place}'`, 'write it as FUNCTION+OFFSET, e.g. vfs_read+16');
    }
    if (offset !== 0n && this.retprobe) {
      throw new ProbeError(`${point.raw}: a kretprobe cannot take an offset`, `attach to the function itself: ${name}`);
    }
    const [found] = matching(functions, module, name);
    if (found === undefined) throw this.notFound(name);
    return [this.functionTarget(found, module !== undefined, offset)];
  }

  programKind(): ProgramKind {
    return { programType: ProgramType.KPROBE };
  }

  context(): ContextModel {
    return registerContext({ retprobe: this.retprobe, userSpace: false });
  }

  /** Every kprobe program sees the same pt_regs. */
  shareKey(): string {
    return this.name;
  }

  attach(programFd: number, probe: ProbeTarget): Link {
    return attachKprobe(
      this.env.sys(), { fd: programFd },
      { function: detailString(probe, 'function'), offset: detailBigint(probe, 'offset') },
      { retprobe: this.retprobe },
    );
  }

  list(parts: readonly string[]): ListedProbe[] {
    const module = parts.length >= 2 ? parts[0] : undefined;
    return matching(this.kernelFunctions(), module, parts[parts.length - 1] ?? '*')
      .map((found) => (found.module === undefined ? `${this.name}:${found.name}` : `${this.name}:${found.module}:${found.name}`))
      .sort()
      .map((name) => ({ name }));
  }

  private kernelFunctions(): KernelFunction[] {
    this.functions ??= kernelFunctions(this.env.kallsyms());
    return this.functions;
  }

  /** The module is part of the name only when the script wrote one, as bpftrace prints it. */
  private functionTarget(found: KernelFunction, withModule: boolean, offset: bigint): ProbeTarget {
    const place = offset === 0n ? found.name : `${found.name}+${offset}`;
    const shown = withModule ? `${this.name}:${found.module ?? KERNEL_IMAGE}:${place}` : `${this.name}:${place}`;
    return target(this.name, shown, { function: found.name, offset });
  }

  private notFound(name: string): ProbeError {
    return new ProbeError(
      `${this.name} target not found: function '${name}' is not in /proc/kallsyms`,
      `list kernel functions with: bpfscope -l '${this.name}:*${name.replace(/[*?]/g, '')}*'`,
      true,
    );
  }
}

/** Functions whose name matches; `vmlinux` as the module means the kernel image itself. */
function matching(functions: readonly KernelFunction[], module: string | undefined, pattern: string): KernelFunction[] {
  const nameMatches = globMatcher(pattern);
  const moduleMatches = module === undefined ? () => true : globMatcher(module);
  return functions.filter((found) => nameMatches(found.name) && moduleMatches(found.module ?? KERNEL_IMAGE));
}
