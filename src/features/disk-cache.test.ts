import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, readCache, writeCache } from './disk-cache.js';
import { FakeEnvironment } from './fake-environment.js';
import { probeFeatures } from './report.js';

function withDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cache-'));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KEY = { release: '6.1.0-test', bootId: 'boot-1' };

test('the cache directory follows XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/bpfscope');
  assert.match(defaultCacheDir({}), /\/\.cache\/bpfscope$/);
});

test('a stored value comes back only for the same release and boot', () => {
  withDir((dir) => {
    assert.equal(readCache(dir, KEY), undefined);
    writeCache(dir, KEY, { answer: 42 });
    assert.deepEqual(readCache(dir, KEY), { answer: 42 });
    assert.equal(readCache(dir, { ...KEY, bootId: 'boot-2' }), undefined);
    assert.equal(readCache(dir, { ...KEY, release: '6.2.0' }), undefined);
  });
});

test('a corrupt cache file is ignored', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'features.json'), '{"format":1,');
    assert.equal(readCache(dir, KEY), undefined);
  });
});

test('probeFeatures reuses cached results for the same boot and re-probes on refresh', () => {
  withDir((dir) => {
    const first = probeFeatures({ env: new FakeEnvironment(), cacheDir: dir });
    assert.equal(first.programTypes.fentry.available, true);

    // A second machine state that would refuse everything: the cached answers win until a refresh.
    const refusing = new FakeEnvironment();
    refusing.sys.onBpf = () => ({ errno: 'EPERM' });
    const cached = probeFeatures({ env: refusing, cacheDir: dir });
    assert.deepEqual(cached.helpers, first.helpers);
    assert.equal(refusing.sys.calls.length, 0);

    const refreshed = probeFeatures({ env: refusing, cacheDir: dir, refresh: true });
    assert.equal(refreshed.programTypes.fentry.available, false);
    assert.equal(probeFeatures({ env: new FakeEnvironment(), cacheDir: dir }).programTypes.fentry.available, false);
  });
});

test('a cache file without every probe is not trusted', () => {
  withDir((dir) => {
    writeCache(dir, { release: '6.1.0-test', bootId: '00000000-0000-0000-0000-000000000001' }, { programTypes: {} });
    const env = new FakeEnvironment();
    probeFeatures({ env, cacheDir: dir });
    assert.ok(env.sys.calls.length > 0, 'probed afresh');
  });
});
