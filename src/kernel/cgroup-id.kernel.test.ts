// cgroupid()'s lookup against the kernel: the id it finds for this process's own cgroup v2 directory
// must be the one bpf_get_current_cgroup_id() returns in a program this process runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileText } from '../compiler/testing/fake-providers.js';
import { LoadedForTest } from '../compiler/testing/kernel-loader.js';
import { cgroupId } from './cgroup-id.js';

/** Where the cgroup v2 hierarchy is mounted, from /proc/self/mountinfo (field 5 is the mount point). */
function cgroup2Mount(): string | undefined {
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => / - cgroup2 /.test(l));
  return line?.split(' ')[4];
}

/** This process's cgroup v2 directory: the `0::/path` line of /proc/self/cgroup, under the mount. */
function ownCgroupPath(mount: string): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
  assert.ok(line !== undefined, 'the process is in a cgroup v2 hierarchy');
  return join(mount, line.slice(3));
}

const mount = cgroup2Mount();

describe('cgroupId', { skip: mount === undefined && 'no cgroup v2 hierarchy is mounted' }, () => {
  it("finds the id BPF programs see for this process's cgroup", () => {
    const path = ownCgroupPath(mount ?? '');
    const found = cgroupId(path);
    assert.ok('id' in found, `${path}: ${'problem' in found ? found.problem : ''}`);
    const loaded = new LoadedForTest(compileText('BEGIN { @ = cgroup; }'));
    try {
      loaded.run(0);
      const value = loaded.userMap('@').lookup(new Uint8Array(8));
      assert.ok(value !== undefined, '@ was written');
      assert.equal(new DataView(value.buffer, value.byteOffset).getBigUint64(0, true), found.id);
    } finally {
      loaded.close();
    }
  });

  it('says why a path has no cgroup v2 id', () => {
    assert.deepEqual(cgroupId(join(mount ?? '', 'no-such-cgroup')), { problem: 'does not exist' });
    assert.deepEqual(cgroupId('/proc'), { problem: 'is not on a cgroup v2 file system' });
  });
});
