// tracepoint:syscalls:* and tracepoint:raw_syscalls:* served from the raw sys_enter/sys_exit
// tracepoints. Both kinds of event are themselves callbacks on those two tracepoints, which pass the
// task's saved registers (and the number, or the return value). A RAW_TRACEPOINT program there
// rebuilds the event's record — `id` / `int __syscall_nr` at offset 8, argument N in the 8-byte slot
// at 16 + 8N (raw_syscalls' `args[6]`), `long ret` at 16 — so the targets' code runs unchanged; for
// syscall events it first selects by number, serving any number of them from one attachment.
//
// Why: detaching a tracepoint's perf event waits for RCU grace periods (~70 ms here, serialised by the
// kernel), so ~350 sys_enter_* tracepoints took ~25 s to detach, and even one bounded a short run;
// a raw tracepoint detaches in ~0.1 ms, and runs without the perf-event path's record copy. The price,
// for syscall events, is a program run, ended after one bounds check and one load, on every system
// call of the machine while attached — where enabling any syscall event already sends every system
// call through the tracepoint — and, for exits, an 8-byte read of the saved number before that check.
import { ProgramType } from '../sys/index.js';
import type { SyscallRegisters, SyscallTable } from '../syscalls/index.js';
import { target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import type { ArgField, ContextUse, Dispatch, DispatchSplit, ProbeTarget, RecordRecipe, Selection } from './provider.js';

type Hook = 'sys_enter' | 'sys_exit';
type TaskMarker = NonNullable<Selection['skipTask']>;

/** Where the rebuilt record keeps the syscall number: `__syscall_nr`, the low half of the u64 there. */
const SELECTOR_OFFSET = 8;
/** The rebuilt record's first argument slot (sys_enter) and return value (sys_exit). */
const VALUES_OFFSET = 16;
const WORD = 8;
/**
 * A raw tracepoint program's kernel stack starts with itself, bpf_trace_run2 and the tracepoint's
 * __bpf_trace_sys_* stub; below them is the syscall code a syscall event's stack starts with.
 */
const RAW_TRACEPOINT_FRAMES = 3;

export class SyscallDispatcher {
  /** Undefined until first needed. */
  private compat: TaskMarker | null | undefined;

  constructor(private readonly env: ProviderEnvironment, private readonly table: SyscallTable | undefined) {}

  /**
   * Targets that share a program, split into dispatches from the raw hooks (one per hook for
   * syscall events, one per raw_syscalls event) and the rest. `argsOf` gives the `args` fields of a
   * target that the program reads; targets sharing a program have them laid out alike.
   */
  split(targets: readonly ProbeTarget[], use: ContextUse, argsOf: (probe: ProbeTarget) => readonly ArgField[]): DispatchSplit {
    const { table } = this;
    if (table === undefined) return { dispatches: [], rest: targets };
    const read = (probe: ProbeTarget): readonly ArgField[] => (use.context ? argsOf(probe) : []);
    const fromHook = (hook: Hook, served: readonly ProbeTarget[], selection?: Selection): Dispatch => {
      const record = recipe(hook, read(served[0]), selection !== undefined, table.registers);
      return {
        hook: target('rawtracepoint', `rawtracepoint:${hook}`, { tracepoint: hook }),
        kind: { programType: ProgramType.RAW_TRACEPOINT },
        targets: served,
        ...(selection === undefined ? {} : { selection }),
        ...(record === undefined ? {} : { record }),
        hookFrames: RAW_TRACEPOINT_FRAMES,
      };
    };
    const dispatches: Dispatch[] = [];
    for (const probe of targets) {
      const hook = rawSyscallsHook(probe);
      if (hook !== undefined && rebuildable(hook, read(probe), false)) dispatches.push(fromHook(hook, [probe]));
    }
    for (const [hook, selectors] of this.selectorsByHook(targets)) {
      const [first] = selectors.values();
      // bpftrace's kstack of a sys_enter_* event starts in the perf handler (perf_syscall_enter),
      // a frame a raw tracepoint's stack cannot have; sys_exit_* stacks come out the same.
      if (!rebuildable(hook, read(first), true) || (hook === 'sys_enter' && use.kernelStack)) continue;
      const skipTask = this.compatMarker();
      if (skipTask !== null) dispatches.push(fromHook(hook, [...selectors.values()], { offset: SELECTOR_OFFSET, selectors, skipTask }));
    }
    const served = new Set(dispatches.flatMap((dispatch) => dispatch.targets));
    return { dispatches, rest: targets.filter((probe) => !served.has(probe)) };
  }

  /** The syscall events among `targets`, by hook and number. */
  private selectorsByHook(targets: readonly ProbeTarget[]): Map<Hook, Map<number, ProbeTarget>> {
    const byHook = new Map<Hook, Map<number, ProbeTarget>>();
    for (const probe of targets) {
      const found = this.selector(probe);
      if (found === undefined) continue;
      const selectors = byHook.get(found.hook) ?? new Map<number, ProbeTarget>();
      selectors.set(found.number, probe);
      byHook.set(found.hook, selectors);
    }
    return byHook;
  }

  /** `syscalls:sys_enter_<entry>` → its hook and syscall number, for entry points the table knows. */
  private selector(probe: ProbeTarget): { hook: Hook; number: number } | undefined {
    const match = /^(sys_enter|sys_exit)_(.+)$/.exec(String(probe.detail.event));
    if (probe.detail.category !== 'syscalls' || match === null || this.table === undefined) return undefined;
    const number = this.table.numberOfEntry(match[2]);
    return number === undefined ? undefined : { hook: match[1] as Hook, number };
  }

  /**
   * Where the current task says it is in a compat system call, from the kernel's BTF; null when that
   * cannot be known (no BTF, no such field, or no bpf_get_current_task_btf to read it with), and then
   * nothing is dispatched: the raw hooks would report 32-bit calls under 64-bit numbers. Reading BTF
   * costs ~15 ms, so the answer is kept for the boot.
   */
  private compatMarker(): TaskMarker | null {
    const { table } = this;
    if (table === undefined) return null;
    if (this.compat !== undefined) return this.compat;
    this.compat = this.env.bootFact(`syscall-compat:${table.arch}:${table.compat.path}:${table.compat.mask}`, () => {
      try {
        const btf = this.env.btf();
        const task = btf.findType('task_struct', 'struct');
        if (task === undefined || btf.findType('bpf_get_current_task_btf', 'func') === undefined) return null;
        const location = btf.member(task.id, table.compat.path);
        return location.bitfieldSize === 0 && btf.sizeOf(location.type) === 4 ? { offset: location.offset, mask: table.compat.mask } : null;
      } catch {
        // A kernel without BTF, or a task_struct without the field: per-tracepoint programs are exact.
        return null;
      }
    }, isMarker);
    return this.compat;
  }
}

function isMarker(value: unknown): value is TaskMarker | null {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  const { offset, mask } = value as Record<string, unknown>;
  return Number.isInteger(offset) && Number.isInteger(mask);
}

/**
 * The record a hook's program rebuilds, or none when nothing reads it: the number (the raw
 * tracepoints pass `(struct pt_regs *regs, long id)` on entry, and on exit `(regs, long ret)`, where
 * the number is the saved `orig_ax`), then the arguments, read from the saved registers only when a
 * field past the number is read, or the return value.
 */
function recipe(hook: Hook, fields: readonly ArgField[], selects: boolean, registers: SyscallRegisters): RecordRecipe | undefined {
  const readsNumber = selects || fields.some((field) => field.offset === SELECTOR_OFFSET);
  const readsValues = fields.some((field) => field.offset >= VALUES_OFFSET);
  if (!readsNumber && !readsValues) return undefined;
  if (hook === 'sys_exit') {
    return {
      size: VALUES_OFFSET + WORD,
      contextWords: [{ at: VALUES_OFFSET, index: 1 }],
      ...(readsNumber ? { pointee: { pointer: 0, offset: registers.number, length: WORD, words: [{ at: SELECTOR_OFFSET, index: 0 }] } } : {}),
    };
  }
  const idOnly = { size: VALUES_OFFSET, contextWords: [{ at: SELECTOR_OFFSET, index: 1 }] };
  if (!readsValues) return idOnly;
  // One read covers every argument register; they are then placed in argument order.
  const first = Math.min(...registers.args);
  const last = Math.max(...registers.args);
  return {
    ...idOnly,
    size: VALUES_OFFSET + registers.args.length * WORD,
    pointee: {
      pointer: 0,
      offset: first,
      length: last + WORD - first,
      words: registers.args.map((offset, n) => ({ at: VALUES_OFFSET + n * WORD, index: (offset - first) / WORD })),
    },
  };
}

/**
 * Whether the fields a program reads can be rebuilt at the hook. raw_syscalls' `args` cannot: a
 * 32-bit task's arguments are in other registers (bx cx dx si di bp), and its events are not skipped
 * the way syscall events' are.
 */
function rebuildable(hook: Hook, fields: readonly ArgField[], syscallEvent: boolean): boolean {
  return fields.every((field) => fits(hook, field) && (syscallEvent || field.name !== 'args'));
}

/** `raw_syscalls:sys_enter` and `raw_syscalls:sys_exit`: their hook, whose record the program rebuilds whole. */
function rawSyscallsHook(probe: ProbeTarget): Hook | undefined {
  const { category, event } = probe.detail;
  return category === 'raw_syscalls' && (event === 'sys_enter' || event === 'sys_exit') ? event : undefined;
}

/** Whether an event's field is found at the same place in the rebuilt record. */
function fits(hook: Hook, field: ArgField): boolean {
  if (field.dataLoc) return false;
  if (field.name === '__syscall_nr') return field.offset === SELECTOR_OFFSET && field.size === 4;
  // raw_syscalls' own fields: `long id`, and `unsigned long args[6]` or `long ret`.
  if (field.name === 'id') return field.offset === SELECTOR_OFFSET && field.size === WORD;
  if (field.name === 'args') return hook === 'sys_enter' && field.offset === VALUES_OFFSET && field.size === 6 * WORD;
  if (hook === 'sys_exit') return field.name === 'ret' && field.offset === VALUES_OFFSET && field.size === WORD;
  return field.size === WORD && field.offset >= VALUES_OFFSET && field.offset < VALUES_OFFSET + 6 * WORD && field.offset % WORD === 0;
}
