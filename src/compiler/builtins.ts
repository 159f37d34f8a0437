// The builtin variables (`pid`, `comm`, `args`, `arg0`, `retval`, …): their types, and which probes
// have them. Kept apart from the checker so the list of builtins reads as one table.
import type { ContextModel } from '../providers/provider.js';
import type { CType } from './c-types.js';
import { type ValueType, uint64 } from './value-types.js';

export const COMM_SIZE = 16;
/** `probe` is a string of this size (bpftrace's default string size). */
export const PROBE_SIZE = 64;
/** bpftrace's default stack depth for `kstack`/`ustack` without a limit. */
export const DEFAULT_STACK_LIMIT = 127;
/** The longest stack a `kstack(n)`/`ustack(n)` may ask for (the stack map's value size). */
export const MAX_STACK_LIMIT = 127;

/** Where a builtin is evaluated from: a helper, the context, or a compile-time constant. */
export type BuiltinResult = { readonly type: ValueType } | { readonly error: string; readonly hint?: string };

export interface BuiltinEnvironment {
  /** A function: a tracepoint's context is a read of its format file, which only args, argN and retval need. */
  readonly context: () => ContextModel;
  readonly provider: string;
  /** A function: finding task_struct loads the kernel's BTF, which only `curtask` needs. */
  readonly taskStruct: () => CType | undefined;
  readonly cpid: number | undefined;
}

/** The builtins' names, for "did you mean" hints on an unknown identifier. */
export const KNOWN_BUILTINS: readonly string[] = [
  'pid', 'tid', 'uid', 'gid', 'nsecs', 'elapsed', 'cpu', 'cgroup', 'numaid', 'ncpus', 'rand', 'comm', 'probe',
  'username', 'kstack', 'ustack', 'curtask', 'cpid', 'retval', 'args', 'func',
];

/**
 * Builtins bpftrace 0.17 types uint64, as its sign warnings and sizeof show, `rand` too although
 * bpf_get_prandom_u32() gives 32 bits.
 */
const U64_BUILTINS: ReadonlySet<string> = new Set([
  'pid', 'tid', 'uid', 'gid', 'nsecs', 'elapsed', 'cpu', 'cgroup', 'numaid', 'ncpus', 'rand',
]);

/** Probe types whose instruction pointer is a user-space address. */
const USER_PROVIDERS: ReadonlySet<string> = new Set(['uprobe', 'uretprobe', 'usdt']);

export function builtinType(name: string, env: BuiltinEnvironment): BuiltinResult | undefined {
  if (U64_BUILTINS.has(name)) return { type: uint64 };
  switch (name) {
    case 'comm': return { type: { kind: 'string', size: COMM_SIZE } };
    case 'probe': return { type: { kind: 'string', size: PROBE_SIZE } };
    case 'username': return { type: { kind: 'username' } };
    case 'kstack': case 'ustack': return { type: { kind: name, limit: DEFAULT_STACK_LIMIT, mode: 'bpftrace' } };
    case 'curtask': {
      const task = env.taskStruct();
      return task === undefined ? { type: uint64 } : { type: { kind: 'pointer', to: task, user: false } };
    }
    case 'cpid':
      return env.cpid === undefined
        ? { error: 'cpid cannot be used without a child command', hint: "start one with -c 'CMD'" }
        : { type: { kind: 'int', bits: 32, signed: false } };
    case 'retval':
      return env.context().retvalOffset === undefined
        ? {
            error: `retval is only available in return probes (uretprobe, kretprobe, fexit), not in ${env.provider} probes`,
            hint: env.provider === 'tracepoint' ? 'use args.ret in sys_exit tracepoints' : undefined,
          }
        : { type: { kind: 'int', bits: 64, signed: false, user: env.context().userSpace } };
    case 'args':
      return env.context().args.length === 0
        ? { error: `${env.provider} probes have no args`, hint: 'args exist in tracepoint, rawtracepoint typed and fentry probes' }
        : { type: { kind: 'args' } };
    case 'func':
      if (!['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'fentry', 'fexit'].includes(env.provider)) {
        return { error: `func is not available in ${env.provider} probes` };
      }
      return { type: { kind: USER_PROVIDERS.has(env.provider) ? 'usym' : 'ksym' } };
  }
  const arg = /^arg(\d+)$/.exec(name);
  if (arg !== null) {
    const offset = env.context().argOffset?.(Number(arg[1]));
    return offset === undefined
      ? { error: `${name} is not available in ${env.provider} probes`, hint: env.context().args.length > 0 ? 'use args.NAME' : undefined }
      : { type: { kind: 'int', bits: 64, signed: false, user: env.context().userSpace } };
  }
  return undefined;
}
