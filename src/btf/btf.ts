// Queries over one BTF blob: lookups by id and name, size and layout questions, and C rendering.
// Types are decoded on first use and kept; the name index is built on the first lookup by name.

import { BtfBlob } from './blob.js';
import { BtfError, BtfNotFoundError } from './errors.js';
import { renderType } from './type-name.js';
import type { BtfFunc, BtfKind, BtfMember, BtfModifier, BtfParam, BtfType, BtfTypeOfKind } from './types.js';

/** Where a (possibly nested) member lives, relative to the start of the outermost struct. */
export interface MemberLocation {
  readonly type: number;
  readonly bitOffset: number;
  /** Byte holding the member's first bit. */
  readonly offset: number;
  /** Width in bits for a bitfield, 0 otherwise. */
  readonly bitfieldSize: number;
}

export interface FunctionPrototype {
  readonly name: string;
  /** Id of the FUNC. */
  readonly id: number;
  /** 0 means `void`. */
  readonly returnType: number;
  readonly params: readonly BtfParam[];
  readonly variadic: boolean;
}

export interface ArrayInfo {
  readonly elementType: number;
  readonly length: number;
  readonly elementSize: number;
}

// BTF does not record pointer width; every target BPF runs on (and every kernel image) uses 8 bytes.
const POINTER_SIZE = 8;
const MAX_CHAIN = 64;
const SCANS_BEFORE_INDEX = 24;

function isModifier(t: BtfType): t is BtfModifier {
  return t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'type_tag';
}

export class Btf {
  private readonly blob: BtfBlob;
  private readonly decoded: (BtfType | undefined)[];
  // Most names belong to one type, so a lone id is stored bare: ~70k small arrays would cost more
  // than the rest of opening vmlinux.
  private byName: Map<string, number | number[]> | undefined;
  /** Lookups answered by scanning (~1 ms each on vmlinux) before the index (~40 ms) pays for itself. */
  private scansLeft = SCANS_BEFORE_INDEX;

  constructor(bytes: Uint8Array) {
    this.blob = new BtfBlob(bytes);
    this.decoded = new Array<BtfType | undefined>(this.blob.typeCount);
  }

  /** Number of ids including `void` (id 0); valid ids are 0 .. typeCount - 1. */
  get typeCount(): number {
    return this.blob.typeCount;
  }

  type(id: number): BtfType {
    if (!Number.isInteger(id) || id < 0 || id >= this.blob.typeCount) {
      throw new BtfNotFoundError(`type id ${id}`, `valid ids are 0..${this.blob.typeCount - 1}`);
    }
    let t = this.decoded[id];
    if (t === undefined) {
      t = this.blob.decode(id);
      this.decoded[id] = t;
    }
    return t;
  }

  /**
   * First type with this name, optionally of one kind. Without a kind a full definition wins over a
   * forward declaration, since callers asking for `task_struct` want its layout.
   */
  findType<K extends BtfKind>(name: string, kind?: K): BtfTypeOfKind<K> | undefined {
    const ids = this.idsNamed(name);
    let fallback: BtfType | undefined;
    for (const id of ids) {
      const t = this.type(id);
      if (kind !== undefined ? t.kind === kind : t.kind !== 'fwd') return t as BtfTypeOfKind<K>;
      fallback ??= t;
    }
    return kind === undefined ? (fallback as BtfTypeOfKind<K> | undefined) : undefined;
  }

  /** Like `findType`, but a missing type is an error naming it. */
  expectType<K extends BtfKind>(name: string, kind?: K): BtfTypeOfKind<K> {
    const t = this.findType(name, kind);
    if (t === undefined) throw new BtfNotFoundError(kind === undefined ? `type ${name}` : `${kind} ${name}`);
    return t;
  }

  findFunction(name: string): BtfFunc | undefined {
    return this.findType(name, 'func');
  }

  functionPrototype(name: string): FunctionPrototype {
    const func = this.findFunction(name);
    if (func === undefined) throw new BtfNotFoundError(`function ${name}`);
    const proto = this.type(func.type);
    if (proto.kind !== 'func_proto') throw new BtfError(`function ${name} has ${proto.kind} ${func.type} as prototype`);
    return { name, id: func.id, returnType: proto.returnType, params: proto.params, variadic: proto.variadic };
  }

  /**
   * Typed arguments of a raw (tp_btf) tracepoint. Their types come from the `btf_trace_<name>` typedef
   * the kernel declares for each tracepoint: a pointer to a prototype whose first parameter is the
   * probe's `void *` context. That prototype carries no parameter names, so names are taken from a
   * function with the same parameters: `__probestub_<name>` (kernel 6.4+) or `__bpf_trace_<name>`.
   */
  findTracepointType(name: string): readonly BtfParam[] | undefined {
    const typedef = this.findType(`btf_trace_${name}`, 'typedef');
    if (typedef === undefined) return undefined;
    const ptr = this.resolve(typedef.type);
    const proto = ptr.kind === 'ptr' ? this.resolve(ptr.type) : ptr;
    if (proto.kind !== 'func_proto' || proto.params.length === 0) {
      throw new BtfError(`btf_trace_${name} is not a pointer to a prototype with a context parameter`);
    }
    const named = this.tracepointParamNames(name, proto.params.length);
    return proto.params.slice(1).map((p, i) => ({ name: p.name || named?.[i + 1] || `arg${i}`, type: p.type }));
  }

  private tracepointParamNames(name: string, count: number): string[] | undefined {
    for (const candidate of [`__probestub_${name}`, `__bpf_trace_${name}`]) {
      const func = this.findFunction(candidate);
      const proto = func === undefined ? undefined : this.type(func.type);
      if (proto?.kind === 'func_proto' && proto.params.length === count) return proto.params.map((p) => p.name);
    }
    return undefined;
  }

