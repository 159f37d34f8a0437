// Structs and arrays as values: `print(*p)`, `@m = p->inner`, `@m[*p]`. Their bytes are copied whole
// from kernel or user memory, so the wire type keeps the C layout, member by member, and the runtime
// decodes each member where C put it. Char arrays become strings, as bpftrace prints them.
import type { RecordMember, Type } from '../abi/index.js';
import { type CType, cAlignOf, cSizeOf, cTypeName, isCharArray } from './c-types.js';

/**
 * The wire type of a C object, or undefined when a member has no value form: bitfields (whose bits
 * the copy does not separate), functions and void.
 */
export function cObjectType(type: CType): Type | undefined {
  switch (type.kind) {
    case 'int': return { kind: 'int', bits: (type.size * 8) as 8 | 16 | 32 | 64, signed: type.signed };
    // bpftrace prints a pointer member as its integer value.
    case 'pointer': return { kind: 'int', bits: 64, signed: false };
    case 'array': {
      if (isCharArray(type)) return { kind: 'string', size: type.length };
      const element = cObjectType(type.element);
      return element === undefined ? undefined : { kind: 'array', element, length: type.length };
    }
    case 'record': {
      const fields: RecordMember[] = [];
      for (const name of type.record.fieldNames()) {
        const field = type.record.field(name);
        const member = field === undefined || field.bitWidth > 0 ? undefined : cObjectType(field.type);
        if (field === undefined || member === undefined) return undefined;
        fields.push({ name, offset: field.offset, type: member });
      }
      return { kind: 'record', name: cTypeName(type), size: cSizeOf(type), align: cAlignOf(type), fields };
    }
    case 'void': case 'function': return undefined;
  }
}
