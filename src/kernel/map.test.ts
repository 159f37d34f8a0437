import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpfCommand, FakeSys, MapType, SyscallError, readU32, type FakeAnswer } from '../sys/index.js';
import { BpfMap, MapSpecError, validateMapSpec, type MapSpec } from './map.js';

const hash: MapSpec = { name: 'unit', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 1024 };

/** A FakeSys that creates maps and answers batch lookups with `batch`, given the requested count. */
function fakeMaps(batch: (count: number) => FakeAnswer): { sys: FakeSys; counts: number[] } {
  const sys = new FakeSys();
  const counts: number[] = [];
  sys.onBpf = (cmd, attr) => {
    if (cmd === BpfCommand.MAP_LOOKUP_BATCH) {
      counts.push(readU32(attr, 32));
      const answer = batch(readU32(attr, 32));
      // The kernel reports how many entries it copied in the count field, even when it fails.
      new DataView(attr.buffer, attr.byteOffset).setUint32(32, 0, true);
      return answer;
    }
    if (cmd === BpfCommand.MAP_GET_NEXT_KEY) return { errno: 'ENOENT' };
    return undefined;
  };
  return { sys, counts };
}

test('spec rules are checked before the kernel is asked, naming the map and the rule', () => {
  assert.throws(() => validateMapSpec({ ...hash, maxEntries: 0 }), (e: unknown) => e instanceof MapSpecError
    && e.mapName === 'unit' && e.message === 'map unit: maxEntries must be positive');
  assert.throws(() => validateMapSpec({ ...hash, valueSize: 0 }), /keySize and valueSize must be positive/);
  assert.throws(() => validateMapSpec({ ...hash, type: MapType.ARRAY, keySize: 8 }), /4-byte keys \(the index\)/);
  assert.throws(() => validateMapSpec({ ...hash, type: MapType.STACK_TRACE, keySize: 8 }), /4-byte keys \(stack ids\)/);
  const ring: MapSpec = { name: 'ring', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 65536 };
  validateMapSpec(ring, 4096);
  validateMapSpec({ ...ring, maxEntries: 65536 }, 65536);
  assert.throws(() => validateMapSpec({ ...ring, maxEntries: 16384 }, 65536), /multiple of the page size \(65536\)/);
  assert.throws(() => validateMapSpec({ ...ring, maxEntries: 12288 }, 4096), /must be a power of two/);
});

test('a hash bucket too big for the batch (ENOSPC) doubles the batch and retries', () => {
  const { sys, counts } = fakeMaps((count) => (count < 1024 ? { errno: 'ENOSPC' } : { errno: 'ENOENT' }));
  const map = BpfMap.create(hash, sys);
  assert.deepEqual([...map.entries()], []);
  assert.deepEqual(counts, [256, 512, 1024]);
});

test('ENOSPC with a batch as large as the map is an error, not an endless loop', () => {
  const { sys, counts } = fakeMaps(() => ({ errno: 'ENOSPC' }));
  const map = BpfMap.create({ ...hash, maxEntries: 300 }, sys);
  assert.throws(() => [...map.entries()], (e: unknown) => e instanceof SyscallError && e.code === 'ENOSPC');
  assert.deepEqual(counts, [256, 512]);
});

test('a kernel without batch lookup (EINVAL) is walked key by key, and not asked again', () => {
  const { sys, counts } = fakeMaps(() => ({ errno: 'EINVAL' }));
  const map = BpfMap.create(hash, sys);
  assert.deepEqual([...map.entries()], []);
  assert.deepEqual([...map.entries()], []);
  assert.equal(counts.length, 1);
  assert.equal(sys.callNames().filter((name) => name === 'bpf(MAP_GET_NEXT_KEY)').length, 2);
});

test('the map fd is closed once, however often close() is called', () => {
  const { sys } = fakeMaps(() => undefined);
  const map = BpfMap.create(hash, sys);
  map.close();
  map.close();
  assert.equal(sys.openFds.size, 0);
});
