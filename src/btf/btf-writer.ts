// An encoder for BTF blobs, the inverse of blob.ts. Programs that take a callback's address need BTF of
// their own (program-btf.ts builds it from this); tests use it to state their input type by type instead
// of shipping opaque binary fixtures. Each method appends one type and returns its id; the kind numbers,
// linkages and header layout are blob.ts's, so both sides read the UAPI (linux/btf.h) the same way.
import { BTF_MAGIC, HEADER_MIN_LEN, KIND_BY_NUMBER, LINKAGES } from './blob.js';
import type { BtfKind, BtfLinkage } from './types.js';

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

const BTF_VERSION = 1;
const ENCODING = { signed: 1, char: 2, bool: 4 } as const;

function kindNumber(kind: BtfKind): number {
  return KIND_BY_NUMBER.indexOf(kind);
}

function linkageNumber(linkage: BtfLinkage): number {
  return LINKAGES.indexOf(linkage);
}

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
    const encoding = (options.signed ? ENCODING.signed : 0) | (options.char ? ENCODING.char : 0) | (options.bool ? ENCODING.bool : 0);
    const bits = options.bits ?? size * 8;
    return this.record(name, 'int', 0, false, size, [(encoding << 24) | ((options.bitOffset ?? 0) << 16) | bits]);
  }

  ptr(type: number): number {
    return this.record('', 'ptr', 0, false, type);
  }

  array(elementType: number, indexType: number, length: number): number {
    return this.record('', 'array', 0, false, 0, [elementType, indexType, length]);
  }

  struct(name: string, size: number, members: WriterMember[]): number {
    return this.composite('struct', name, size, members);
  }

  union(name: string, size: number, members: WriterMember[]): number {
    return this.composite('union', name, size, members);
  }

  enum(name: string, size: number, values: [string, number][], signed = false): number {
    const trailer = values.flatMap(([n, v]) => [this.str(n), v >>> 0]);
    return this.record(name, 'enum', values.length, signed, size, trailer);
  }

  enum64(name: string, size: number, values: [string, bigint][], signed = false): number {
    const trailer = values.flatMap(([n, v]) => {
      const raw = BigInt.asUintN(64, v);
      return [this.str(n), Number(raw & 0xffffffffn), Number(raw >> 32n)];
    });
    return this.record(name, 'enum64', values.length, signed, size, trailer);
  }

  fwd(name: string, union = false): number {
    return this.record(name, 'fwd', 0, union, 0);
  }

  typedef(name: string, type: number): number {
    return this.record(name, 'typedef', 0, false, type);
  }

  qualifier(kind: 'const' | 'volatile' | 'restrict', type: number): number {
    return this.record('', kind, 0, false, type);
  }

  typeTag(name: string, type: number): number {
    return this.record(name, 'type_tag', 0, false, type);
  }

  /** A function: its linkage rides in vlen. The verifier checks static functions in their caller's context. */
  func(name: string, proto: number, linkage: BtfLinkage = 'global'): number {
    return this.record(name, 'func', linkageNumber(linkage), false, proto);
  }

  /** A prototype; a function's parameters must be named for the kernel to accept the FUNC using it. */
  funcProto(returnType: number, params: [string, number][], variadic = false): number {
    const all: [string, number][] = variadic ? [...params, ['', 0]] : params;
    return this.record('', 'func_proto', all.length, false, returnType, all.flatMap(([n, t]) => [this.str(n), t]));
  }

  variable(name: string, type: number, linkage: BtfLinkage = 'global'): number {
    return this.record(name, 'var', 0, false, type, [linkageNumber(linkage)]);
  }

  datasec(name: string, size: number, vars: { type: number; offset: number; size: number }[]): number {
    return this.record(name, 'datasec', vars.length, false, size, vars.flatMap((v) => [v.type, v.offset, v.size]));
  }

  float(name: string, size: number): number {
    return this.record(name, 'float', 0, false, size);
  }

  declTag(name: string, type: number, componentIndex: number): number {
    return this.record(name, 'decl_tag', 0, false, type, [componentIndex >>> 0]);
  }

  /** The blob: header, type section, string section, little-endian. */
  build(): Uint8Array {
    const typeLen = this.words.length * 4;
    const out = new Uint8Array(HEADER_MIN_LEN + typeLen + this.stringBytes);
    const view = new DataView(out.buffer);
    view.setUint16(0, BTF_MAGIC, true);
    view.setUint8(2, BTF_VERSION);
    view.setUint32(4, HEADER_MIN_LEN, true);
    view.setUint32(8, 0, true);
    view.setUint32(12, typeLen, true);
    view.setUint32(16, typeLen, true);
    view.setUint32(20, this.stringBytes, true);
    this.words.forEach((w, i) => view.setUint32(HEADER_MIN_LEN + i * 4, w >>> 0, true));
    const encoder = new TextEncoder();
    for (const [text, offset] of this.stringOffsets) out.set(encoder.encode(text), HEADER_MIN_LEN + typeLen + offset);
    return out;
  }

  private record(name: string, kind: BtfKind, vlen: number, kindFlag: boolean, sizeOrType: number, trailer: number[] = []): number {
    return this.raw(name, kindNumber(kind), vlen, kindFlag, sizeOrType, trailer);
  }

  private composite(kind: 'struct' | 'union', name: string, size: number, members: WriterMember[]): number {
    const kindFlag = members.some((m) => (m.bitfieldSize ?? 0) !== 0);
    const trailer = members.flatMap((m) => {
      const offset = kindFlag ? ((m.bitfieldSize ?? 0) << 24) | m.bitOffset : m.bitOffset;
      return [this.str(m.name), m.type, offset >>> 0];
    });
    return this.record(name, kind, members.length, kindFlag, size, trailer);
  }

  private str(text: string): number {
    let offset = this.stringOffsets.get(text);
    if (offset === undefined) {
      offset = this.stringBytes;
      this.stringOffsets.set(text, offset);
      this.stringBytes += Buffer.byteLength(text) + 1;
    }
    return offset;
  }
}
