// The types of values that exist both in BPF programs and in user space: integers, strings, buffers,
// tuples, symbols, stacks, and the aggregations stored in maps. The code generator lays values out in
// map keys/values and ring-buffer records with `sizeOf`/`tupleLayout`; the runtime decodes those bytes
// with the same functions, so both sides always agree.

export type IntBits = 8 | 16 | 32 | 64;

/** How a stack prints: bpftrace's indented `sym+off` lines, or perf's `\taddr sym+off` (plus the module for ustack). */
export type StackMode = 'bpftrace' | 'perf';

/** A member of a C struct value, at its byte offset in the struct. */
export interface RecordMember {
  readonly name: string;
  readonly offset: number;
  readonly type: Type;
}

export type Type =
  | { readonly kind: 'int'; readonly bits: IntBits; readonly signed: boolean }
  /** NUL-padded text of at most size-1 bytes (bpftrace's default string size is 64). */
  | { readonly kind: 'string'; readonly size: number }
  /** buf(): u32 length followed by `size` bytes. */
  | { readonly kind: 'buffer'; readonly size: number }
  | { readonly kind: 'tuple'; readonly elements: readonly Type[] }
  /** A C struct or union copied whole, in its C layout (`name` is e.g. `struct sock`); printed `{ .a = 1 }`. */
  | { readonly kind: 'record'; readonly name: string; readonly size: number; readonly align: number; readonly fields: readonly RecordMember[] }
  /** A C array of anything but chars (char arrays are strings), printed `[1,2]`. */
  | { readonly kind: 'array'; readonly element: Type; readonly length: number }
  /** A pointer into kernel or user memory; `target` names the pointee for printing and field access. */
  | { readonly kind: 'pointer'; readonly target: string; readonly userSpace: boolean }
  /** A kernel or user address printed as a symbol (ksym/usym); usym carries the pid for resolution. */
  | { readonly kind: 'ksym' }
  | { readonly kind: 'usym' }
  /** A stack id from a STACK_TRACE map (kstack/ustack), plus the pid for ustack. */
  | { readonly kind: 'kstack'; readonly limit: number; readonly mode: StackMode }
  | { readonly kind: 'ustack'; readonly limit: number; readonly mode: StackMode }
  /** ntop(): u32 address family + 16 bytes of address. */
  | { readonly kind: 'inet' }
  /** macaddr(): six bytes printed as `XX:XX:XX:XX:XX:XX`. */
  | { readonly kind: 'macaddr' }
  /** A uid resolved to a user name when printed (username builtin). */
  | { readonly kind: 'username' }
  /** An errno number printed as the C library's message for it (strerror()). */
  | { readonly kind: 'strerror' }
  /**
   * strftime(): the u64 nanoseconds since boot (CLOCK_MONOTONIC, as `nsecs`) it was given, printed
   * with `format` (strftime(3) plus bpftrace's `%f` microseconds) after adding the boot time.
   */
  | { readonly kind: 'timestamp'; readonly format: string }
  | { readonly kind: 'none' };

export const u8: Type = { kind: 'int', bits: 8, signed: false };
export const u16: Type = { kind: 'int', bits: 16, signed: false };
export const u32: Type = { kind: 'int', bits: 32, signed: false };
export const u64: Type = { kind: 'int', bits: 64, signed: false };
export const s32: Type = { kind: 'int', bits: 32, signed: true };
export const s64: Type = { kind: 'int', bits: 64, signed: true };
export const none: Type = { kind: 'none' };
export const DEFAULT_STRING_SIZE = 64;
export const stringType = (size = DEFAULT_STRING_SIZE): Type => ({ kind: 'string', size });

/** Byte size of a value of this type inside a key, value or record. */
export function sizeOf(type: Type): number {
  switch (type.kind) {
    case 'int': return type.bits / 8;
    case 'string': return type.size;
    case 'buffer': return 4 + type.size;
    case 'tuple': return tupleLayout(type.elements).size;
    case 'record': return type.size;
    case 'array': return type.length * sizeOf(type.element);
    case 'inet': return 20;
    case 'macaddr': return 6;
    case 'kstack': case 'ustack': return 16; // u64 stack id (or negative errno) + u64 pid
    case 'usym': return 16; // u64 address + u64 pid of the process it belongs to, as in bpftrace
    case 'pointer': case 'ksym': case 'username': case 'strerror': case 'timestamp': return 8;
    case 'none': return 0;
  }
}

export function alignOf(type: Type): number {
  switch (type.kind) {
    case 'int': return type.bits / 8;
    case 'string': case 'buffer': case 'macaddr': return 1;
    case 'inet': return 4;
    case 'tuple': return Math.max(1, ...type.elements.map(alignOf));
    case 'record': return type.align;
    case 'array': return alignOf(type.element);
    case 'none': return 1;
    default: return 8;
  }
}

export interface Layout {
  readonly offsets: readonly number[];
  /** Total size, padded to a multiple of the largest alignment (C struct rules). */
  readonly size: number;
}

/** C struct layout of consecutive fields: tuples, multi-key map keys, printf argument records. */
export function tupleLayout(types: readonly Type[]): Layout {
  let offset = 0;
  let maxAlign = 1;
  const offsets = types.map((type) => {
    const align = alignOf(type);
    maxAlign = Math.max(maxAlign, align);
    offset = Math.ceil(offset / align) * align;
    const at = offset;
    offset += sizeOf(type);
    return at;
  });
  return { offsets, size: Math.ceil(offset / maxAlign) * maxAlign };
}

/** Readable type names for diagnostics: `uint64`, `int32`, `string[64]`, `(uint64, string[16])`. */
export function typeName(type: Type): string {
  switch (type.kind) {
    case 'int': return `${type.signed ? 'int' : 'uint'}${type.bits}`;
    case 'string': return `string[${type.size}]`;
    case 'buffer': return `buffer[${type.size}]`;
    case 'tuple': return `(${type.elements.map(typeName).join(', ')})`;
    case 'pointer': return `${type.target} *`;
    case 'record': return type.name;
    case 'array': return `${typeName(type.element)}[${type.length}]`;
    default: return type.kind;
  }
}
