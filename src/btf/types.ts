// The BTF type model: one interface per kind, joined in the `BtfType` union keyed by `kind`.
// Ids are the positions in the type section (1-based); id 0 is `void` and is never stored in a blob.

export type BtfKind =
  | 'void'
  | 'int'
  | 'ptr'
  | 'array'
  | 'struct'
  | 'union'
  | 'enum'
  | 'fwd'
  | 'typedef'
  | 'volatile'
  | 'const'
  | 'restrict'
  | 'func'
  | 'func_proto'
  | 'var'
  | 'datasec'
  | 'float'
  | 'decl_tag'
  | 'type_tag'
  | 'enum64';

interface BtfTypeBase {
  readonly id: number;
  /** Empty for anonymous types. */
  readonly name: string;
}

export interface BtfVoid extends BtfTypeBase {
  readonly kind: 'void';
}

export interface BtfInt extends BtfTypeBase {
  readonly kind: 'int';
  readonly size: number;
  readonly signed: boolean;
  readonly char: boolean;
  readonly bool: boolean;
  /** Bit offset of the value inside its storage; non-zero only in old-style bitfield encodings. */
  readonly bitOffset: number;
  readonly bits: number;
}

export interface BtfPtr extends BtfTypeBase {
  readonly kind: 'ptr';
  readonly type: number;
}

export interface BtfArray extends BtfTypeBase {
  readonly kind: 'array';
  readonly elementType: number;
  readonly indexType: number;
  readonly length: number;
}

export interface BtfMember {
  readonly name: string;
  readonly type: number;
  /** Offset from the start of the enclosing struct or union, in bits. */
  readonly bitOffset: number;
  /** Width in bits for a bitfield, 0 for an ordinary member. */
  readonly bitfieldSize: number;
}

export interface BtfComposite extends BtfTypeBase {
  readonly kind: 'struct' | 'union';
  readonly size: number;
  /** Members exactly as encoded; `Btf.members()` also decodes old-style (INT-encoded) bitfields. */
  readonly members: readonly BtfMember[];
}

export interface BtfEnumValue<T extends number | bigint> {
  readonly name: string;
  readonly value: T;
}

export interface BtfEnum extends BtfTypeBase {
  readonly kind: 'enum';
  readonly size: number;
  readonly signed: boolean;
  readonly values: readonly BtfEnumValue<number>[];
}

export interface BtfEnum64 extends BtfTypeBase {
  readonly kind: 'enum64';
  readonly size: number;
  readonly signed: boolean;
  readonly values: readonly BtfEnumValue<bigint>[];
}

export interface BtfFwd extends BtfTypeBase {
  readonly kind: 'fwd';
  readonly fwdKind: 'struct' | 'union';
}

/** Kinds that only qualify or rename another type. */
export interface BtfModifier extends BtfTypeBase {
  readonly kind: 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag';
  readonly type: number;
}

export type BtfLinkage = 'static' | 'global' | 'extern';

export interface BtfFunc extends BtfTypeBase {
  readonly kind: 'func';
  /** Id of the FUNC_PROTO. */
  readonly type: number;
  readonly linkage: BtfLinkage;
}

export interface BtfParam {
  readonly name: string;
  readonly type: number;
}

export interface BtfFuncProto extends BtfTypeBase {
  readonly kind: 'func_proto';
  /** 0 means `void`. */
  readonly returnType: number;
  readonly params: readonly BtfParam[];
  /** True when the encoded parameter list ends with the `...` marker (an unnamed void parameter). */
  readonly variadic: boolean;
}

export interface BtfVar extends BtfTypeBase {
  readonly kind: 'var';
  readonly type: number;
  readonly linkage: BtfLinkage;
}

export interface BtfVarSecinfo {
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

export interface BtfDatasec extends BtfTypeBase {
  readonly kind: 'datasec';
  readonly size: number;
  readonly vars: readonly BtfVarSecinfo[];
}

export interface BtfFloat extends BtfTypeBase {
  readonly kind: 'float';
  readonly size: number;
}

export interface BtfDeclTag extends BtfTypeBase {
  readonly kind: 'decl_tag';
  readonly type: number;
  /** -1 when the tag applies to the whole type; otherwise the member or parameter index. */
  readonly componentIndex: number;
}

export type BtfType =
  | BtfVoid
  | BtfInt
  | BtfPtr
  | BtfArray
  | BtfComposite
  | BtfEnum
  | BtfEnum64
  | BtfFwd
  | BtfModifier
  | BtfFunc
  | BtfFuncProto
  | BtfVar
  | BtfDatasec
  | BtfFloat
  | BtfDeclTag;

/** The interface that carries a given kind, e.g. `BtfTypeOfKind<'struct'>` is `BtfComposite`. */
export type BtfTypeOfKind<K extends BtfKind> = KindCarrier<BtfType, K>;

// Distributes over the union so that interfaces covering several kinds (struct|union) still match.
type KindCarrier<T, K> = T extends { kind: infer TK } ? (K extends TK ? T : never) : never;
