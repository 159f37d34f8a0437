// tracepoint:syscalls:* served from the raw sys_enter/sys_exit tracepoints. The kernel's per-syscall
// events are themselves callbacks on those two tracepoints, which pass the task's saved registers
// (and the number, or the return value). A RAW_TRACEPOINT program there that selects by syscall
// number and rebuilds the event's record — `int __syscall_nr` at offset 8, argument N in the 8-byte
// slot at 16 + 8N, `long ret` at 16 — runs the targets' code unchanged.
//
// Why: detaching a tracepoint's perf event waits for RCU grace periods (~70 ms here, serialised by the
// kernel), so ~350 sys_enter_* tracepoints took ~25 s to detach, and even one bounded a short run;
// a raw tracepoint detaches in ~0.1 ms. The price is a program run, ended after one bounds check and
// one load, on every system call of the machine while attached — where enabling any syscall event
// already sends every system call through the tracepoint — and, for exits, a 8-byte read of the
// saved number before that check.
import { ProgramType } from '../sys/index.js';
import type { SyscallRegisters, SyscallTable } from '../syscalls/index.js';
import { target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import type { ArgField, Dispatch, DispatchSplit, ProbeTarget, RecordRecipe } from './provider.js';

type Hook = 'sys_enter' | 'sys_exit';
type TaskMarker = NonNullable<Dispatch['skipTask']>;

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
   * Targets that share a program, split into one dispatch per raw hook (sys_enter, sys_exit) and the rest.
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
      // Targets sharing a program have equal layouts, so the first one's fields speak for all.
      const [first] = selectors.values();
      if (usesArgs && !argsOf(first).every((field) => fits(hook, field))) continue;
      const skipTask = this.compatMarker();
      if (skipTask === null || this.table === undefined) continue;
      dispatches.push({
        hook: target('rawtracepoint', `rawtracepoint:${hook}`, { tracepoint: hook }),
        kind: { programType: ProgramType.RAW_TRACEPOINT },
        record: recipe(hook, usesArgs, this.table.registers),
        selectorOffset: SELECTOR_OFFSET,
        selectors,
        skipTask,
        hookFrames: RAW_TRACEPOINT_FRAMES,
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
 * The record a hook's program rebuilds: the number, then the arguments (read from the saved registers
 * only when the program uses `args`) or the return value. The raw tracepoints pass
 * `(struct pt_regs *regs, long id)` and `(struct pt_regs *regs, long ret)`.
 */
function recipe(hook: Hook, usesArgs: boolean, registers: SyscallRegisters): RecordRecipe {
  if (hook === 'sys_exit') {
    return {
      size: VALUES_OFFSET + WORD,
      contextWords: [{ at: VALUES_OFFSET, index: 1 }],
      pointee: { pointer: 0, offset: registers.number, length: WORD, words: [{ at: SELECTOR_OFFSET, index: 0 }] },
    };
  }
  const idOnly = { size: VALUES_OFFSET, contextWords: [{ at: SELECTOR_OFFSET, index: 1 }] };
  if (!usesArgs) return idOnly;
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

/** Whether a syscall event's field is found at the same place in the rebuilt record. */
function fits(hook: Hook, field: ArgField): boolean {
  if (field.dataLoc) return false;
  if (field.name === '__syscall_nr') return field.offset === SELECTOR_OFFSET && field.size === 4;
  if (hook === 'sys_exit') return field.name === 'ret' && field.offset === VALUES_OFFSET && field.size === WORD;
  return field.size === WORD && field.offset >= VALUES_OFFSET && field.offset < VALUES_OFFSET + 6 * WORD && field.offset % WORD === 0;
}
