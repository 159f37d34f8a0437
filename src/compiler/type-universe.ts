// Where named C types come from: the script's preamble (`struct` definitions, which win, as they do
// in bpftrace), then the kernel's BTF. Also turns written types (`TypeExpr` of casts and members) and
// the C type text of tracepoint fields into `CType`s.
import type { BtfType } from '../btf/index.js';
import type { CRecord, TypeExpr } from '../lang/index.js';
import {
  type CField, type CRecordInfo, type CType, cAlignOf, cInt, cPointer, cSizeOf, cVoid, intTypeByName,
} from './c-types.js';
import type { BtfTypes } from './compile-options.js';

/** Evaluates an array dimension or bitfield width; returns undefined when it is not a constant. */
export type ConstantEvaluator = (expr: NonNullable<TypeExpr['arrayDims'][number]>) => bigint | undefined;

export class TypeUniverse {
  private readonly btfRecords = new Map<number, CRecordInfo>();
  private readonly preambleRecords = new Map<string, CRecordInfo>();
  private enumValues: Map<string, bigint> | undefined;

  constructor(
    private readonly btf: BtfTypes | undefined,
    records: readonly CRecord[],
    private readonly evaluate: ConstantEvaluator,
  ) {
    for (const record of records) {
      if (record.name !== '') this.preambleRecords.set(`${record.tag} ${record.name}`, this.fromPreamble(record));
    }
  }

  get hasBtf(): boolean {
    return this.btf !== undefined;
  }

  /** `struct task_struct` → its layout, or undefined when neither the preamble nor BTF knows it. */
  record(tag: 'struct' | 'union', name: string): CRecordInfo | undefined {
    const local = this.preambleRecords.get(`${tag} ${name}`);
    if (local !== undefined) return local;
    const found = this.btf?.findType(name, tag);
    return found === undefined ? undefined : this.btfRecord(found.id);
  }

  /** A type name without tag: `uint32`, `unsigned long`, `pid_t`, or a BTF typedef. */
  named(name: string): CType | undefined {
    const builtin = intTypeByName(name);
    if (builtin !== undefined) return builtin;
    if (name === 'void') return cVoid;
    const found = this.btf?.findType(name);
    if (found === undefined || found.kind === 'func') return undefined;
    return this.fromBtf(found.id);
  }

  /** Resolves a written type; returns a message naming what is unknown instead of throwing. */
  fromTypeExpr(type: TypeExpr): CType | string {
    let base: CType | undefined;
    if (type.record !== null) base = { kind: 'record', record: this.fromPreamble(type.record) };
    else if (type.tag === 'struct' || type.tag === 'union') {
      const record = this.record(type.tag, type.name);
      if (record === undefined) return `unknown ${type.tag} ${type.name}`;
      base = { kind: 'record', record };
    } else if (type.tag === 'enum') {
      base = cInt(4, false);
    } else {
      base = this.named(type.name);
      if (base === undefined) return `unknown type ${type.name}`;
    }
    for (let i = 0; i < type.pointerDepth; i++) base = cPointer(base);
    for (let i = type.arrayDims.length - 1; i >= 0; i--) {
      const dim = type.arrayDims[i];
      const length = dim === null ? 0n : this.evaluate(dim);
      if (length === undefined) return 'array dimension is not a constant';
      base = { kind: 'array', element: base, length: Number(length) };
    }
    return base;
  }

  /**
   * The C text of a tracepoint field (`const char *`, `char[16]`, `unsigned long[6]`,
   * `struct file *`). Unknown base types become integers of `size` bytes so the field stays usable.
   */
  fromCText(text: string, size: number, signed: boolean): CType {
    const dims: number[] = [];
    let rest = text.replace(/\b(const|volatile|__user|__data_loc|restrict)\b/g, ' ');
    for (let match = /\[(\d*)\]\s*$/.exec(rest); match !== null; match = /\[(\d*)\]\s*$/.exec(rest)) {
      dims.unshift(match[1] === '' ? 0 : Number(match[1]));
      rest = rest.slice(0, match.index);
    }
    const pointers = (rest.match(/\*/g) ?? []).length;
    const name = rest.replace(/\*/g, ' ').trim().replace(/\s+/g, ' ');
    const tagged = /^(struct|union|enum) (\w+)$/.exec(name);
    let base: CType | undefined;
    if (tagged !== null && tagged[1] !== 'enum') {
      const record = this.record(tagged[1] as 'struct' | 'union', tagged[2]);
      base = record === undefined ? cVoid : { kind: 'record', record };
    } else if (tagged === null) {
      base = this.named(name);
    }
    if (base === undefined || (pointers === 0 && dims.length === 0 && base.kind !== 'int')) {
      const width = pointers > 0 ? 8 : size / Math.max(1, dims.reduce((a, b) => a * Math.max(b, 1), 1));
      base = [1, 2, 4, 8].includes(width) ? cInt(width as 1 | 2 | 4 | 8, signed) : cVoid;
    }
    for (let i = 0; i < pointers; i++) base = cPointer(base);
    for (let i = dims.length - 1; i >= 0; i--) base = { kind: 'array', element: base, length: dims[i] };
    return base;
  }

  /** An enumerator of any enum in BTF (`TCP_FIN_WAIT1`); the index is built on first use. */
  enumConstant(name: string): bigint | undefined {
    const count = this.btf?.typeCount;
    if (this.btf === undefined || count === undefined) return undefined;
    if (this.enumValues === undefined) {
      const values = new Map<string, bigint>();
      for (let id = 1; id < count; id++) {
        const t = this.btf.type(id);
        if (t.kind !== 'enum' && t.kind !== 'enum64') continue;
        for (const value of t.values) if (!values.has(value.name)) values.set(value.name, BigInt(value.value));
      }
      this.enumValues = values;
    }
    return this.enumValues.get(name);
  }

