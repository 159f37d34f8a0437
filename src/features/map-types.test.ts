import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MapType, readU32 } from '../sys/index.js';
import { FakeEnvironment } from './fake-environment.js';
import { haveMapType } from './map-types.js';

test('a map type that can be created is available, and the map is closed', () => {
  const env = new FakeEnvironment();
  assert.deepEqual(haveMapType('lru_hash', env), { available: true, minKernel: '4.10' });
  assert.equal(readU32(env.sys.calls[0].args[1] as Uint8Array, 0), MapType.LRU_HASH);
  assert.deepEqual([...env.sys.openFds], []);
});

test('EINVAL from BPF_MAP_CREATE means the kernel does not know the map type', () => {
  const env = new FakeEnvironment();
  env.sys.onBpf = () => ({ errno: 'EINVAL' });
  assert.equal(haveMapType('ringbuf', env).reason,
    'BPF_MAP_CREATE of a ringbuf map is refused with EINVAL: this kernel does not know the map type (added in Linux 5.8)');
});

test('other refusals carry the errno hint', () => {
  const env = new FakeEnvironment();
  env.sys.onBpf = () => ({ errno: 'EPERM' });
  assert.match(haveMapType('hash', env).reason ?? '', /^BPF_MAP_CREATE of a hash map is refused with EPERM: the kernel refused/);
});
