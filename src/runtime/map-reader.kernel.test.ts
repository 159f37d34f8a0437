import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { u64, type MapValueKind } from '../abi/index.js';
import type { ScriptMap } from '../compiler/compiled-script.js';
import { BpfMap, KernelSymbols, UserSymbolizer, possibleCpus } from '../kernel/index.js';
import { MapType } from '../sys/index.js';
import { ValueDecoder } from './decode.js';
import { MapReader, zeroMap } from './map-reader.js';
import { Usernames } from './usernames.js';

const reader = new MapReader(new ValueDecoder({
  kernelSymbols: KernelSymbols.fromText(''),
  userSymbols: new UserSymbolizer({ readMaps: () => [] }),
  usernames: new Usernames(() => ''),
  stacks: { addresses: () => undefined },
}));

const opened: BpfMap[] = [];
after(() => opened.forEach((map) => map.close()));

function words(...values: (number | bigint)[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  values.forEach((value, i) => new DataView(out.buffer).setBigUint64(i * 8, BigInt.asUintN(64, BigInt(value)), true));
  return out;
}

/** A per-CPU hash map of `spec`'s shape, closed after the tests. */
function perCpuMap(spec: ScriptMap & { value: MapValueKind }): BpfMap {
  const map = BpfMap.create({ name: spec.bpfName, type: MapType.PERCPU_HASH, keySize: spec.keySize, valueSize: spec.valueSize, maxEntries: 16 });
  opened.push(map);
  return map;
}

function put(map: BpfMap, key: Uint8Array, slot: (cpu: number) => Uint8Array): void {
  map.updatePerCpu(key, Array.from({ length: possibleCpus() }, (_, cpu) => slot(cpu)));
}

function spec(name: string, value: MapValueKind, keySize = 8, valueSize = 8, keyed = false): ScriptMap & { value: MapValueKind } {
  return { name, bpfName: name.replace('@', 'm_'), type: MapType.PERCPU_HASH, keySize, valueSize, maxEntries: 16, flags: 0, keyType: keyed ? u64 : null, value };
}

describe('MapReader', { skip: possibleCpus() < 2 ? 'per-CPU merging needs two possible CPUs' : false }, () => {
  it('adds count() and sum() across CPUs, signed sums below zero included', () => {
    const count = spec('@count', { kind: 'count' });
    const countMap = perCpuMap(count);
    put(countMap, words(0), (cpu) => words(cpu === 0 ? 3 : 4));
    assert.deepEqual(reader.snapshot(count, countMap), { kind: 'plain', name: '@count', entries: [{ key: [], value: { kind: 'int', value: 7n, signed: false, bits: 64 } }] });

    const sum = spec('@sum', { kind: 'sum', signed: true });
    const sumMap = perCpuMap(sum);
    put(sumMap, words(0), (cpu) => words(cpu === 0 ? -5 : 2));
    assert.deepEqual(reader.snapshot(sum, sumMap).entries[0]?.value, { kind: 'int', value: -3n, signed: true, bits: 64 });
  });

  it('shows an empty count() map without keys as 0, and an empty keyed one as empty', () => {
    const keyless = spec('@c', { kind: 'count' });
    assert.deepEqual(reader.snapshot(keyless, perCpuMap(keyless)).entries, [{ key: [], value: { kind: 'int', value: 0n, signed: false, bits: 64 } }]);
    const keyed = spec('@k', { kind: 'count' }, 8, 8, true);
    assert.deepEqual(reader.snapshot(keyed, perCpuMap(keyed)).entries, []);
  });

  it('takes min()/max() only from CPUs whose set flag is on', () => {
    const min = spec('@min', { kind: 'min', signed: true }, 8, 16);
    const minMap = perCpuMap(min);
    put(minMap, words(0), (cpu) => (cpu === 0 ? words(9, 1) : words(-4, 0)));
    assert.deepEqual(reader.snapshot(min, minMap).entries[0]?.value, { kind: 'int', value: 9n, signed: true, bits: 64 });
    const max = spec('@max', { kind: 'max', signed: true }, 8, 16);
    const maxMap = perCpuMap(max);
    put(maxMap, words(0), (cpu) => words(cpu === 0 ? -7 : -3, 1));
    assert.deepEqual(reader.snapshot(max, maxMap).entries[0]?.value, { kind: 'int', value: -3n, signed: true, bits: 64 });
  });

  it('adds avg()/stats() counts and totals across CPUs', () => {
    const avg = spec('@avg', { kind: 'avg', signed: true }, 8, 16, true);
    const avgMap = perCpuMap(avg);
    put(avgMap, words(5), (cpu) => (cpu === 0 ? words(2, 10) : words(1, -4)));
    assert.deepEqual(reader.snapshot(avg, avgMap), {
      kind: 'avg', name: '@avg', entries: [{ key: [{ kind: 'int', value: 5n, signed: false, bits: 64 }], value: { count: 3n, total: 6n } }],
    });
  });

  it('regroups hist() (key, bucket) entries into one bucket array per key', () => {
    const hist = spec('@h', { kind: 'hist' }, 16, 8, true);
    const histMap = perCpuMap(hist);
    put(histMap, words(1, 3), (cpu) => words(cpu === 0 ? 1 : 2));
    put(histMap, words(1, 5), (cpu) => words(cpu === 0 ? 0 : 4));
    put(histMap, words(2, 2), (cpu) => words(cpu === 0 ? 1 : 0));
    const snapshot = reader.snapshot(hist, histMap);
    assert.equal(snapshot.kind, 'hist');
    const byKey = new Map(snapshot.entries.map((entry) => [String(entry.key[0]?.kind === 'int' ? entry.key[0].value : ''), entry.value]));
    assert.deepEqual(byKey.get('1'), [0n, 0n, 0n, 3n, 0n, 4n]);
    assert.deepEqual(byKey.get('2'), [0n, 0n, 1n]);
  });

  it('sizes lhist() bucket arrays from min, max and step', () => {
    const lhist = spec('@l', { kind: 'lhist', min: 0n, max: 10n, step: 5n });
    const lhistMap = perCpuMap(lhist);
    put(lhistMap, words(2), () => words(1));
    assert.deepEqual(reader.snapshot(lhist, lhistMap), {
      kind: 'lhist', name: '@l', min: 0, max: 10, step: 5, entries: [{ key: [], value: [0n, 0n, 2n, 0n] }],
    });
  });

  it('zero() keeps every entry with every CPU at zero', () => {
    const count = spec('@z', { kind: 'count' }, 8, 8, true);
    const map = perCpuMap(count);
    put(map, words(4), () => words(6));
    zeroMap(map);
    assert.deepEqual(reader.snapshot(count, map).entries, [{ key: [{ kind: 'int', value: 4n, signed: false, bits: 64 }], value: { kind: 'int', value: 0n, signed: false, bits: 64 } }]);
  });
});
