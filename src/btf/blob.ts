// Decoding of the BTF wire format (see /usr/include/linux/btf.h). Opening a blob only walks the type
// section once to record where each type starts; full type records are decoded on demand, because a
// kernel image has ~126k types and most sessions touch a few dozen of them.

import { isAscii } from 'node:buffer';
import { BtfError } from './errors.js';
import type { BtfKind, BtfLinkage, BtfMember, BtfType } from './types.js';

export const BTF_MAGIC = 0xeb9f;
// The magic read little-endian from a big-endian blob (e.g. a BTF section from an s390x ELF file).
const BTF_MAGIC_SWAPPED = 0x9feb;
export const HEADER_MIN_LEN = 24;
const TYPE_HEADER_LEN = 12;

// Kind numbers in UAPI order; index 0 (UNKN) never appears in a valid type section.
export const KIND_BY_NUMBER: readonly (BtfKind | undefined)[] = [
  undefined,
  'int',
  'ptr',
  'array',
  'struct',
  'union',
  'enum',
  'fwd',
  'typedef',
  'volatile',
  'const',
  'restrict',
  'func',
  'func_proto',
  'var',
  'datasec',
  'float',
  'decl_tag',
  'type_tag',
  'enum64',
];

export const LINKAGES: readonly BtfLinkage[] = ['static', 'global', 'extern'];

/** Bytes that follow the common 12-byte header, per kind number. */
function trailerLength(kind: number, vlen: number): number {
  switch (kind) {
    case 1: // int
    case 14: // var
    case 17: // decl_tag
      return 4;
    case 3: // array
      return 12;
    case 4: // struct
    case 5: // union
    case 15: // datasec
    case 19: // enum64
      return 12 * vlen;
    case 6: // enum
    case 13: // func_proto
      return 8 * vlen;
    default:
      return 0;
  }
}

export class BtfBlob {
  private readonly view: DataView;
  private readonly le: boolean;
  /**
   * The string section decoded once as latin1, so byte offsets are string indexes and each name is a
   * cheap slice: building the name index reads ~70k names, and decoding them one by one would cost
   * more than the whole parse. Names are re-decoded as UTF-8 only if the section is not pure ASCII.
   */
  private readonly strings: string;
  private readonly stringsAreAscii: boolean;
  /** Byte offset of each type record, indexed by type id (slot 0 unused). */
  private readonly offsets: Uint32Array;

  constructor(bytes: Uint8Array) {
    if (bytes.length < HEADER_MIN_LEN) throw new BtfError(`BTF blob too short: ${bytes.length} bytes`);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = this.view.getUint16(0, true);
    if (magic === BTF_MAGIC) this.le = true;
    else if (magic === BTF_MAGIC_SWAPPED) this.le = false;
    else throw new BtfError(`bad BTF magic 0x${magic.toString(16)} (expected 0xeb9f)`);
    const version = this.view.getUint8(2);
    if (version !== 1) throw new BtfError(`unsupported BTF version ${version}`);
    const hdrLen = this.u32(4);
    const typeStart = hdrLen + this.u32(8);
    const typeEnd = typeStart + this.u32(12);
    const stringsStart = hdrLen + this.u32(16);
    const stringsEnd = stringsStart + this.u32(20);
    if (hdrLen < HEADER_MIN_LEN || typeEnd > bytes.length || stringsEnd > bytes.length) {
      throw new BtfError(`BTF header sections exceed the blob (${bytes.length} bytes)`);
    }
    const section = Buffer.from(bytes.buffer, bytes.byteOffset + stringsStart, stringsEnd - stringsStart);
    this.strings = section.toString('latin1');
    this.stringsAreAscii = isAscii(section);
    this.offsets = this.scanTypes(typeStart, typeEnd);
  }

  /** Number of ids, counting the implicit `void` at id 0. */
  get typeCount(): number {
    return this.offsets.length;
  }

  /** Name of a type without decoding the rest of its record. */
  nameOf(id: number): string {
    return id === 0 ? '' : this.string(this.u32(this.offsets[id]));
  }

