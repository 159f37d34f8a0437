// Reads a script's map out of the kernel into the output module's MapSnapshot, merging per-CPU storage
// the way each kind of aggregation needs (abi/map-kinds.ts says how each is stored):
// - count/sum add the CPUs' values; min/max take the extreme among CPUs whose set flag is on;
// - avg/stats add the CPUs' {count, total} pairs;
// - hist/lhist keys are the user key plus a u64 bucket index in the key's last 8 bytes: entries are
//   regrouped by user key into one bucket array each.
// Entries keep the kernel's iteration order; the formatters sort them as bpftrace does.
//
// Also zero() from user space (clear() is BpfMap.clear()).
import { bucketType, sizeOf, type MapValueKind, type Type } from '../abi/index.js';
import type { ScriptMap } from '../compiler/compiled-script.js';
import type { BpfMap } from '../kernel/index.js';
import type { IntValue, MapEntry, MapSnapshot, StatsCounters, Value } from '../output/index.js';
import type { ValueDecoder } from './decode.js';

const BUCKET_SIZE = sizeOf(bucketType);

interface RawEntry {
  readonly key: Uint8Array;
  /** One slot per CPU (a single slot for maps that are not per-CPU). */
  readonly slots: readonly Uint8Array[];
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64At(bytes: Uint8Array, offset: number): bigint {
  return viewOf(bytes).getBigUint64(offset, true);
}

function wrap(value: bigint, signed: boolean): bigint {
  return signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value);
}

function int64(value: bigint, signed: boolean): IntValue {
  return { kind: 'int', value: wrap(value, signed), signed, bits: 64 };
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A user map: one that prints at exit and can be print()ed, cleared and zeroed. */
export function isUserMap(map: ScriptMap): map is ScriptMap & { value: MapValueKind } {
  return map.value !== null && map.name.startsWith('@');
}

export class MapReader {
  constructor(private readonly decoder: ValueDecoder) {}

  snapshot(spec: ScriptMap & { value: MapValueKind }, map: BpfMap): MapSnapshot {
    const raw: RawEntry[] = [];
    for (const [key, value] of map.entries()) {
      raw.push({ key, slots: map.isPerCpu ? map.splitPerCpu(value) : [value] });
    }
    const { name, value: kind } = spec;
    switch (kind.kind) {
      case 'hist':
        return { kind: 'hist', name, entries: this.histogramEntries(spec.keyType, raw, 0) };
      case 'lhist': {
        const min = Number(kind.min);
        const max = Number(kind.max);
        const step = Number(kind.step);
        const buckets = Math.trunc((max - min) / step) + 2;
        return { kind: 'lhist', name, min, max, step, entries: this.histogramEntries(spec.keyType, raw, buckets) };
      }
      case 'avg':
      case 'stats':
        return { kind: kind.kind, name, entries: raw.map((entry) => this.entry(spec.keyType, entry.key, countersOf(entry.slots, kind.signed))) };
      default: {
        const entries = raw.map((entry) => this.entry(spec.keyType, entry.key, this.plainValue(kind, entry.slots)));
        // bpftrace 0.17 shows an empty count() map without keys as `@c: 0` (text and JSON alike), never
        // written or cleared; every other empty map prints as nothing.
        if (entries.length === 0 && kind.kind === 'count' && spec.keyType === null) {
          entries.push({ key: [], value: int64(0n, false) });
        }
        return { kind: 'plain', name, entries };
      }
    }
  }

  private entry<V>(keyType: Type | null, key: Uint8Array, value: V): MapEntry<V> {
    return { key: this.decodeKey(keyType, key), value };
  }

  /** Null keyType: a map without keys (its single u64 key 0 is not shown); a tuple: several subscripts. */
  private decodeKey(keyType: Type | null, key: Uint8Array): Value[] {
    if (keyType === null) return [];
    if (keyType.kind === 'tuple') return this.decoder.decodeAll(keyType.elements, key);
    return [this.decoder.decode(keyType, key)];
  }

  private plainValue(kind: MapValueKind, slots: readonly Uint8Array[]): Value {
    switch (kind.kind) {
      case 'scalar':
        return this.decoder.decode(kind.type, slots[0]);
      case 'count':
        return int64(slots.reduce((total, slot) => total + u64At(slot, 0), 0n), false);
      case 'sum':
        return int64(slots.reduce((total, slot) => total + u64At(slot, 0), 0n), kind.signed);
      case 'min':
      case 'max':
        return extreme(slots, kind.kind, kind.signed);
      default:
        throw new Error(`map value kind ${kind.kind} is not a plain value`);
    }
  }

  /**
   * Groups (user key, bucket) entries by user key, in the order each user key first appears. `length`
   * is the bucket count of an lhist; hist arrays grow to the highest bucket seen.
   */
  private histogramEntries(keyType: Type | null, raw: readonly RawEntry[], length: number): MapEntry<bigint[]>[] {
    const groups = new Map<string, { key: Uint8Array; buckets: bigint[] }>();
    for (const entry of raw) {
      const userKey = entry.key.subarray(0, entry.key.byteLength - BUCKET_SIZE);
      const bucket = Number(u64At(entry.key, entry.key.byteLength - BUCKET_SIZE));
      const id = hexOf(userKey);
      let group = groups.get(id);
      if (!group) {
        group = { key: userKey, buckets: new Array<bigint>(length).fill(0n) };
        groups.set(id, group);
      }
      while (group.buckets.length <= bucket) group.buckets.push(0n);
      group.buckets[bucket] += entry.slots.reduce((total, slot) => total + u64At(slot, 0), 0n);
    }
    return [...groups.values()].map((group) => this.entry(keyType, group.key, group.buckets));
  }
}

/** min()/max(): slots of {value, set}; CPUs that never wrote (set = 0) do not count. None set: 0. */
function extreme(slots: readonly Uint8Array[], which: 'min' | 'max', signed: boolean): IntValue {
  let best: bigint | undefined;
  for (const slot of slots) {
    if (u64At(slot, 8) === 0n) continue;
    const value = wrap(u64At(slot, 0), signed);
    if (best === undefined || (which === 'min' ? value < best : value > best)) best = value;
  }
  return int64(best ?? 0n, signed);
}

/** avg()/stats(): slots of {count, total}, added across CPUs. */
function countersOf(slots: readonly Uint8Array[], signed: boolean): StatsCounters {
  let count = 0n;
  let total = 0n;
  for (const slot of slots) {
    count += u64At(slot, 0);
    total += wrap(u64At(slot, 8), signed);
  }
  return { count: BigInt.asUintN(64, count), total: wrap(total, signed) };
}

/** zero(@m): every entry stays, with every CPU's slot set to zero. */
export function zeroMap(map: BpfMap): void {
  const zero = new Uint8Array(map.valueBufferSize);
  for (const key of [...map.keys()]) map.update(key, zero);
}
