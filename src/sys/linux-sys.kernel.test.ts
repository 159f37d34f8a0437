import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linuxSys } from './linux-sys.js';
import { MapType, ProgramType } from './bpf-constants.js';
import { mapCreate, mapLookup, mapUpdate, mapDelete, progLoad } from './bpf-commands.js';
import { SyscallError } from './syscall-error.js';

const sys = linuxSys();

test('creates an array map and reads back what it wrote', () => {
  const fd = mapCreate(sys, { type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 4, name: 'sys_test' });
  try {
    const key = Uint8Array.of(7, 0, 0, 0);
    const value = new Uint8Array(8);
    assert.equal(mapLookup(sys, fd, key, value), false);
    mapUpdate(sys, fd, key, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    assert.equal(mapLookup(sys, fd, key, value), true);
    assert.deepEqual([...value], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(mapDelete(sys, fd, key), true);
    assert.equal(mapDelete(sys, fd, key), false);
  } finally {
    sys.close(fd);
  }
});

test('loads `r0 = 0; exit` as a tracepoint program', () => {
  const instructions = Uint8Array.of(0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0);
  const fd = progLoad(sys, { type: ProgramType.TRACEPOINT, instructions, license: 'GPL', name: 'sys_test' });
  assert.ok(fd > 0);
  sys.close(fd);
});

test('a refused call throws SyscallError with the errno name', () => {
  assert.throws(
    () => mapCreate(sys, { type: MapType.ARRAY, keySize: 0, valueSize: 0, maxEntries: 0 }),
    (error: unknown) => error instanceof SyscallError && error.code === 'EINVAL' && error.syscall === 'bpf(MAP_CREATE)',
  );
});

test('epoll_wait runs off the event loop and times out with nothing ready', async () => {
  const epfd = sys.epollCreate();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const ready = await sys.epollWait(epfd, 4, 100);
  clearInterval(timer);
  sys.close(epfd);
  assert.deepEqual(ready, []);
  assert.ok(ticks > 0, 'the event loop kept running while epoll_wait blocked');
});
