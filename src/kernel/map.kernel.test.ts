import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MapType, SyscallError, UpdateFlag } from '../sys/index.js';
import { BpfMap, MapSpecError, type MapSpec } from './map.js';
import { array, mergeElementwise, mergeMax, mergeSum, u32, u64 } from './codec.js';
import { pageSize } from './page-size.js';
import { possibleCpus } from './possible-cpus.js';
import { countOf, recordingSys, type RecordingSys } from './testing/recording-sys.js';

/** Runs `body` on a fresh map and closes it whatever happens. */
function withMap(spec: Partial<MapSpec> & Pick<MapSpec, 'type'>, body: (map: BpfMap, sys: RecordingSys) => void): void {
  const sys = recordingSys();
  const map = BpfMap.create({ name: 'kt_map', keySize: 4, valueSize: 8, maxEntries: 64, ...spec }, sys);
  try {
    body(map, sys);
  } finally {
    map.close();
  }
}

function sortedEntries(map: BpfMap, batch: boolean): [number, bigint][] {
  return [...map.entries({ batch })].map(([k, v]): [number, bigint] => [u32.decode(k), u64.decode(v)]).sort((a, b) => a[0] - b[0]);
}

test('hash map: update, lookup, update flags, delete', () => {
  withMap({ type: MapType.HASH }, (map) => {
    assert.equal(map.lookup(u32.encode(1)), undefined);
    map.update(u32.encode(1), u64.encode(10n));
    assert.equal(u64.decode(map.lookup(u32.encode(1)) ?? new Uint8Array()), 10n);
    assert.throws(() => map.update(u32.encode(1), u64.encode(11n), UpdateFlag.NOEXIST), (e: unknown) => e instanceof SyscallError && e.code === 'EEXIST');
    assert.throws(() => map.update(u32.encode(2), u64.encode(11n), UpdateFlag.EXIST), (e: unknown) => e instanceof SyscallError && e.code === 'ENOENT');
    assert.equal(map.delete(u32.encode(1)), true);
    assert.equal(map.delete(u32.encode(1)), false);
    assert.throws(() => map.lookup(new Uint8Array(8)), /key is 8 bytes, expected 4/);
    assert.throws(() => map.update(u32.encode(1), new Uint8Array(4)), /value is 4 bytes, expected 8/);
    const info = map.info();
    assert.deepEqual({ ...info, id: 0 }, { id: 0, type: MapType.HASH, name: 'kt_map', keySize: 4, valueSize: 8, maxEntries: 64, flags: 0 });
  });
});

test('hash map: batch and key-by-key iteration give the same entries', () => {
  withMap({ type: MapType.HASH, maxEntries: 1000 }, (map, sys) => {
    // More entries than one batch (256) holds, so the resume token is exercised.
    for (let i = 0; i < 700; i++) map.update(u32.encode(i * 3), u64.encode(BigInt(i) * 1000n));
    const batched = sortedEntries(map, true);
    assert.ok(countOf(sys, 'MAP_LOOKUP_BATCH') >= 3, 'three or more batches of at most 256');
    assert.equal(countOf(sys, 'MAP_GET_NEXT_KEY'), 0);
    assert.equal(batched.length, 700);
    assert.deepEqual(batched[699], [2097, 699000n]);
    assert.deepEqual(sortedEntries(map, false), batched);
    assert.equal([...map.keys()].length, 700);
  });
});

test('array map: every index exists, batch matches the walk, clear zeroes, delete is refused', () => {
  withMap({ type: MapType.ARRAY, maxEntries: 300 }, (map, sys) => {
    map.update(u32.encode(7), u64.encode(70n));
    map.update(u32.encode(299), u64.encode(2990n));
    const batched = sortedEntries(map, true);
    assert.equal(countOf(sys, 'MAP_LOOKUP_BATCH'), 2);
    assert.equal(countOf(sys, 'MAP_GET_NEXT_KEY'), 0);
    assert.equal(batched.length, 300);
    assert.deepEqual(batched[7], [7, 70n]);
    assert.deepEqual(sortedEntries(map, false), batched);
    assert.throws(() => map.delete(u32.encode(7)), (e: unknown) => e instanceof SyscallError && e.code === 'EINVAL');
    assert.equal(map.clear(), 300);
    assert.equal(u64.decode(map.lookup(u32.encode(7)) ?? new Uint8Array()), 0n);
    assert.throws(() => map.update(u32.encode(300), u64.encode(1n)), (e: unknown) => e instanceof SyscallError && e.code === 'E2BIG');
  });
});

