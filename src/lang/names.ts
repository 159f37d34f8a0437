// Names the parser must recognise without a symbol table, only to tell `(type)expr` casts apart from
// parenthesised expressions. Whether a name is really a builtin or a type is checked by later passes.

/** Builtins a user may put in parentheses, so `(pid)` and `(comm)` stay expressions. */
const BUILTIN_NAMES: ReadonlySet<string> = new Set([
  'pid', 'tid', 'uid', 'gid', 'nsecs', 'elapsed', 'numaid', 'cpu', 'ncpus', 'comm', 'kstack', 'ustack',
  'stack', 'args', 'ctx', 'retval', 'func', 'probe', 'curtask', 'rand', 'cgroup', 'cpid', 'username',
  'jiffies', 'usermode', '__builtin_retval',
]);

export function isBuiltinName(name: string): boolean {
  return BUILTIN_NAMES.has(name) || /^s?arg[0-9]+$/.test(name);
}

/** C's fundamental type words; a run of them (`unsigned long long`) names one type. */
export const C_BASE_TYPE_WORDS: ReadonlySet<string> = new Set([
  'signed', 'unsigned', 'short', 'long', 'int', 'char', 'float', 'double', 'void', '_Bool',
]);

/** Qualifiers that do not change layout, so the front end drops them. */
export const C_QUALIFIERS: ReadonlySet<string> = new Set(['const', 'volatile', 'restrict', '__restrict']);

/** Types bpftrace knows by name, and the kernel's fixed-width integer typedefs. */
const TYPE_NAMES: ReadonlySet<string> = new Set([
  'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'string', 'inet',
  'buffer', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
]);

export function isKnownTypeName(name: string): boolean {
  return (
    TYPE_NAMES.has(name) ||
    name.split(' ').every((word) => C_BASE_TYPE_WORDS.has(word)) ||
    /^(__)?[us](8|16|32|64)$/.test(name) ||
    /_t$/.test(name)
  );
}
