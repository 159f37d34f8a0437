// Small stand-in providers for compiler tests: BEGIN/END, a tracepoint with a fixed field list (as
// tracefs would describe sys_enter_openat), a raw tracepoint with six u64 arguments, and a uretprobe
// with pt_regs offsets. They expand without touching the system, so tests run unprivileged.
import { type AttachPoint, type Diagnostic, CompileError, Source, parse } from '../../lang/index.js';
import {
  type ArgField, type ContextModel, type ProbeProvider, type ProbeTarget, ProbeError,
} from '../../providers/provider.js';
import { ProgramType } from '../../sys/bpf-constants.js';
import { type CompiledScript, type CompileOptions, compile } from '../index.js';

function field(name: string, cType: string, offset: number, size: number, extra: Partial<ArgField> = {}): ArgField {
  return { name, cType, offset, size, signed: false, dataLoc: false, userPointer: false, ...extra };
}

/** The fields of syscalls:sys_enter_openat after the 8 common bytes and the syscall number. */
export const OPENAT_FIELDS: readonly ArgField[] = [
  field('__syscall_nr', 'int', 8, 4, { signed: true }),
  field('dfd', 'int', 16, 8, { signed: true }),
  field('filename', 'const char *', 24, 8, { userPointer: true }),
  field('flags', 'int', 32, 8, { signed: true }),
  field('mode', 'umode_t', 40, 8),
];

/** sched:sched_process_exec: a `__data_loc char[] filename` and two pids. */
export const EXEC_FIELDS: readonly ArgField[] = [
  field('filename', '__data_loc char[]', 8, 4, { dataLoc: true }),
  field('pid', 'pid_t', 12, 4, { signed: true }),
  field('old_pid', 'pid_t', 16, 4, { signed: true }),
];

const EMPTY: ContextModel = { args: [], userSpace: false };

function provider(name: string, aliases: string[], programType: number, expand: (point: AttachPoint) => ProbeTarget[], context: (t: ProbeTarget) => ContextModel): ProbeProvider {
  return {
    name,
    aliases,
    expand,
    programKind: () => ({ programType }),
    context,
    shareKey: (target, use) => (use.context ? target.name : name),
  };
}

const special = (name: string): ProbeProvider =>
  provider(name, [name.toLowerCase()], ProgramType.RAW_TRACEPOINT, () => [{ provider: name, name, detail: {} }], () => EMPTY);

const tracepoint = provider('tracepoint', ['t'], ProgramType.TRACEPOINT, (point) => {
  const [category, event] = point.parts;
  const known = ['syscalls:sys_enter_openat', 'sched:sched_process_exec'];
  const names = known.filter((k) => new RegExp(`^${`${category}:${event}`.replace(/\*/g, '.*')}$`).test(k));
  if (names.length === 0) throw new ProbeError(`tracepoint not found: ${point.raw}`);
  return names.map((n) => ({ provider: 'tracepoint', name: `tracepoint:${n}`, detail: { category: n.split(':')[0], event: n.split(':')[1] } }));
}, (target) => ({ args: target.name.endsWith('openat') ? OPENAT_FIELDS : EXEC_FIELDS, userSpace: false }));

const rawTracepoint = provider('rawtracepoint', ['rt'], ProgramType.RAW_TRACEPOINT, (point) => [
  { provider: 'rawtracepoint', name: `rawtracepoint:${point.parts[0]}`, detail: { name: point.parts[0] } },
], () => ({ args: [], userSpace: false, argOffset: (n) => (n < 6 ? n * 8 : undefined) }));

/** x86-64 pt_regs: rdi, rsi, rdx, rcx, r8, r9 as arg0–arg5; rax holds the return value. */
const PT_REGS_ARGS = [112, 104, 96, 88, 72, 64];
const uretprobe = provider('uretprobe', ['ur'], ProgramType.KPROBE, (point) => [
  { provider: 'uretprobe', name: `uretprobe:${point.parts.join(':')}`, detail: { path: point.parts[0] } },
], () => ({ args: [], userSpace: true, retvalOffset: 80, argOffset: (n) => PT_REGS_ARGS[n] }));

const ALL = [special('BEGIN'), special('END'), tracepoint, rawTracepoint, uretprobe];

export function fakeProviders(name: string): ProbeProvider | undefined {
  return ALL.find((p) => p.name === name || p.aliases.includes(name));
}

/** Parses and compiles a script with the fake providers. */
export function compileText(text: string, options: Partial<CompileOptions> = {}): CompiledScript {
  const source = new Source('test.bt', text);
  return compile(parse(source), { source, providers: fakeProviders, ncpus: () => 4, ...options });
}

/** The first diagnostic of a script that must not compile, with the source text its span covers. */
export function compileError(text: string, options: Partial<CompileOptions> = {}): Diagnostic & { located: string } {
  try {
    compileText(text, options);
  } catch (caught) {
    if (!(caught instanceof CompileError)) throw caught;
    const [first] = caught.diagnostics;
    return { ...first, located: text.slice(first.span.start, first.span.end) };
  }
  throw new Error(`expected a compile error for: ${text}`);
}
