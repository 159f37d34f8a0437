// A probe provider knows one kind of probe (tracepoint, uprobe, interval, …) from end to end: how its
// attach points expand, what program type runs there, what the program's context holds (args, argN,
// retval), and how to attach and detach. The compiler uses the first three through `ProbeProvider`
// without privileges; the runtime uses `attach`.
import type { AttachPoint } from '../lang/index.js';
import type { Link } from '../kernel/links/link.js';

/** One concrete place a program attaches to, after wildcards are expanded. */
export interface ProbeTarget {
  /** The provider's canonical name (aliases such as `t` → `tracepoint` already resolved). */
  readonly provider: string;
  /** The canonical probe name, as bpftrace prints it for `probe` and `-l`: `tracepoint:sched:sched_switch`. */
  readonly name: string;
  /** Provider-specific details (tracepoint category/event, binary path and offset, period, …). */
  readonly detail: Readonly<Record<string, string | number | bigint | boolean>>;
}

/** A field reachable as `args.NAME` / `args->NAME`. */
export interface ArgField {
  readonly name: string;
  /** The C type as text: `int`, `const char *`, `char[16]`, `struct task_struct *`, `unsigned long[6]`. */
  readonly cType: string;
  /** Byte offset from the program's context pointer. */
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** `__data_loc` fields: a u32 at `offset` holding (length << 16 | offset-from-record-start). */
  readonly dataLoc: boolean;
  /** Pointers in these args point into user memory (syscall arguments), for str() and deref. */
  readonly userPointer: boolean;
  /**
   * The argument's type id in the running kernel's BTF, when the type comes from BTF (fentry/fexit,
   * rawtracepoint), so `args.prev->pid` can be resolved through BTF rather than through `cType` text.
   */
  readonly btfType?: number;
}

/** What a program's context pointer (R1 at entry) gives access to. */
export interface ContextModel {
  /** `args` fields, when the probe has them. Empty when it has none. */
  readonly args: readonly ArgField[];
  /** `argN`: byte offset of argument N from the context (pt_regs for kprobe/uprobe, u64 slots for raw tracepoints). */
  argOffset?(index: number): number | undefined;
  /** `retval`: byte offset of the return value from the context, for return probes. */
  readonly retvalOffset?: number;
  /** The return value's type when it is known (fexit, from BTF); `retval` is a plain u64 otherwise. */
  readonly retvalField?: ArgField;
  /** Whether argN/retval refer to user-space memory when dereferenced (uprobes). */
  readonly userSpace: boolean;
}

export interface ProgramKind {
  readonly programType: number;
  readonly expectedAttachType?: number;
  /** For tp_btf/fentry/fexit: the BTF type id the kernel attaches to. */
  readonly attachBtfId?: number;
}

/**
 * Targets served from another hook than their own: one program runs for every event at `hook` and,
 * with a `selection`, keeps those whose selector — a u32 in the targets' record — stands for one of
 * the targets (`probe` is then that target's name). Attaching and detaching once rather than per
 * target is what makes wide wildcards quick to start and stop, and a cheaper hook makes even one
 * target quicker to detach and to run (`tracepoint:syscalls:*` and `tracepoint:raw_syscalls:*` served
 * from the raw sys_enter/sys_exit tracepoints).
 */
export interface Dispatch {
  readonly hook: ProbeTarget;
  /** The program type that runs at `hook`, which may differ from the targets' own. */
  readonly kind: ProgramKind;
  /** The targets served; without a selection there is one, and every event at the hook is its. */
  readonly targets: readonly ProbeTarget[];
  readonly selection?: Selection;
  /** How the program rebuilds its targets' record from the hook's context; absent when the context is that record. */
  readonly record?: RecordRecipe;
  /** Innermost kernel stack frames that belong to the hook's machinery, not to the traced code; `kstack` leaves them out. */
  readonly hookFrames?: number;
}

/** Which target an event at a dispatching hook is, if any. */
export interface Selection {
  /** Byte offset of the selector in the targets' record. */
  readonly offset: number;
  /** The targets, by the selector value that stands for each. */
  readonly selectors: ReadonlyMap<number, ProbeTarget>;
  /** Events of a task with any bit of `mask` set in the u32 at byte `offset` of its task_struct are none of the targets'. */
  readonly skipTask?: { readonly offset: number; readonly mask: number };
}

/** One 8-byte word of a rebuilt record: the record's bytes `at`..`at + 8` take word `index` of a source. */
export interface RecordWord {
  readonly at: number;
  readonly index: number;
}

/**
 * A record built in the program's frame from a context of u64 slots (a raw tracepoint's arguments),
 * so the targets' `args` are read where their own programs would find them. Bytes no word fills are 0.
 */
