// System call numbers by architecture: the kernel ABI's numbering, which the running machine cannot
// tell us (kernel headers are not installed on users' machines, and tracefs does not show the number
// behind a syscall event), so it ships as data generated from the kernel's syscall table.
import { ptRegsOffset } from './pt-regs.js';
import { X86_64_SYSCALLS } from './table-x86_64.js';

/**
 * `[number, name]` when the kernel's entry point is `sys_<name>`; `[number, name, entry]` when it is
 * `sys_<entry>` (`stat` is sys_newstat); `[number, name, null]` for numbers the kernel reserves but
 * does not implement.
 */
export type SyscallEntry = readonly [number: number, name: string, entry?: string | null];

/**
 * How the kernel marks a task that is in a 32-bit (compat) system call: a u32 inside `task_struct`,
 * at `path`, with any of `mask` set. Syscall tracepoints ignore such calls (their numbers are the
 * 32-bit ABI's), while raw_syscalls reports them, so a program that stands in for the former on the
 * latter must skip them too.
 */
export interface CompatMarker {
  readonly path: string;
  readonly mask: number;
}

/**
 * Where a system call's number and arguments sit in the `struct pt_regs` the raw sys_enter and
 * sys_exit tracepoints pass: byte offsets of the registers, in argument order.
 */
export interface SyscallRegisters {
  readonly number: number;
  readonly args: readonly number[];
}

export class SyscallTable {
  private readonly byEntry = new Map<string, number>();

  constructor(
    readonly arch: string,
    entries: readonly SyscallEntry[],
    readonly compat: CompatMarker,
    readonly registers: SyscallRegisters,
  ) {
    for (const [number, name, entry] of entries) {
      if (entry !== null) this.byEntry.set(entry ?? name, number);
    }
  }

  /**
   * The number served by the entry point `sys_<entry>`, which is what the `syscalls:sys_enter_<entry>`
   * and `sys_exit_<entry>` tracepoints fire for; undefined for entry points the table does not know.
   */
  numberOfEntry(entry: string): number | undefined {
    return this.byEntry.get(entry);
  }
}

const TABLES: Partial<Record<NodeJS.Architecture, SyscallTable>> = {
  // in_32bit_syscall() is TS_COMPAT (0x0002) in thread_info.status, set on entry from 32-bit code
  // (int 0x80 included) and cleared on return to user mode. x32 calls carry bit 30 in their number,
  // beyond every number in the table.
  // The arguments travel in di si dx r10 r8 r9, and orig_ax keeps the number while ax takes the result.
  x64: new SyscallTable(
    'x86_64', X86_64_SYSCALLS, { path: 'thread_info.status', mask: 0x0002 },
    savedRegisters('x64', 'orig_ax', ['di', 'si', 'dx', 'r10', 'r8', 'r9']),
  ),
};

function savedRegisters(arch: NodeJS.Architecture, number: string, args: readonly string[]): SyscallRegisters {
  const offset = (name: string): number => {
    const found = ptRegsOffset(name, arch);
    if (found === undefined) throw new Error(`${arch} pt_regs has no ${name}`);
    return found;
  };
  return { number: offset(number), args: args.map(offset) };
}

/** The table for a Node architecture name (`process.arch`), when bpfscope has one. */
export function syscallTable(arch: NodeJS.Architecture = process.arch): SyscallTable | undefined {
  return TABLES[arch];
}
