// The order in which bpftrace 0.17 prints a map's entries, and `print(@m, top)`'s cut.
//
// - count/sum/min/max and plain integer maps: by value, ascending.
// - other plain maps (strings, tuples, symbols, …): by key, first subscript first; integer subscripts
//   compare as unsigned, strings bytewise, other kinds keep the kernel's order.
// - hist/lhist (total count) and avg/stats (average): bpftrace first gathers entries in a std::map keyed
//   by the raw key bytes, then sorts by the total; ties therefore fall in raw-byte order, which
//   `compareRawKeys` reproduces (integers are little-endian, so 256 comes before 1).
//
// All sorts here are stable so ties keep the kernel's iteration order, as std::sort's insertion sort
// does for the small maps (up to 16 entries) where ties are common; beyond that std::sort's order among
// ties is unspecified anyway.
import type { MapEntry, StatsCounters, Value } from './value.js';

type Compare<T> = (a: T, b: T) => number;

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const utf8 = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  // A shorter string is a prefix padded with NULs in the kernel's fixed-size key: it sorts first.
  return a.length - b.length;
}

function compareStrings(a: string, b: string): number {
  return compareBytes(utf8.encode(a), utf8.encode(b));
}

function compareSequence(a: readonly Value[], b: readonly Value[], compare: Compare<Value>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compare(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** Byte order of one key component as the kernel stores it; kinds whose bytes we lack compare equal. */
function compareRawValue(a: Value, b: Value): number {
  if (a.kind === 'int' && b.kind === 'int') {
    const x = BigInt.asUintN(a.bits, a.value);
    const y = BigInt.asUintN(b.bits, b.value);
    for (let shift = 0n; shift < BigInt(a.bits); shift += 8n) {
      const order = compareBigInt((x >> shift) & 0xffn, (y >> shift) & 0xffn);
      if (order !== 0) return order;
    }
    return 0;
  }
  if (a.kind === 'string' && b.kind === 'string') return compareStrings(a.value, b.value);
  // A buffer key is a length byte followed by the bytes.
  if (a.kind === 'buffer' && b.kind === 'buffer') {
    return a.bytes.length - b.bytes.length || compareBytes(a.bytes, b.bytes);
  }
  if ((a.kind === 'tuple' || a.kind === 'array') && (b.kind === 'tuple' || b.kind === 'array')) {
    return compareSequence(a.elements, b.elements, compareRawValue);
  }
  return 0;
}

export function compareRawKeys(a: readonly Value[], b: readonly Value[]): number {
  return compareSequence(a, b, compareRawValue);
}

function stableSort<T>(items: readonly T[], compare: Compare<T>): T[] {
  // Array.prototype.sort is stable since ES2019.
  return [...items].sort(compare);
}

/** bpftrace's sort_by_key: one stable pass per subscript, last subscript first. */
function sortByKey(entries: readonly MapEntry<Value>[]): MapEntry<Value>[] {
  const arity = entries[0]?.key.length ?? 0;
  let sorted = [...entries];
  for (let i = arity - 1; i >= 0; i--) {
    sorted = stableSort(sorted, (a, b) => {
      const x = a.key[i];
      const y = b.key[i];
      if (x.kind === 'int' && y.kind === 'int') {
        return compareBigInt(BigInt.asUintN(x.bits, x.value), BigInt.asUintN(y.bits, y.value));
      }
      if (x.kind === 'string' && y.kind === 'string') return compareStrings(x.value, y.value);
      return 0;
    });
  }
  return sorted;
}

export function orderPlainEntries(entries: readonly MapEntry<Value>[]): MapEntry<Value>[] {
  const values: bigint[] = [];
  for (const entry of entries) {
    if (entry.value.kind !== 'int') return sortByKey(entries);
    values.push(entry.value.value);
  }
  const indexed = entries.map((entry, i) => ({ entry, value: values[i] }));
  return stableSort(indexed, (a, b) => compareBigInt(a.value, b.value)).map(({ entry }) => entry);
}

/** avg() and stats() print total/count, truncated toward zero; an entry with no samples averages 0. */
export function average(counters: StatsCounters): bigint {
  return counters.count === 0n ? 0n : counters.total / counters.count;
}

export function histTotal(buckets: readonly bigint[]): bigint {
  return buckets.reduce((sum, count) => sum + count, 0n);
}

/** hist/lhist by total count, avg/stats by average: raw key order first, then the total. */
export function orderByTotal<V>(entries: readonly MapEntry<V>[], total: (value: V) => bigint): MapEntry<V>[] {
  const byKey = stableSort(entries, (a, b) => compareRawKeys(a.key, b.key));
  return stableSort(byKey, (a, b) => compareBigInt(total(a.value), total(b.value)));
}

/** `print(@m, top)`: the last `top` entries of the sorted order, i.e. the largest; 0 keeps all. */
export function keepTop<T>(entries: readonly T[], top: number): readonly T[] {
  return top > 0 && entries.length > top ? entries.slice(entries.length - top) : entries;
}