test('keys() survives deletion of the key it just gave, and of the key it holds next', () => {
  withMap({ type: MapType.HASH }, (map, sys) => {
    for (let i = 0; i < 50; i++) map.update(u32.encode(i), u64.encode(1n));
    const given: number[] = [];
    for (const key of map.keys()) {
      given.push(u32.decode(key));
      map.delete(key);
    }
    assert.deepEqual(given.sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.equal([...map.keys()].length, 0);

    for (let i = 0; i < 50; i++) map.update(u32.encode(i), u64.encode(1n));
    const order = [...map.keys()].map((k) => u32.decode(k));
    // Another program deleting the key the walk holds next makes the kernel lose its place and restart
    // from the first key; the walk must skip what it already gave and carry on. The deleted key was
    // fetched before it went, so it is still given, once.
    const before = countOf(sys, 'MAP_GET_NEXT_KEY');
    const seen: number[] = [];
    for (const key of map.keys()) {
      seen.push(u32.decode(key));
      if (seen.length === 6) map.delete(u32.encode(order[6] ?? -1));
    }
    assert.deepEqual(seen, order);
    const walkSteps = countOf(sys, 'MAP_GET_NEXT_KEY') - before;
    assert.ok(walkSteps > seen.length + 1, `the kernel restarted the walk (${walkSteps} steps for ${seen.length} keys)`);
  });
});

test('hash map clear() deletes every key', () => {
  withMap({ type: MapType.HASH }, (map) => {
    for (let i = 0; i < 20; i++) map.update(u32.encode(i), u64.encode(1n));
    assert.equal(map.clear(), 20);
    assert.equal([...map.entries()].length, 0);
  });
});

test('per-CPU array: one value per possible CPU, merged by sum and max', () => {
  const cpus = possibleCpus();
  withMap({ type: MapType.PERCPU_ARRAY, maxEntries: 4 }, (map) => {
    assert.equal(map.cpus, cpus);
    assert.equal(map.valueBufferSize, 8 * cpus);
    const perCpu = Array.from({ length: cpus }, (_, cpu) => u64.encode(BigInt(cpu + 1) * 10n));
    map.updatePerCpu(u32.encode(2), perCpu);
    assert.deepEqual(map.lookupPerCpu(u32.encode(2))?.map((v) => u64.decode(v)), perCpu.map((v) => u64.decode(v)));
    assert.equal(map.lookupMerged(u32.encode(2), u64, mergeSum), BigInt((cpus * (cpus + 1)) / 2) * 10n);
    assert.equal(map.lookupMerged(u32.encode(2), u64, mergeMax), BigInt(cpus) * 10n);
    const [batchKey, batchValue] = [...map.entries()].find(([k]) => u32.decode(k) === 2) ?? [];
    assert.ok(batchKey && batchValue);
    assert.deepEqual(map.splitPerCpu(batchValue).map((v) => u64.decode(v)), perCpu.map((v) => u64.decode(v)));
  });
});

test('per-CPU hash: values smaller than 8 bytes sit in 8-byte slots; histograms merge slot by slot', () => {
  const cpus = possibleCpus();
  withMap({ type: MapType.PERCPU_HASH, valueSize: 4 }, (map) => {
    assert.equal(map.valueBufferSize, 8 * cpus);
    map.updatePerCpu(u32.encode(1), Array.from({ length: cpus }, (_, cpu) => u32.encode(cpu + 100)));
    assert.deepEqual(map.lookupPerCpu(u32.encode(1))?.map((v) => u32.decode(v)), Array.from({ length: cpus }, (_, cpu) => cpu + 100));
    assert.equal(map.lookupPerCpu(u32.encode(9)), undefined);
    assert.throws(() => map.updatePerCpu(u32.encode(1), []), /0 values for/);
  });
  const slots = array(u64, 4);
  withMap({ type: MapType.PERCPU_HASH, valueSize: slots.size }, (map) => {
    map.updatePerCpu(u32.encode(1), Array.from({ length: cpus }, (_, cpu) => slots.encode([1n, BigInt(cpu), 0n, 5n])));
    const merged = map.lookupMerged(u32.encode(1), slots, mergeElementwise(mergeSum));
    assert.deepEqual(merged, [BigInt(cpus), BigInt((cpus * (cpus - 1)) / 2), 0n, 5n * BigInt(cpus)]);
    assert.deepEqual(sortedEntries(map, true).length, sortedEntries(map, false).length);
  });
});

test('LRU hash: inserting past maxEntries evicts the least recently used keys', () => {
  withMap({ type: MapType.LRU_HASH, maxEntries: 16 }, (map) => {
    for (let i = 0; i < 200; i++) map.update(u32.encode(i), u64.encode(BigInt(i)));
    const keys = [...map.keys()].map((k) => u32.decode(k));
    assert.ok(keys.length > 0 && keys.length <= 16, `${keys.length} keys in an LRU map of 16`);
    assert.equal(map.lookup(u32.encode(0)), undefined, 'the oldest key was evicted');
    assert.equal(u64.decode(map.lookup(u32.encode(199)) ?? new Uint8Array()), 199n);
  });
});

test('ring buffer: a page-multiple power of two is created, other sizes fail clearly', () => {
  const page = pageSize();
  withMap({ type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4 * page }, (map) => {
    assert.equal(map.info().type, MapType.RINGBUF);
    assert.equal(map.info().maxEntries, 4 * page);
  });
  const ring = { name: 'kt_ring', type: MapType.RINGBUF, keySize: 0, valueSize: 0 };
  assert.throws(() => BpfMap.create({ ...ring, maxEntries: 3 * page }), (e: unknown) => e instanceof MapSpecError
    && e.message === `map kt_ring: ring buffer size ${3 * page} must be a power of two and a multiple of the page size (${page})`);
  assert.throws(() => BpfMap.create({ ...ring, maxEntries: page / 2 }), MapSpecError);
  assert.throws(() => BpfMap.create({ ...ring, keySize: 4, maxEntries: page }), /keySize 0 and valueSize 0/);
});

test('stack trace map: created with u64 frames, empty, iterated without batch support', () => {
  const frames = array(u64, 127);
  withMap({ type: MapType.STACK_TRACE, valueSize: frames.size, maxEntries: 128 }, (map, sys) => {
    assert.equal(map.lookup(u32.encode(5)), undefined);
    assert.deepEqual([...map.entries()], []);
    assert.deepEqual([...map.entries()], []);
    assert.equal(countOf(sys, 'MAP_LOOKUP_BATCH'), 1, 'a refused batch lookup is not retried');
    assert.equal(countOf(sys, 'MAP_GET_NEXT_KEY'), 2);
    assert.equal(map.info().valueSize, 127 * 8);
  });
  assert.throws(() => BpfMap.create({ name: 'kt_stack', type: MapType.STACK_TRACE, keySize: 4, valueSize: 12, maxEntries: 8 }),
    /array of u64 addresses/);
});

test('the kernel refusing a spec gives a hint naming the map type', () => {
  assert.throws(
    () => BpfMap.create({ name: 'kt_bad', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 8, flags: 1 << 30 }),
    (e: unknown) => e instanceof SyscallError && e.code === 'EINVAL' && /map type HASH/.test(e.hint ?? ''),
  );
});

test('a map created on a worker thread is the map asked for; a refusal comes back with its errno and hint', async () => {
  const sys = recordingSys();
  const ring = await BpfMap.createAsync({ name: 'kt_async', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 16 * pageSize() }, sys);
  try {
    assert.deepEqual(sys.commands, ['MAP_CREATE']);
    assert.equal(ring.info().type, MapType.RINGBUF);
    assert.equal(ring.info().maxEntries, 16 * pageSize());
  } finally {
    ring.close();
  }
  await assert.rejects(
    BpfMap.createAsync({ name: 'kt_bad', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 8, flags: 1 << 30 }, sys),
    (e: unknown) => e instanceof SyscallError && e.code === 'EINVAL' && /map type HASH/.test(e.hint ?? ''),
  );
  assert.deepEqual(sys.commands, ['MAP_CREATE', 'OBJ_GET_INFO_BY_FD', 'OBJ_GET_INFO_BY_FD', 'MAP_CREATE', 'MAP_CREATE'], 'refused on the worker, then again here');
});