  fromBtf(id: number): CType {
    const btf = this.requireBtf();
    const t: BtfType = btf.resolve(id);
    switch (t.kind) {
      case 'int': {
        const size = [1, 2, 4, 8].includes(t.size) ? (t.size as 1 | 2 | 4 | 8) : 8;
        // Only plain `char` arrays are strings, as in bpftrace; `unsigned char`/`__u8` arrays stay bytes.
        return { kind: 'int', size, signed: t.signed, char: t.char || t.name === 'char' || t.name === 'signed char' };
      }
      case 'enum': case 'enum64': {
        const size = [1, 2, 4, 8].includes(t.size) ? (t.size as 1 | 2 | 4 | 8) : 4;
        return cInt(size, t.signed);
      }
      case 'ptr': return cPointer(t.type === 0 ? cVoid : this.fromBtf(t.type));
      case 'array': return { kind: 'array', element: this.fromBtf(t.elementType), length: t.length };
      case 'struct': case 'union': return { kind: 'record', record: this.btfRecord(t.id) };
      case 'fwd': {
        const full = btf.findType(t.name, t.fwdKind);
        return full === undefined ? cVoid : { kind: 'record', record: this.btfRecord(full.id) };
      }
      case 'func_proto': case 'func': return { kind: 'function' };
      default: return cVoid;
    }
  }

  private requireBtf(): BtfTypes {
    if (this.btf === undefined) throw new Error('BTF type requested without BTF');
    return this.btf;
  }

  private btfRecord(id: number): CRecordInfo {
    const cached = this.btfRecords.get(id);
    if (cached !== undefined) return cached;
    const btf = this.requireBtf();
    const t = btf.resolve(id);
    if (t.kind !== 'struct' && t.kind !== 'union') throw new Error(`BTF type ${id} is not a record`);
    let fields: Map<string, CField> | undefined;
    const build = (): Map<string, CField> => {
      fields ??= this.flattenBtf(id, 0);
      return fields;
    };
    const record: CRecordInfo = {
      tag: t.kind,
      name: t.name,
      size: t.size,
      field: (name) => build().get(name),
      fieldNames: () => [...build().keys()],
    };
    this.btfRecords.set(id, record);
    return record;
  }

  /** Fields of a BTF record by name, anonymous members' fields lifted into it. */
  private flattenBtf(id: number, baseBits: number): Map<string, CField> {
    const btf = this.requireBtf();
    const fields = new Map<string, CField>();
    for (const member of btf.members(id)) {
      const bitOffset = baseBits + member.bitOffset;
      const resolved = btf.resolve(member.type);
      if (member.name === '' && (resolved.kind === 'struct' || resolved.kind === 'union')) {
        for (const [name, field] of this.flattenBtf(member.type, bitOffset)) if (!fields.has(name)) fields.set(name, field);
        continue;
      }
      if (member.name === '') continue;
      const type = this.fromBtf(member.type);
      if (member.bitfieldSize !== 0) {
        const offset = Math.floor(bitOffset / 64) * 8;
        fields.set(member.name, { name: member.name, offset, bitShift: bitOffset - offset * 8, bitWidth: member.bitfieldSize, type });
      } else {
        fields.set(member.name, { name: member.name, offset: bitOffset / 8, bitShift: 0, bitWidth: 0, type });
      }
    }
    return fields;
  }

  /** Lays out a preamble struct/union with C's rules: each member aligned, the size padded. */
  private fromPreamble(record: CRecord): CRecordInfo {
    const fields = new Map<string, CField>();
    let offset = 0;
    let size = 0;
    let align = 1;
    let bitCursor = 0;
    const place = (name: string, type: CType, at: number): void => {
      if (name === '' && type.kind === 'record') {
        for (const inner of type.record.fieldNames()) {
          const field = type.record.field(inner);
          if (field !== undefined) fields.set(inner, { ...field, offset: field.offset + at });
        }
      } else if (name !== '') {
        fields.set(name, { name, offset: at, bitShift: 0, bitWidth: 0, type });
      }
    };
    for (const member of record.members) {
      const resolved = this.fromTypeExpr(member.type);
      const type = typeof resolved === 'string' ? cVoid : resolved;
      const memberAlign = cAlignOf(type);
      const memberSize = cSizeOf(type);
      align = Math.max(align, memberAlign);
      const width = member.bitWidth === null ? undefined : this.evaluate(member.bitWidth);
      if (width !== undefined && record.tag === 'struct') {
        // Bitfields pack into the 64-bit word holding the current bit position.
        const bits = Number(width);
        if (Math.floor(bitCursor / 64) !== Math.floor((bitCursor + bits - 1) / 64)) bitCursor = Math.ceil(bitCursor / 64) * 64;
        const word = Math.floor(bitCursor / 64) * 8;
        fields.set(member.name, { name: member.name, offset: word, bitShift: bitCursor - word * 8, bitWidth: bits, type });
        bitCursor += bits;
        offset = Math.ceil(bitCursor / 8);
        size = Math.max(size, Math.ceil(offset / memberAlign) * memberAlign);
        continue;
      }
      const at = record.tag === 'union' ? 0 : Math.ceil(offset / memberAlign) * memberAlign;
      place(member.name, type, at);
      offset = at + memberSize;
      bitCursor = offset * 8;
      size = Math.max(size, offset);
    }
    const total = Math.ceil(size / align) * align;
    return {
      tag: record.tag,
      name: record.name,
      size: total,
      field: (name) => fields.get(name),
      fieldNames: () => [...fields.keys()],
    };
  }
}
