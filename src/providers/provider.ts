// A probe provider knows one kind of probe (tracepoint, uprobe, interval, …) from end to end: how its
// attach points expand, what program type runs there, what the program's context holds (args, argN,
// retval), and how to attach and detach. The compiler uses the first three through `ProbeProvider`
// without privileges; the runtime uses `attach`.
import type { AttachPoint } from '../lang/index.js';

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
}

/** What a program's context pointer (R1 at entry) gives access to. */
export interface ContextModel {
  /** `args` fields, when the probe has them. Empty when it has none. */
  readonly args: readonly ArgField[];
  /** `argN`: byte offset of argument N from the context (pt_regs for kprobe/uprobe, u64 slots for raw tracepoints). */
  argOffset?(index: number): number | undefined;
  /** `retval`: byte offset of the return value from the context, for return probes. */
  readonly retvalOffset?: number;
  /** Whether argN/retval refer to user-space memory when dereferenced (uprobes). */
  readonly userSpace: boolean;
}

export interface ProgramKind {
  readonly programType: number;
  readonly expectedAttachType?: number;
  /** For tp_btf/fentry/fexit: the BTF type id the kernel attaches to. */
  readonly attachBtfId?: number;
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
   * Groups targets that can share one compiled program: those whose context model is identical (a
   * wildcard over tracepoints whose args are not used shares one program). Returns a grouping key.
   */
  shareKey(target: ProbeTarget, usesArgs: boolean): string;
}

/** A probe that cannot be expanded or attached: the message names the attach point. */
export class ProbeError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'ProbeError';
  }
}
