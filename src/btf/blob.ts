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
  private readonly stringBytes: Buffer;
  /**
   * The string section decoded as latin1 on first use, so byte offsets are string indexes and each
   * name is a cheap slice: building the name index reads ~70k names, and decoding them one by one
   * would cost more than the whole parse. Names are re-decoded as UTF-8 only if the section is not
   * pure ASCII. Looking up one name (`idsNamed`) needs neither.
   */
  private decodedStrings: { readonly text: string; readonly ascii: boolean } | undefined;
  /** Byte offset of each type record, indexed by type id (slot 0 unused). */
  private readonly offsets: Uint32Array;
  /** String offset of each type's name, indexed by type id. */
  private readonly names: Uint32Array;

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
    this.stringBytes = Buffer.from(bytes.buffer, bytes.byteOffset + stringsStart, stringsEnd - stringsStart);
    if (typeStart % 4 !== 0) throw new BtfError(`BTF type section at byte ${typeStart} is not 4-byte aligned`);
    ({ offsets: this.offsets, names: this.names } = this.scanTypes(bytes, typeStart, typeEnd));
  }

  /** Number of ids, counting the implicit `void` at id 0. */
  get typeCount(): number {
    return this.offsets.length;
  }

  /** Name of a type without decoding the rest of its record. */
  nameOf(id: number): string {
    if (id === 0) return '';
    const offset = this.names[id];
    return offset === 0 ? '' : this.sliceDecoded(offset);
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

  /**
   * Finds every type record: its byte offset and its name's offset, by id. Runs over 32-bit words
   * because this loop is most of opening vmlinux (~130k types), and it runs before V8 optimises it.
   */
  private scanTypes(bytes: Uint8Array, start: number, end: number): { offsets: Uint32Array; names: Uint32Array } {
    const words = nativeWords(bytes, this.le);
    // Grown by doubling: the type count is not in the header, only the section length is.
    let offsets: Uint32Array = new Uint32Array(1024);
    let names: Uint32Array = new Uint32Array(1024);
    let count = 1;
    let at = start;
    while (at < end) {
      if (at + TYPE_HEADER_LEN > end) throw new BtfError(`type ${count} is truncated at byte ${at}`);
      const info = words[(at >>> 2) + 1];
      const kind = (info >>> 24) & 0x1f;
      if (KIND_BY_NUMBER[kind] === undefined) {
        throw new BtfError(`type ${count} has unknown BTF kind ${kind} at byte ${at}`);
      }
      if (count === offsets.length) {
        offsets = grown(offsets);
        names = grown(names);
      }
      offsets[count] = at;
      names[count++] = words[at >>> 2];
      at += TYPE_HEADER_LEN + trailerLength(kind, info & 0xffff);
    }
    if (at !== end) throw new BtfError(`last type overruns the type section by ${at - end} bytes`);
    return { offsets: offsets.slice(0, count), names: names.slice(0, count) };
  }

  /**
   * Ids of the types named `name`, found without decoding any name: the name's offsets in the string
   * section (one, unless the section repeats it), then the types whose name points there.
   */
  idsNamed(name: string): number[] {
    if (name === '') return [];
    // The section starts with the empty string, so every name has a NUL before it.
    const needle = Buffer.from(`\0${name}\0`, 'utf8');
    const wanted: number[] = [];
    for (let at = this.stringBytes.indexOf(needle); at >= 0; at = this.stringBytes.indexOf(needle, at + 1)) wanted.push(at + 1);
    const ids: number[] = [];
    for (const offset of wanted) {
      for (let id = this.names.indexOf(offset, 1); id > 0; id = this.names.indexOf(offset, id + 1)) ids.push(id);
    }
    return ids.sort((a, b) => a - b);
  }

  /** A name by offset: sliced from the decoded section once the name index has decoded it, else read alone. */
  private string(offset: number): string {
    if (offset === 0) return '';
    if (this.decodedStrings !== undefined) return this.sliceDecoded(offset);
    const end = this.stringBytes.indexOf(0, offset);
    if (offset >= this.stringBytes.length || end < 0) throw outsideStrings(offset);
    return this.stringBytes.toString('utf8', offset, end);
  }

  private sliceDecoded(offset: number): string {
    this.decodedStrings ??= { text: this.stringBytes.toString('latin1'), ascii: isAscii(this.stringBytes) };
    const { text, ascii } = this.decodedStrings;
    const end = text.indexOf('\0', offset);
    if (offset >= text.length || end < 0) throw outsideStrings(offset);
    const raw = text.slice(offset, end);
    return ascii ? raw : Buffer.from(raw, 'latin1').toString('utf8');
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }
}

/** The blob as native 32-bit words: a view when it is aligned little-endian (as always on x86), else a swapped copy. */
function nativeWords(bytes: Uint8Array, le: boolean): Uint32Array {
  const count = bytes.byteLength >>> 2;
  if (le && bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = new Uint32Array(count);
  for (let i = 0; i < count; i++) words[i] = view.getUint32(i * 4, le);
  return words;
}

function grown(array: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function outsideStrings(offset: number): BtfError {
  return new BtfError(`string offset ${offset} is outside the string section`);
}
