// C types as the compiler sees them: integers, pointers, arrays and records (structs/unions) with
// their layout. They come from three places — the kernel's BTF, `struct` definitions in the script's
// preamble, and the C type text of tracepoint fields (`const char *`, `char[16]`) — and are unified
// here so member access, casts and sizeof do not care where a layout came from.
//
// Records are lazy: a record knows its size at once but builds its fields only when asked, because
// BTF types are cyclic (`task_struct.parent` points back to `task_struct`).

export type CType =
  | { readonly kind: 'void' }
  | { readonly kind: 'int'; readonly size: 1 | 2 | 4 | 8; readonly signed: boolean; readonly char: boolean }
  | { readonly kind: 'pointer'; readonly to: CType }
  | { readonly kind: 'array'; readonly element: CType; readonly length: number }
  | { readonly kind: 'record'; readonly record: CRecordInfo }
  /** A function (a prototype reached through a function pointer): only usable as a pointer. */
  | { readonly kind: 'function' };

export interface CField {
  readonly name: string;
  /** Byte offset of the field (of its storage unit for a bitfield) from the record's start. */
  readonly offset: number;
  /** For bitfields: the bit position inside the 8-byte word at `offset`, and the width; else 0, 0. */
  readonly bitShift: number;
  readonly bitWidth: number;
  readonly type: CType;
}

export interface CRecordInfo {
  readonly tag: 'struct' | 'union';
  readonly name: string;
  readonly size: number;
  /** Looks through anonymous nested structs and unions, as C does. */
  field(name: string): CField | undefined;
  fieldNames(): readonly string[];
}

export const cVoid: CType = { kind: 'void' };
export const cChar: CType = { kind: 'int', size: 1, signed: true, char: true };

export function cInt(size: 1 | 2 | 4 | 8, signed: boolean): CType {
  return { kind: 'int', size, signed, char: false };
}

export function cPointer(to: CType): CType {
  return { kind: 'pointer', to };
}

export function cSizeOf(type: CType): number {
  switch (type.kind) {
    case 'void': case 'function': return 1;
    case 'int': return type.size;
    case 'pointer': return 8;
    case 'array': return type.length * cSizeOf(type.element);
    case 'record': return type.record.size;
  }
}

export function cAlignOf(type: CType): number {
  switch (type.kind) {
    case 'void': case 'function': return 1;
    case 'int': return type.size;
    case 'pointer': return 8;
    case 'array': return cAlignOf(type.element);
    case 'record': {
      let align = 1;
      for (const name of type.record.fieldNames()) {
        const field = type.record.field(name);
        if (field !== undefined) align = Math.max(align, cAlignOf(field.type));
      }
      return align;
    }
  }
}

export function cTypeName(type: CType): string {
  switch (type.kind) {
    case 'void': return 'void';
    case 'function': return 'function';
    case 'int':
      if (type.char) return 'char';
      return `${type.signed ? 'int' : 'uint'}${type.size * 8}`;
    case 'pointer': return `${cTypeName(type.to)} *`;
    case 'array': return `${cTypeName(type.element)}[${type.length}]`;
    case 'record': return `${type.record.tag} ${type.record.name}`;
  }
}

/** `char[N]`: arrays that bpftrace treats as strings (not `unsigned char`/`__u8` ones). */
export function isCharArray(type: CType): boolean {
  return type.kind === 'array' && type.element.kind === 'int' && type.element.char;
}

/** Fixed-width and C integer spellings that need no BTF. */
const INT_NAMES: ReadonlyMap<string, CType> = new Map<string, CType>([
  ['bool', cInt(1, false)], ['_Bool', cInt(1, false)],
  ['int8', cInt(1, true)], ['int16', cInt(2, true)], ['int32', cInt(4, true)], ['int64', cInt(8, true)],
  ['uint8', cInt(1, false)], ['uint16', cInt(2, false)], ['uint32', cInt(4, false)], ['uint64', cInt(8, false)],
  ['char', cChar], ['signed char', cChar], ['unsigned char', cInt(1, false)],
  ['short', cInt(2, true)], ['short int', cInt(2, true)], ['signed short', cInt(2, true)],
  ['unsigned short', cInt(2, false)], ['unsigned short int', cInt(2, false)], ['short unsigned int', cInt(2, false)],
  ['int', cInt(4, true)], ['signed', cInt(4, true)], ['signed int', cInt(4, true)],
  ['unsigned', cInt(4, false)], ['unsigned int', cInt(4, false)],
  ['long', cInt(8, true)], ['long int', cInt(8, true)], ['signed long', cInt(8, true)],
  ['unsigned long', cInt(8, false)], ['unsigned long int', cInt(8, false)], ['long unsigned int', cInt(8, false)],
  ['long long', cInt(8, true)], ['long long int', cInt(8, true)],
  ['unsigned long long', cInt(8, false)], ['unsigned long long int', cInt(8, false)],
  ['long long unsigned int', cInt(8, false)],
  ['size_t', cInt(8, false)], ['ssize_t', cInt(8, true)], ['pid_t', cInt(4, true)], ['uid_t', cInt(4, false)],
  ['gid_t', cInt(4, false)], ['loff_t', cInt(8, true)], ['off_t', cInt(8, true)], ['umode_t', cInt(2, false)],
  ['dev_t', cInt(4, false)], ['clockid_t', cInt(4, true)], ['key_serial_t', cInt(4, true)],
  ['qid_t', cInt(4, false)], ['rwf_t', cInt(4, true)], ['aio_context_t', cInt(8, false)],
  ['timer_t', cInt(4, true)], ['mqd_t', cInt(4, true)], ['cap_user_header_t', cPointer(cVoid)],
  ['cap_user_data_t', cPointer(cVoid)], ['fd_set', cInt(8, false)],
]);

export function intTypeByName(name: string): CType | undefined {
  const known = INT_NAMES.get(name);
  if (known !== undefined) return known;
  const fixed = /^(?:__)?([us])(8|16|32|64)$/.exec(name);
  if (fixed === null) return undefined;
  return cInt((Number(fixed[2]) / 8) as 1 | 2 | 4 | 8, fixed[1] === 's');
}
