import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToFileLocation, findLibraryInMaps, findMapping, isLibraryMatch, parseMaps } from './proc-maps.js';

const SAMPLE = `\
55d0c8a00000-55d0c8a2f000 r--p 00000000 fe:01 1312                       /usr/bin/bash
55d0c8a2f000-55d0c8af0000 r-xp 0002f000 fe:01 1312                       /usr/bin/bash
55d0c9b11000-55d0c9c52000 rw-p 00000000 00:00 0                          [heap]
7f2a10000000-7f2a10021000 rw-p 00000000 00:00 0 
7f2a1f826000-7f2a1f97b000 r-xp 00026000 fe:01 2203                       /usr/lib/x86_64-linux-gnu/libc.so.6
7f2a1f9a0000-7f2a1f9a2000 r-xp 00001000 fe:01 2299                       /usr/lib/x86_64-linux-gnu/libcap.so.2.66
7f2a1f9b0000-7f2a1f9b1000 r-xp 00000000 00:1f 77                         /tmp/my lib (v2).so (deleted)
7ffd3a5f1000-7ffd3a5f3000 r-xp 00000000 00:00 0                          [vdso]
`;

test('every field of a file-backed mapping is parsed', () => {
  const [first, second] = parseMaps(SAMPLE);
  assert.deepEqual(first, {
    start: 0x55d0c8a00000n,
    end: 0x55d0c8a2f000n,
    perms: 'r--p',
    offset: 0n,
    dev: 'fe:01',
    inode: 1312,
    path: '/usr/bin/bash',
    deleted: false,
  });
  assert.equal(second.perms, 'r-xp');
  assert.equal(second.offset, 0x2f000n);
});

test('anonymous, pseudo and deleted mappings keep their path form', () => {
  const mappings = parseMaps(SAMPLE);
  assert.equal(mappings.length, 8);
  assert.equal(mappings[2].path, '[heap]');
  assert.equal(mappings[3].path, '');
  assert.equal(mappings[6].path, '/tmp/my lib (v2).so');
  assert.equal(mappings[6].deleted, true);
});

test('a user address maps to its file offset', () => {
  const mappings = parseMaps(SAMPLE);
  const location = addressToFileLocation(mappings, 0x7f2a1f826000n + 0x1234n);
  assert.equal(location?.path, '/usr/lib/x86_64-linux-gnu/libc.so.6');
  assert.equal(location?.fileOffset, 0x26000n + 0x1234n);
  assert.equal(addressToFileLocation(mappings, 0x55d0c9b11000n), undefined, 'heap has no file');
  assert.equal(addressToFileLocation(mappings, 0x1000n), undefined, 'unmapped');
  assert.equal(findMapping(mappings, 0x55d0c8a2f000n)?.offset, 0x2f000n, 'start is inclusive');
  assert.equal(findMapping(mappings, 0x55d0c8a2efffn)?.offset, 0n, 'end is exclusive');
});

test('libraries are found by short name without matching longer names', () => {
  const mappings = parseMaps(SAMPLE);
  assert.equal(findLibraryInMaps(mappings, 'libc'), '/usr/lib/x86_64-linux-gnu/libc.so.6');
  assert.equal(findLibraryInMaps(mappings, 'libc.so.6'), '/usr/lib/x86_64-linux-gnu/libc.so.6');
  assert.equal(findLibraryInMaps(mappings, 'libcap'), '/usr/lib/x86_64-linux-gnu/libcap.so.2.66');
  assert.equal(findLibraryInMaps(mappings, 'bash'), '/usr/bin/bash');
  assert.equal(findLibraryInMaps(mappings, '/usr/bin/bash'), '/usr/bin/bash');
  assert.equal(findLibraryInMaps(mappings, 'libm'), undefined);
  assert.equal(findLibraryInMaps(mappings, 'vdso'), undefined);
});

test('older glibc file names match their short name', () => {
  assert.equal(isLibraryMatch('/lib/x86_64-linux-gnu/libc-2.31.so', 'libc'), true);
  assert.equal(isLibraryMatch('/usr/lib/libc-client.a', 'libc'), false);
  assert.equal(isLibraryMatch('/usr/lib/libcrypt.so.1', 'libc'), false);
});
