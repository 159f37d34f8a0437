// The types of expressions during semantic analysis. They extend the wire types of src/abi with what
// only exists inside a program: C pointers that keep their pointee (for `->`), records and arrays
// reached through them (values in kernel or user memory, never loaded whole), and `args`.
//
// Integers and pointers remember whether they point into user memory, which decides between
// probe_read_user and probe_read_kernel when they are dereferenced or passed to str().
import { type IntBits, type StackMode, type Type, DEFAULT_STRING_SIZE } from '../abi/index.js';
import { type CType, cTypeName } from './c-types.js';
import { cObjectType } from './record-values.js';

export type ValueType =
  | { readonly kind: 'int'; readonly bits: IntBits; readonly signed: boolean; readonly user?: boolean }
  | { readonly kind: 'string'; readonly size: number }
  | { readonly kind: 'buffer'; readonly size: number }
  | { readonly kind: 'tuple'; readonly elements: readonly ValueType[] }
  | { readonly kind: 'pointer'; readonly to: CType; readonly user: boolean }
  /** A struct/union or array that lives in kernel or user memory at a known address. */
  | { readonly kind: 'record'; readonly ctype: CType & { kind: 'record' }; readonly user: boolean }
  | { readonly kind: 'array'; readonly ctype: CType & { kind: 'array' }; readonly user: boolean }
  /** The `args` builtin: only its fields are values. */
  | { readonly kind: 'args' }
  | { readonly kind: 'ksym' }
  | { readonly kind: 'usym' }
  | { readonly kind: 'kstack'; readonly limit: number; readonly mode: StackMode }
  | { readonly kind: 'ustack'; readonly limit: number; readonly mode: StackMode }
  | { readonly kind: 'inet' }
  | { readonly kind: 'macaddr' }
  | { readonly kind: 'username' }
  | { readonly kind: 'strerror' }
  | { readonly kind: 'timestamp'; readonly format: string }
  | { readonly kind: 'none' };

export const int64: ValueType = { kind: 'int', bits: 64, signed: true };
export const uint64: ValueType = { kind: 'int', bits: 64, signed: false };
export const noneType: ValueType = { kind: 'none' };
export const defaultString: ValueType = { kind: 'string', size: DEFAULT_STRING_SIZE };

export function intType(bits: IntBits, signed: boolean, user?: boolean): ValueType {
  return user === undefined ? { kind: 'int', bits, signed } : { kind: 'int', bits, signed, user };
}

/** Integers and pointers: what lives in a register and takes part in arithmetic. */
export function isScalar(type: ValueType): boolean {
  return type.kind === 'int' || type.kind === 'pointer';
}

/**
 * Whether an address of this type (or a record or array object itself) is read with the user-space
 * helpers. An integer whose origin is unknown (a literal, arithmetic, a map written elsewhere) follows
 * the probe, as in bpftrace: user memory in uprobes, kernel memory elsewhere.
 */
export function isUserAddress(type: ValueType, userContext: boolean): boolean {
  if (type.kind === 'pointer' || type.kind === 'array' || type.kind === 'record') return type.user;
  return type.kind === 'int' && (type.user ?? userContext);
}

/** Whether a value of this type can be copied into a map, a tuple or an event: not `args`, nor a struct with bitfields. */
export function isStorable(type: ValueType): boolean {
  if (type.kind === 'record' || type.kind === 'array') return cObjectType(type.ctype) !== undefined;
  return type.kind !== 'args';
}

/** Values kept in memory (stack or ring-buffer record) rather than in a register. */
export function isAggregate(type: ValueType): boolean {
  return !isScalar(type) && type.kind !== 'none' && type.kind !== 'args' && type.kind !== 'record' && type.kind !== 'array';
}

/** The wire type of a value stored in a map, a tuple or a record. */
export function toAbi(type: ValueType): Type {
  switch (type.kind) {
    case 'int': return { kind: 'int', bits: type.bits, signed: type.signed };
    case 'string': return { kind: 'string', size: type.size };
    case 'buffer': return { kind: 'buffer', size: type.size };
    case 'tuple': return { kind: 'tuple', elements: type.elements.map(toAbi) };
    case 'pointer': return { kind: 'pointer', target: cTypeName(type.to), userSpace: type.user };
    case 'kstack': case 'ustack': return { kind: type.kind, limit: type.limit, mode: type.mode };
    case 'timestamp': return { kind: 'timestamp', format: type.format };
    case 'ksym': case 'usym': case 'inet': case 'macaddr': case 'username': case 'strerror': return { kind: type.kind };
    case 'record': case 'array': return cObjectType(type.ctype) ?? { kind: 'none' };
    case 'args': case 'none': return { kind: 'none' };
  }
}

/** Type names for diagnostics. */
export function valueTypeName(type: ValueType): string {
  switch (type.kind) {
    case 'int': return `${type.signed ? 'int' : 'uint'}${type.bits}`;
    case 'string': return `string[${type.size}]`;
    case 'buffer': return `buffer[${type.size}]`;
    case 'tuple': return `(${type.elements.map(valueTypeName).join(', ')})`;
    case 'pointer': return `${cTypeName(type.to)} *`;
    case 'record': case 'array': return cTypeName(type.ctype);
    case 'kstack': case 'ustack': return type.mode === 'perf' ? `${type.kind}(perf)` : type.kind;
    default: return type.kind;
  }
}

/**
 * How a value is stored in a map or tuple: integers widen to 64 bits (as bpftrace stores them), and
 * strings keep their size. Signedness is kept so negative values print as such.
 */
export function storageType(type: ValueType): ValueType {
  switch (type.kind) {
    case 'int': return intType(64, type.signed, type.user);
    case 'tuple': return { kind: 'tuple', elements: type.elements.map(storageType) };
    case 'pointer': return { kind: 'pointer', to: type.to, user: type.user };
    default: return type;
  }
}

/**
 * The common type of two stored values of one map or variable, or undefined when they cannot share
 * storage. Strings and buffers grow to the larger size; integers keep the first signedness.
 */
export function unify(a: ValueType, b: ValueType): ValueType | undefined {
  if (a.kind === 'int' && b.kind === 'int') return a;
  if (a.kind === 'pointer' && (b.kind === 'pointer' || b.kind === 'int')) return a;
  if (a.kind === 'int' && b.kind === 'pointer') return a;
  if (a.kind === 'string' && b.kind === 'string') return { kind: 'string', size: Math.max(a.size, b.size) };
  if (a.kind === 'buffer' && b.kind === 'buffer') return { kind: 'buffer', size: Math.max(a.size, b.size) };
  if (a.kind === 'tuple' && b.kind === 'tuple') {
    if (a.elements.length !== b.elements.length) return undefined;
    const elements: ValueType[] = [];
    for (let i = 0; i < a.elements.length; i++) {
      const joined = unify(a.elements[i], b.elements[i]);
      if (joined === undefined) return undefined;
      elements.push(joined);
    }
    return { kind: 'tuple', elements };
  }
  if (a.kind === 'record' || a.kind === 'array') return sameStorage(a, b) ? a : undefined;
  if ((a.kind === 'kstack' && b.kind === 'kstack') || (a.kind === 'ustack' && b.kind === 'ustack')) {
    if (a.mode !== b.mode) return undefined;
    return a.limit >= b.limit ? a : b;
  }
  return a.kind === b.kind ? a : undefined;
}

/** The same layout, so a value of `b` can be stored where `a` is expected without conversion. */
export function sameStorage(a: ValueType, b: ValueType): boolean {
  return JSON.stringify(toAbi(a)) === JSON.stringify(toAbi(b));
}
