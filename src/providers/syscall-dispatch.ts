// tracepoint:syscalls:* served from raw_syscalls. The kernel's per-syscall events are callbacks on
// the raw_syscalls:sys_enter/sys_exit tracepoints, and their records line up with raw_syscalls':
// `int __syscall_nr` at offset 8 is the low half of `long id`, argument N is the 8-byte slot at
// 16 + 8N as in `unsigned long args[6]`, and both exits have `long ret` at 16. So one program on
// raw_syscalls that selects by syscall number stands in for many per-syscall programs.
//
// Why: detaching a tracepoint waits for an RCU grace period (25–75 ms each on our machines), so the
// ~350 tracepoints of sys_enter_* took ~25 s to detach; through raw_syscalls it is one. The price is
// a program run, ended after one bounds check and one load, on every system call of the machine, and
// reading BTF at compile time, so small sets keep their own tracepoints (MIN_DISPATCHED).
import type { SyscallTable } from '../syscalls/index.js';
import { target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import type { ArgField, Dispatch, DispatchSplit, ProbeTarget } from './provider.js';

/**
 * The fewest syscall events one dispatched program serves. Measured here: each tracepoint costs
 * ~2 ms to attach and 25–75 ms to detach; a dispatch costs ~45 ms of BTF reading before attaching
 * (the compat marker) and ~10 ns on each system call it does not select (2M gettid calls: 114–122 ns
 * each untraced, 120–128 with sys_enter_getppid attached, 132–135 with it dispatched). From three
 * events the detach time saved outweighs that; two (opensnoop's sys_exit_open and sys_exit_openat)
 * would trade ~45 ms of start-up for ~0.1 s of detach.
 */
const MIN_DISPATCHED = 3;

type Hook = 'sys_enter' | 'sys_exit';
type TaskMarker = NonNullable<Dispatch['skipTask']>;

/** Where raw_syscalls keeps what the syscall events read, as [field, offset, size]. */
const HOOK_FIELDS: Record<Hook, readonly (readonly [string, number, number])[]> = {
  sys_enter: [['id', 8, 8], ['args', 16, 48]],
  sys_exit: [['id', 8, 8], ['ret', 16, 8]],
};

/** The syscall number: `id`'s low half on little-endian machines, as `__syscall_nr` is. */
const SELECTOR_OFFSET = 8;

export class SyscallDispatcher {
  /** Undefined until first needed. */
  private compat: TaskMarker | null | undefined;

  constructor(private readonly env: ProviderEnvironment, private readonly table: SyscallTable | undefined) {}

  /**
   * Targets that share a program, split into one dispatch per raw_syscalls hook and the rest.
   * `argsOf` gives a target's `args` fields, read only when the program uses them.
   */
  split(targets: readonly ProbeTarget[], usesArgs: boolean, argsOf: (probe: ProbeTarget) => readonly ArgField[]): DispatchSplit {
    const byHook = new Map<Hook, Map<number, ProbeTarget>>();
    for (const probe of targets) {
      const found = this.selector(probe);
      if (found === undefined) continue;
      const selectors = byHook.get(found.hook) ?? new Map<number, ProbeTarget>();
      selectors.set(found.number, probe);
      byHook.set(found.hook, selectors);
    }
    const dispatches: Dispatch[] = [];
    for (const [hook, selectors] of byHook) {
      if (selectors.size < MIN_DISPATCHED) continue;
      // Targets sharing a program have equal layouts, so the first one's fields speak for all.
      const [first] = selectors.values();
      if (usesArgs && !argsOf(first).every((field) => fits(hook, field))) continue;
      const skipTask = this.compatMarker();
      if (skipTask === null || !this.hookHasLayout(hook)) continue;
      dispatches.push({
        hook: target('tracepoint', `tracepoint:raw_syscalls:${hook}`, { category: 'raw_syscalls', event: hook }),
        selectorOffset: SELECTOR_OFFSET,
        selectors,
        skipTask,
      });
    }
    const served = new Set(dispatches.flatMap((dispatch) => [...dispatch.selectors.values()]));
    return { dispatches, rest: targets.filter((probe) => !served.has(probe)) };
  }

  /** `syscalls:sys_enter_<entry>` → its hook and syscall number, for entry points the table knows. */
  private selector(probe: ProbeTarget): { hook: Hook; number: number } | undefined {
    const match = /^(sys_enter|sys_exit)_(.+)$/.exec(String(probe.detail.event));
    if (probe.detail.category !== 'syscalls' || match === null || this.table === undefined) return undefined;
    const number = this.table.numberOfEntry(match[2]);
    return number === undefined ? undefined : { hook: match[1] as Hook, number };
  }

  private hookHasLayout(hook: Hook): boolean {
    try {
      const { fields } = this.env.tracefs().eventFormat('raw_syscalls', hook);
      return HOOK_FIELDS[hook].every(([name, offset, size]) =>
        fields.some((field) => field.name === name && field.offset === offset && field.size === size && field.dataLoc === undefined));
    } catch {
      return false;
    }
  }

  /**
   * Where the current task says it is in a compat system call, from the kernel's BTF; null when that
   * cannot be known (no BTF, no such field, or no bpf_get_current_task_btf to read it with), and then
   * nothing is dispatched: raw_syscalls would report 32-bit calls under 64-bit numbers.
   */
  private compatMarker(): TaskMarker | null {
    if (this.compat !== undefined) return this.compat;
    this.compat = null;
    if (this.table === undefined) return null;
    try {
      const btf = this.env.btf();
      const task = btf.findType('task_struct', 'struct');
      if (task === undefined || btf.findType('bpf_get_current_task_btf', 'func') === undefined) return null;
      const location = btf.member(task.id, this.table.compat.path);
      if (location.bitfieldSize === 0 && btf.sizeOf(location.type) === 4) {
        this.compat = { offset: location.offset, mask: this.table.compat.mask };
      }
    } catch {
      // A kernel without BTF, or a task_struct without the field: per-tracepoint programs are exact.
    }
    return this.compat;
  }
}

/** Whether a syscall event's field is found at the same place in the hook's record. */
function fits(hook: Hook, field: ArgField): boolean {
  if (field.dataLoc) return false;
  if (field.name === '__syscall_nr') return field.offset === SELECTOR_OFFSET && field.size === 4;
  if (hook === 'sys_exit') return field.name === 'ret' && field.offset === 16 && field.size === 8;
  return field.size === 8 && field.offset >= 16 && field.offset < 64 && field.offset % 8 === 0;
}
