import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCache } from '../kernel/boot-cache.js';
import { withTempDir } from '../kernel/testing/temp-dir.js';
import { FakeEnvironment } from './fake-environment.js';
import { probeFeatures } from './report.js';

const withDir = (run: (dir: string) => void): void => withTempDir('bpfscope-cache-', run);

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
    writeCache(dir, 'features.json', { release: '6.1.0-test', bootId: '00000000-0000-0000-0000-000000000001' }, { programTypes: {} });
    const env = new FakeEnvironment();
    probeFeatures({ env, cacheDir: dir });
    assert.ok(env.sys.calls.length > 0, 'probed afresh');
  });
});
