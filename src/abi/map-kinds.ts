// How each kind of bpftrace map is stored in the kernel, shared by the code generator (which writes
// it) and the runtime (which reads, merges across CPUs and prints it).
//
// Keys: a map without keys uses a u64 key of 0; one key is stored as its own type; several keys as
// their tuple layout. Histograms append a u64 bucket index to the key.
import { type Type, u64 } from './types.js';

export type MapValueKind =
  /** `@x = expr`: the last value written, in a plain hash map. */
  | { readonly kind: 'scalar'; readonly type: Type }
  /** count(), sum(): per-CPU u64/s64, merged by adding. */
  | { readonly kind: 'count' }
  | { readonly kind: 'sum'; readonly signed: boolean }
  /** min(), max(): per-CPU {value, set flag}; CPUs that never wrote are ignored when merging. */
  | { readonly kind: 'min'; readonly signed: boolean }
  | { readonly kind: 'max'; readonly signed: boolean }
  /** avg(), stats(): per-CPU {count, total}. */
  | { readonly kind: 'avg'; readonly signed: boolean }
  | { readonly kind: 'stats'; readonly signed: boolean }
  /** hist(): per-CPU u64 count per (key, log2 bucket). */
  | { readonly kind: 'hist' }
  /** lhist(): per-CPU u64 count per (key, linear bucket). */
  | { readonly kind: 'lhist'; readonly min: bigint; readonly max: bigint; readonly step: bigint };

export function isPerCpu(value: MapValueKind): boolean {
  return value.kind !== 'scalar';
}

/** Bytes of one CPU's value slot. */
export function valueSize(value: MapValueKind, sizeOf: (type: Type) => number): number {
  switch (value.kind) {
    case 'scalar': return sizeOf(value.type);
    case 'count': case 'sum': case 'hist': case 'lhist': return 8;
    case 'min': case 'max': case 'avg': case 'stats': return 16;
  }
}

/** The type of the u64 bucket index appended to a histogram's key. */
export const bucketType: Type = u64;