  decode(id: number): BtfType {
    if (id === 0) return { kind: 'void', id: 0, name: '' };
    const at = this.offsets[id];
    const name = this.string(this.u32(at));
    const info = this.u32(at + 4);
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    const sizeOrType = this.u32(at + 8);
    const body = at + TYPE_HEADER_LEN;
    const kind = KIND_BY_NUMBER[(info >>> 24) & 0x1f] as BtfKind;
    switch (kind) {
      case 'int': {
        const enc = this.u32(body);
        const encoding = (enc >>> 24) & 0x0f;
        return {
          kind,
          id,
          name,
          size: sizeOrType,
          signed: (encoding & 1) !== 0,
          char: (encoding & 2) !== 0,
          bool: (encoding & 4) !== 0,
          bitOffset: (enc >>> 16) & 0xff,
          bits: enc & 0xff,
        };
      }
      case 'ptr':
        return { kind, id, name, type: sizeOrType };
      case 'typedef':
      case 'volatile':
      case 'const':
      case 'restrict':
      case 'type_tag':
        return { kind, id, name, type: sizeOrType };
      case 'array':
        return { kind, id, name, elementType: this.u32(body), indexType: this.u32(body + 4), length: this.u32(body + 8) };
      case 'struct':
      case 'union':
        return { kind, id, name, size: sizeOrType, members: this.decodeMembers(body, vlen, kindFlag) };
      case 'enum': {
        const values = [];
        for (let i = 0, p = body; i < vlen; i++, p += 8) {
          const raw = this.u32(p + 4);
          values.push({ name: this.string(this.u32(p)), value: kindFlag ? raw | 0 : raw });
        }
        return { kind, id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case 'enum64': {
        const values = [];
        for (let i = 0, p = body; i < vlen; i++, p += 12) {
          const raw = (BigInt(this.u32(p + 8)) << 32n) | BigInt(this.u32(p + 4));
          values.push({ name: this.string(this.u32(p)), value: kindFlag ? BigInt.asIntN(64, raw) : raw });
        }
        return { kind, id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case 'fwd':
        return { kind, id, name, fwdKind: kindFlag ? 'union' : 'struct' };
      case 'func':
        return { kind, id, name, type: sizeOrType, linkage: this.linkage(vlen, id) };
      case 'func_proto': {
        const params = [];
        for (let i = 0, p = body; i < vlen; i++, p += 8) {
          params.push({ name: this.string(this.u32(p)), type: this.u32(p + 4) });
        }
        const last = params[params.length - 1];
        const variadic = last !== undefined && last.type === 0 && last.name === '';
        return { kind, id, name, returnType: sizeOrType, params: variadic ? params.slice(0, -1) : params, variadic };
      }
      case 'var':
        return { kind, id, name, type: sizeOrType, linkage: this.linkage(this.u32(body), id) };
      case 'datasec': {
        const vars = [];
        for (let i = 0, p = body; i < vlen; i++, p += 12) {
          vars.push({ type: this.u32(p), offset: this.u32(p + 4), size: this.u32(p + 8) });
        }
        return { kind, id, name, size: sizeOrType, vars };
      }
      case 'float':
        return { kind, id, name, size: sizeOrType };
      case 'decl_tag':
        return { kind, id, name, type: sizeOrType, componentIndex: this.view.getInt32(body, this.le) };
      case 'void':
        throw new BtfError(`type ${id} has kind UNKN`);
    }
  }

  private decodeMembers(body: number, vlen: number, kindFlag: boolean): BtfMember[] {
    const members: BtfMember[] = [];
    for (let i = 0, p = body; i < vlen; i++, p += 12) {
      const offset = this.u32(p + 8);
      members.push({
        name: this.string(this.u32(p)),
        type: this.u32(p + 4),
        bitOffset: kindFlag ? offset & 0xffffff : offset,
        bitfieldSize: kindFlag ? offset >>> 24 : 0,
      });
    }
    return members;
  }

  private linkage(value: number, id: number): BtfLinkage {
    const linkage = LINKAGES[value];
    if (linkage === undefined) throw new BtfError(`type ${id} has unknown linkage ${value}`);
    return linkage;
  }

  private scanTypes(start: number, end: number): Uint32Array {
    // Grown by doubling: the type count is not in the header, only the section length is.
    let offsets = new Uint32Array(1024);
    let count = 1;
    let at = start;
    while (at < end) {
      if (at + TYPE_HEADER_LEN > end) throw new BtfError(`type ${count} is truncated at byte ${at}`);
      const info = this.u32(at + 4);
      const kind = (info >>> 24) & 0x1f;
      if (KIND_BY_NUMBER[kind] === undefined) {
        throw new BtfError(`type ${count} has unknown BTF kind ${kind} at byte ${at}`);
      }
      if (count === offsets.length) {
        const grown = new Uint32Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      offsets[count++] = at;
      at += TYPE_HEADER_LEN + trailerLength(kind, info & 0xffff);
    }
    if (at !== end) throw new BtfError(`last type overruns the type section by ${at - end} bytes`);
    return offsets.slice(0, count);
  }

  private string(offset: number): string {
    if (offset === 0) return '';
    const end = this.strings.indexOf('\0', offset);
    if (offset >= this.strings.length || end < 0) {
      throw new BtfError(`string offset ${offset} is outside the string section`);
    }
    const raw = this.strings.slice(offset, end);
    return this.stringsAreAscii ? raw : Buffer.from(raw, 'latin1').toString('utf8');
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }
}
