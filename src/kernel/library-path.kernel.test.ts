import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readProcessMaps } from './proc-maps.js';
import { resolveLibraryPath } from './library-path.js';

test('with a pid, the library that process mapped wins', () => {
  const path = resolveLibraryPath('libc', { pid: process.pid, ldCachePath: '/nonexistent', libraryDirs: [] });
  assert.ok(readProcessMaps(process.pid).some((mapping) => mapping.path === path), `${path} is mapped`);
});
