// Test-only encoder for small BTF blobs, so parser tests can state their input type by type instead
// of shipping opaque binary fixtures. Each method appends one type and returns its id.

export interface WriterMember {
  name: string;
  type: number;
  bitOffset: number;
  /** Non-zero makes the whole struct use the kind_flag member encoding. */
  bitfieldSize?: number;
}

export interface WriterIntOptions {
  signed?: boolean;
  char?: boolean;
  bool?: boolean;
  bits?: number;
  bitOffset?: number;
}

const KIND = {
  int: 1, ptr: 2, array: 3, struct: 4, union: 5, enum: 6, fwd: 7, typedef: 8, volatile: 9, const: 10,
  restrict: 11, func: 12, func_proto: 13, var: 14, datasec: 15, float: 16, decl_tag: 17, type_tag: 18,
  enum64: 19,
} as const;

const LINKAGE = { static: 0, global: 1, extern: 2 } as const;

export class BtfWriter {
  private readonly words: number[] = [];
  private readonly stringOffsets = new Map<string, number>([['', 0]]);
  private stringBytes = 1;
  private nextId = 1;

  /** Appends a raw record: for kinds or layouts the typed helpers refuse to produce. */
  raw(name: string, kind: number, vlen: number, kindFlag: boolean, sizeOrType: number, trailer: number[] = []): number {
    const info = ((kindFlag ? 1 : 0) << 31) | ((kind & 0x1f) << 24) | (vlen & 0xffff);
    this.words.push(this.str(name), info >>> 0, sizeOrType, ...trailer);
    return this.nextId++;
  }

  int(name: string, size: number, options: WriterIntOptions = {}): number {
    const encoding = (options.signed ? 1 : 0) | (options.char ? 2 : 0) | (options.bool ? 4 : 0);
    const bits = options.bits ?? size * 8;
    return this.raw(name, KIND.int, 0, false, size, [(encoding << 24) | ((options.bitOffset ?? 0) << 16) | bits]);
  }

  ptr(type: number): number {
    return this.raw('', KIND.ptr, 0, false, type);
  }

  array(elementType: number, indexType: number, length: number): number {
    return this.raw('', KIND.array, 0, false, 0, [elementType, indexType, length]);
  }

  struct(name: string, size: number, members: WriterMember[]): number {
    return this.composite(KIND.struct, name, size, members);
  }

  union(name: string, size: number, members: WriterMember[]): number {
    return this.composite(KIND.union, name, size, members);
  }

  enum(name: string, size: number, values: [string, number][], signed = false): number {
    const trailer = values.flatMap(([n, v]) => [this.str(n), v >>> 0]);
    return this.raw(name, KIND.enum, values.length, signed, size, trailer);
  }

  enum64(name: string, size: number, values: [string, bigint][], signed = false): number {
    const trailer = values.flatMap(([n, v]) => {
      const raw = BigInt.asUintN(64, v);
      return [this.str(n), Number(raw & 0xffffffffn), Number(raw >> 32n)];
    });
    return this.raw(name, KIND.enum64, values.length, signed, size, trailer);
  }

  fwd(name: string, union = false): number {
    return this.raw(name, KIND.fwd, 0, union, 0);
  }

  typedef(name: string, type: number): number {
    return this.raw(name, KIND.typedef, 0, false, type);
  }

  qualifier(kind: 'const' | 'volatile' | 'restrict', type: number): number {
    return this.raw('', KIND[kind], 0, false, type);
  }

  typeTag(name: string, type: number): number {
    return this.raw(name, KIND.type_tag, 0, false, type);
  }

  func(name: string, proto: number, linkage: keyof typeof LINKAGE = 'global'): number {
    return this.raw(name, KIND.func, LINKAGE[linkage], false, proto);
  }

  funcProto(returnType: number, params: [string, number][], variadic = false): number {
    const all: [string, number][] = variadic ? [...params, ['', 0]] : params;
    return this.raw('', KIND.func_proto, all.length, false, returnType, all.flatMap(([n, t]) => [this.str(n), t]));
  }

  variable(name: string, type: number, linkage: keyof typeof LINKAGE = 'global'): number {
    return this.raw(name, KIND.var, 0, false, type, [LINKAGE[linkage]]);
  }

  datasec(name: string, size: number, vars: { type: number; offset: number; size: number }[]): number {
    return this.raw(name, KIND.datasec, vars.length, false, size, vars.flatMap((v) => [v.type, v.offset, v.size]));
  }

  float(name: string, size: number): number {
    return this.raw(name, KIND.float, 0, false, size);
  }

  declTag(name: string, type: number, componentIndex: number): number {
    return this.raw(name, KIND.decl_tag, 0, false, type, [componentIndex >>> 0]);
  }

  /** The blob: header, type section, string section, little-endian. */
  build(): Uint8Array {
    const headerLen = 24;
    const typeLen = this.words.length * 4;
    const out = new Uint8Array(headerLen + typeLen + this.stringBytes);
    const view = new DataView(out.buffer);
    view.setUint16(0, 0xeb9f, true);
    view.setUint8(2, 1);
    view.setUint32(4, headerLen, true);
    view.setUint32(8, 0, true);
    view.setUint32(12, typeLen, true);
    view.setUint32(16, typeLen, true);
    view.setUint32(20, this.stringBytes, true);
    this.words.forEach((w, i) => view.setUint32(headerLen + i * 4, w >>> 0, true));
    const encoder = new TextEncoder();
    for (const [text, offset] of this.stringOffsets) out.set(encoder.encode(text), headerLen + typeLen + offset);
    return out;
  }

  private composite(kind: number, name: string, size: number, members: WriterMember[]): number {
    const kindFlag = members.some((m) => (m.bitfieldSize ?? 0) !== 0);
    const trailer = members.flatMap((m) => {
      const offset = kindFlag ? ((m.bitfieldSize ?? 0) << 24) | m.bitOffset : m.bitOffset;
      return [this.str(m.name), m.type, offset >>> 0];
    });
    return this.raw(name, kind, members.length, kindFlag, size, trailer);
  }

  private str(text: string): number {
    let offset = this.stringOffsets.get(text);
    if (offset === undefined) {
      offset = this.stringBytes;
      this.stringOffsets.set(text, offset);
      this.stringBytes += new TextEncoder().encode(text).length + 1;
    }
    return offset;
  }
}
