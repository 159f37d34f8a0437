// The script's maps as inferred across all probes: key types and value kinds. A map is global, so
// every use anywhere must agree; the first use fixes its shape and later ones are checked against
// it (strings grow to the largest size seen, as bpftrace does).
import type { Span } from '../lang/index.js';
import { type ValueType, storageType, unify, valueTypeName } from './value-types.js';

export type AggregationKind = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'stats' | 'hist' | 'lhist';

/** What a map holds: the last value written, or one of the per-CPU aggregations. */
export type MapValue =
  | { readonly kind: 'scalar'; readonly type: ValueType }
  | { readonly kind: 'count' }
  | { readonly kind: 'sum' | 'min' | 'max' | 'avg' | 'stats'; readonly signed: boolean }
  | { readonly kind: 'hist' }
  | { readonly kind: 'lhist'; readonly min: bigint; readonly max: bigint; readonly step: bigint };

export interface MapInfo {
  readonly name: string;
  /** Null for a map used without keys; several keys are stored as one tuple. */
  keyType: ValueType | null;
  value: MapValue | undefined;
  /** Where the map first appeared, for messages about it. */
  readonly span: Span;
}

export function mapValueName(value: MapValue): string {
  switch (value.kind) {
    case 'scalar': return valueTypeName(value.type);
    case 'lhist': return 'lhist()';
    default: return `${value.kind}()`;
  }
}

/** The type a map read yields in an expression, or undefined for maps that cannot be read. */
export function readType(value: MapValue): ValueType | undefined {
  switch (value.kind) {
    case 'scalar': return value.type;
    case 'count': return { kind: 'int', bits: 64, signed: false };
    case 'sum': case 'min': case 'max': case 'avg': return { kind: 'int', bits: 64, signed: value.signed };
    default: return undefined;
  }
}

export class MapTable {
  private readonly maps = new Map<string, MapInfo>();

  get(name: string): MapInfo | undefined {
    return this.maps.get(name);
  }

  all(): readonly MapInfo[] {
    return [...this.maps.values()];
  }

  /** Records a use with these keys; returns an error message when they disagree with earlier uses. */
  useKeys(name: string, keys: readonly ValueType[], at: Span): string | undefined {
    const keyType = keys.length === 0 ? null : keys.length === 1 ? storageType(keys[0]) : storageType({ kind: 'tuple', elements: keys });
    const info = this.maps.get(name);
    if (info === undefined) {
      this.maps.set(name, { name, keyType, value: undefined, span: at });
      return undefined;
    }
    if (info.keyType === null || keyType === null) {
      if (info.keyType === keyType) return undefined;
      return info.keyType === null
        ? `${name} is used without keys elsewhere, here with ${keys.length === 1 ? 'a key' : 'keys'}`
        : `${name} is used with keys (${valueTypeName(info.keyType)}) elsewhere, here without`;
    }
    const joined = unify(info.keyType, keyType);
    if (joined === undefined) {
      return `${name} has keys of type ${valueTypeName(info.keyType)} elsewhere, here ${valueTypeName(keyType)}`;
    }
    info.keyType = joined;
    return undefined;
  }

  /** Records what a map holds; returns an error message on a conflicting assignment. */
  useValue(name: string, value: MapValue, at: Span): string | undefined {
    const info = this.maps.get(name) ?? { name, keyType: null, value: undefined, span: at };
    this.maps.set(name, info);
    const stored = value.kind === 'scalar' ? { kind: 'scalar' as const, type: storageType(value.type) } : value;
    if (info.value === undefined) {
      info.value = stored;
      return undefined;
    }
    const previous = info.value;
    if (previous.kind === 'scalar' && stored.kind === 'scalar') {
      const joined = unify(previous.type, stored.type);
      if (joined === undefined) {
        return `type mismatch for ${name}: it holds ${valueTypeName(previous.type)}, here assigned ${valueTypeName(stored.type)}`;
      }
      info.value = { kind: 'scalar', type: joined };
      return undefined;
    }
    // Aggregations of one kind merge whatever the signedness of their inputs; lhist's bounds must match.
    if (previous.kind !== stored.kind || (stored.kind === 'lhist' && JSON.stringify(previous, bigints) !== JSON.stringify(stored, bigints))) {
      return `type mismatch for ${name}: it holds ${mapValueName(previous)}, here ${mapValueName(stored)}`;
    }
    return undefined;
  }
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