export interface RecordRecipe {
  readonly size: number;
  /** Words copied from the context's slots. */
  readonly contextWords: readonly RecordWord[];
  /** Words of kernel memory behind the pointer in context slot `pointer`: `length` bytes read from `offset` there. */
  readonly pointee?: {
    readonly pointer: number;
    readonly offset: number;
    readonly length: number;
    readonly words: readonly RecordWord[];
  };
}

export interface DispatchSplit {
  readonly dispatches: readonly Dispatch[];
  /** Targets to attach one by one. */
  readonly rest: readonly ProbeTarget[];
}

export interface ExpandOptions {
  /** -p PID / -c CMD: scope uprobes and usdt to this process. */
  readonly pid?: number;
}

export interface ProbeProvider {
  readonly name: string;
  /** Other spellings accepted in scripts: `t` for tracepoint, `kfunc` for fentry, `BEGIN`/`begin`. */
  readonly aliases: readonly string[];
  /**
   * Concrete targets for an attach point; wildcards expand here. Throws `ProbeError` (with the
   * attach point's text) when nothing matches or the point is malformed.
   */
  expand(point: AttachPoint, options: ExpandOptions): ProbeTarget[];
  programKind(target: ProbeTarget): ProgramKind;
  context(target: ProbeTarget): ContextModel;
  /**
   * Groups targets that can share one compiled program: those whose context, as far as the probe's
   * code reads it, is identical (a wildcard over tracepoints whose args are not used shares one
   * program). Returns a grouping key.
   */
  shareKey(target: ProbeTarget, use: ContextUse): string;
  /**
   * Splits targets that share a program (equal `shareKey`s) into dispatches, each serving several
   * from one attachment, and the rest. Providers without it attach every target.
   */
  dispatch?(targets: readonly ProbeTarget[], use: ContextUse): DispatchSplit;
}

/** What a probe's code reads of its context, which decides what its targets can share. */
export interface ContextUse {
  /** Whether it reads args, argN, sargN, retval or func at all. */
  readonly context: boolean;
  /** The `args` fields it names, when it reads `args` only as `args.f` or `args->f`. */
  readonly argsFields?: ReadonlySet<string>;
  /** Whether it takes `kstack`, whose innermost frames depend on how the program is attached. */
  readonly kernelStack: boolean;
}

export interface AttachOptions {
  /** -p PID / -c CMD: only this process hits uprobes; other kinds ignore it. */
  readonly pid?: number;
}

/** One line of `-l` output plus, for `-lv`, the indented lines printed under it. */
export interface ListedProbe {
  /** `tracepoint:syscalls:sys_enter_openat`, `software:cpu-clock:`, `uprobe:/bin/bash:readline`. */
  readonly name: string;
  /** `-lv` lines without their indentation: `int dfd`, `const char * filename`. */
  readonly details?: readonly string[];
}

export interface ListOptions {
  /** `-lv`: fill in `details` (tracepoint fields, BTF parameters). */
  readonly verbose: boolean;
  readonly pid?: number;
}

/**
 * Which `-l PATTERN` searches include a provider when the pattern does not name it exactly (`-l`,
 * `-l '*:*open*'`): kernel probe kinds always, user-space ones only with a binary or a process to
 * look in, and kinds with nothing to list (interval, BEGIN) never.
 */
export type ListingScope = 'kernel' | 'userspace' | 'none';

/**
 * The runtime's side of a provider: attaching a loaded program and listing what can be probed. Kept
 * apart from `ProbeProvider` so the compiler's view stays free of live objects.
 */
export interface AttachingProvider extends ProbeProvider {
  readonly listing: ListingScope;
  /**
   * Attaches a loaded program (of `programKind(target)`) to one target. BEGIN/END have no hook: the
   * runtime runs them with BPF_PROG_TEST_RUN, and their `attach` throws to say so.
   */
  attach(programFd: number, target: ProbeTarget, options: AttachOptions): Link;
  /**
   * Probes matching the parts of a `-l` pattern after the provider (`['syscalls', 'sys_enter_open*']`),
   * sorted by name. An empty `parts` means everything.
   */
  list(parts: readonly string[], options: ListOptions): ListedProbe[];
  /**
   * Rewords a failure to load this target's program when the kernel's reason is known (fentry refused
   * by policy); returns any other error unchanged.
   */
  explainLoadError?(target: ProbeTarget, error: unknown): unknown;
}

/** A probe that cannot be expanded or attached: the message names the attach point. */
export class ProbeError extends Error {
  /**
   * `absent`: the attach point is well formed and its binary or category exists, but the function or
   * event it names does not (a symbol another library version has, a renamed tracepoint). bpftrace
   * 0.17 skips such a point when the probe's other attach points match, so the compiler can too.
   */
  constructor(message: string, readonly hint?: string, readonly absent = false) {
    super(message);
    this.name = 'ProbeError';
  }
}
