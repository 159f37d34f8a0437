import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { addressToFileLocation, findLoadedLibrary, readProcessMaps } from './proc-maps.js';

test("this process's maps contain node's own executable", () => {
  const mappings = readProcessMaps(process.pid);
  const executable = realpathSync(process.execPath);
  const code = mappings.find((mapping) => mapping.path === executable && mapping.perms.startsWith('r-x'));
  assert.ok(code, `an executable mapping of ${executable}`);
  const location = addressToFileLocation(mappings, code.start + 16n);
  assert.deepEqual(location, { path: executable, fileOffset: code.offset + 16n, mapping: code });
});

test('the loaded libc is found by its short name', () => {
  const path = findLoadedLibrary(process.pid, 'libc');
  assert.ok(path !== undefined && /\/libc[.-]/.test(path), `libc is mapped (got ${path})`);
});

test('reading the maps of a process that does not exist fails', () => {
  assert.throws(() => readProcessMaps(0x7fffffff), { code: 'ENOENT' });
});
