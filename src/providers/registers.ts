// Where arguments and return values sit in `struct pt_regs`, the context of kprobe and uprobe
// programs (and the first member of bpf_perf_event_data, the context of perf-event programs). The
// layout is the kernel's, per architecture; registers.kernel.test.ts checks it against the running
// kernel's BTF.
import type { ContextModel } from './provider.js';

export interface RegisterLayout {
  /** Byte offsets of the registers holding arguments 0, 1, … in the calling convention. */
  readonly args: readonly number[];
  readonly retval: number;
}

/** The fields of `struct pt_regs`, by name, for the BTF check. */
export const X86_64_PT_REGS = { di: 112, si: 104, dx: 96, cx: 88, r8: 72, r9: 64, ax: 80 } as const;

// x86_64 System V: rdi, rsi, rdx, rcx, r8, r9; the result in rax.
const X86_64: RegisterLayout = {
  args: [X86_64_PT_REGS.di, X86_64_PT_REGS.si, X86_64_PT_REGS.dx, X86_64_PT_REGS.cx, X86_64_PT_REGS.r8, X86_64_PT_REGS.r9],
  retval: X86_64_PT_REGS.ax,
};

// arm64 AAPCS64: x0–x7, the result in x0. pt_regs begins with `u64 regs[31]`.
const ARM64: RegisterLayout = { args: [0, 8, 16, 24, 32, 40, 48, 56], retval: 0 };

const LAYOUTS: Partial<Record<NodeJS.Architecture, RegisterLayout>> = { x64: X86_64, arm64: ARM64 };

export function registerLayout(arch: NodeJS.Architecture = process.arch): RegisterLayout {
  const layout = LAYOUTS[arch];
  if (layout === undefined) throw new Error(`bpfscope does not know the pt_regs layout of ${arch}`);
  return layout;
}

export interface RegisterContextOptions {
  /** Return probes read `retval`. */
  readonly retprobe: boolean;
  /** uprobes: the registers hold user-space values and pointers. */
  readonly userSpace: boolean;
  readonly arch?: NodeJS.Architecture;
}

/**
 * kprobe/uprobe contexts: `argN` in registers (arguments passed on the stack are not reachable), and
 * `retval` for return probes only — at function entry the return register holds garbage.
 */
export function registerContext(options: RegisterContextOptions): ContextModel {
  const layout = registerLayout(options.arch);
  const argOffset = (index: number): number | undefined => layout.args[index];
  return options.retprobe
    ? { args: [], argOffset, retvalOffset: layout.retval, userSpace: options.userSpace }
    : { args: [], argOffset, userSpace: options.userSpace };
}

/**
 * profile/interval/software/hardware: the context is `struct bpf_perf_event_data`, whose first member
 * is the interrupted pt_regs. The interrupted code was not called, so there are no arguments.
 */
export const PERF_EVENT_CONTEXT: ContextModel = { args: [], userSpace: false };

/** BEGIN/END run from BPF_PROG_TEST_RUN with an empty context. */
export const EMPTY_CONTEXT: ContextModel = { args: [], userSpace: false };
