import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootFact, currentBoot, defaultCacheDir, readCache, writeCache } from './boot-cache.js';
import { withTempDir } from './testing/temp-dir.js';

const withDir = (run: (dir: string) => void): void => withTempDir('bpfscope-cache-', run);

const KEY = { release: '6.1.0-test', bootId: 'boot-1' };

test('the cache directory follows XDG_CACHE_HOME, else $HOME/.cache, else there is none', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }), '/x/cache/bpfscope');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '', HOME: '/home/u' }), '/home/u/.cache/bpfscope');
  assert.equal(defaultCacheDir({}), undefined);
});

test('a stored value comes back only for the same release and boot', () => {
  withDir((dir) => {
    assert.equal(readCache(dir, 'some.json', KEY), undefined);
    writeCache(dir, 'some.json', KEY, { answer: 42 });
    assert.deepEqual(readCache(dir, 'some.json', KEY), { answer: 42 });
    assert.equal(readCache(dir, 'other.json', KEY), undefined);
    assert.equal(readCache(dir, 'some.json', { ...KEY, bootId: 'boot-2' }), undefined);
    assert.equal(readCache(dir, 'some.json', { ...KEY, release: '6.2.0' }), undefined);
  });
});

test('a corrupt cache file is ignored', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'features.json'), '{"format":1,');
    assert.equal(readCache(dir, 'features.json', KEY), undefined);
  });
});

test('a boot fact is computed once, kept beside the others, and recomputed when stored in another shape', () => {
  withDir((dir) => {
    assert.ok(currentBoot() !== undefined, 'this machine has a boot id');
    const isNumber = (value: unknown): value is number => typeof value === 'number';
    let computed = 0;
    const compute = (): number => ++computed * 10;
    assert.equal(bootFact('a', compute, isNumber, dir), 10);
    assert.equal(bootFact('a', compute, isNumber, dir), 10);
    assert.equal(bootFact('b', compute, isNumber, dir), 20);
    assert.equal(bootFact('a', compute, isNumber, dir), 10);
    const isString = (value: unknown): value is string => typeof value === 'string';
    assert.equal(bootFact('a', () => 'text', isString, dir), 'text');
    assert.equal(computed, 2);
    // What later runs will read back.
    assert.deepEqual(readCache(dir, 'kernel-facts.json', currentBoot() ?? KEY), { a: 'text', b: 20 });
  });
});