  /** The type behind typedefs, qualifiers and type tags. */
  resolve(id: number): BtfType {
    let t = this.type(id);
    for (let depth = 0; isModifier(t); depth++) {
      if (depth > MAX_CHAIN) throw new BtfError(`type ${id} has a typedef/qualifier chain that does not end`);
      t = this.type(t.type);
    }
    return t;
  }

  sizeOf(id: number): number {
    const t = this.resolve(id);
    switch (t.kind) {
      case 'int':
      case 'enum':
      case 'enum64':
      case 'struct':
      case 'union':
      case 'float':
      case 'datasec':
        return t.size;
      case 'ptr':
        return POINTER_SIZE;
      case 'array':
        return t.length * this.sizeOf(t.elementType);
      case 'var':
        return this.sizeOf(t.type);
      default:
        throw new BtfError(`${this.typeName(id)} (type ${id}, ${t.kind}) has no size`);
    }
  }

  /**
   * Members of a struct or union (through typedefs). Old-style bitfields, encoded as an INT member
   * type with fewer bits than its storage, come back with the same shape as kind_flag bitfields.
   */
  members(id: number): BtfMember[] {
    const t = this.resolve(id);
    if (t.kind !== 'struct' && t.kind !== 'union') {
      throw new BtfError(`${this.typeName(id)} (type ${id}) is not a struct or union`);
    }
    return t.members.map((m) => {
      if (m.bitfieldSize !== 0) return m;
      const mt = this.resolve(m.type);
      if (mt.kind !== 'int' || (mt.bitOffset === 0 && mt.bits === mt.size * 8)) return m;
      return { ...m, bitOffset: m.bitOffset + mt.bitOffset, bitfieldSize: mt.bits };
    });
  }

  /**
   * Locates `path` (`'a.b.c'`) inside struct or union `id`, looking through anonymous nested structs
   * and unions the way C does. Each step must be embedded; a pointer cannot be crossed without a load.
   */
  member(id: number, path: string): MemberLocation {
    let location: MemberLocation = { type: id, bitOffset: 0, offset: 0, bitfieldSize: 0 };
    let walked = '';
    for (const name of path.split('.')) {
      const container = this.resolve(location.type);
      if (container.kind !== 'struct' && container.kind !== 'union') {
        const what = walked === '' ? this.typeName(id) : `${walked} (${this.typeName(location.type)})`;
        throw new BtfError(`cannot take member ${name} of ${what}: not a struct or union`);
      }
      const found = this.findMember(location.type, name, 0);
      if (found === undefined) throw new BtfNotFoundError(`member ${name} in ${this.typeName(location.type)}`);
      const bitOffset = location.bitOffset + found.bitOffset;
      location = { type: found.type, bitOffset, offset: Math.floor(bitOffset / 8), bitfieldSize: found.bitfieldSize };
      walked = walked === '' ? name : `${walked}.${name}`;
    }
    return location;
  }

  private findMember(id: number, name: string, depth: number): BtfMember | undefined {
    if (depth > MAX_CHAIN) throw new BtfError(`type ${id} nests anonymous members without end`);
    const members = this.members(id);
    const direct = members.find((m) => m.name === name);
    if (direct !== undefined) return direct;
    for (const m of members) {
      if (m.name !== '') continue;
      const kind = this.resolve(m.type).kind;
      if (kind !== 'struct' && kind !== 'union') continue;
      const inner = this.findMember(m.type, name, depth + 1);
      if (inner !== undefined) return { ...inner, bitOffset: m.bitOffset + inner.bitOffset };
    }
    return undefined;
  }

  /** C spelling of the type, e.g. `struct task_struct *`; with `declarator`, a declaration of it. */
  typeName(id: number, declarator = ''): string {
    return renderType((i) => this.type(i), id, declarator);
  }

  /** Signed integers and enums with signed values; floats and everything else are not. */
  isSigned(id: number): boolean {
    const t = this.resolve(id);
    return (t.kind === 'int' || t.kind === 'enum' || t.kind === 'enum64') && t.signed;
  }

  isPointer(id: number): boolean {
    return this.resolve(id).kind === 'ptr';
  }

  /** Integers (including `bool` and `char`) and enums: whatever a register holds as a plain number. */
  isInteger(id: number): boolean {
    const kind = this.resolve(id).kind;
    return kind === 'int' || kind === 'enum' || kind === 'enum64';
  }

  arrayInfo(id: number): ArrayInfo | undefined {
    const t = this.resolve(id);
    if (t.kind !== 'array') return undefined;
    return { elementType: t.elementType, length: t.length, elementSize: this.sizeOf(t.elementType) };
  }

  /** A short script asks for a few names; a few scans cost less than building the index for them. */
  private idsNamed(name: string): readonly number[] {
    if (this.byName === undefined && this.scansLeft > 0) {
      this.scansLeft--;
      return this.blob.idsNamed(name);
    }
    const entry = this.nameIndex().get(name);
    return entry === undefined ? [] : typeof entry === 'number' ? [entry] : entry;
  }

  private nameIndex(): Map<string, number | number[]> {
    if (this.byName !== undefined) return this.byName;
    const index = new Map<string, number | number[]>();
    for (let id = 1; id < this.blob.typeCount; id++) {
      const name = this.blob.nameOf(id);
      if (name === '') continue;
      const entry = index.get(name);
      if (entry === undefined) index.set(name, id);
      else if (typeof entry === 'number') index.set(name, [entry, id]);
      else entry.push(id);
    }
    this.byName = index;
    return index;
  }
}
