import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEnvironment } from './fake-environment.js';
import { ensureTracefs, findTracefs } from './tracefs-mount.js';

test('an existing tracefs mount is used wherever it is', () => {
  const env = new FakeEnvironment({ files: { '/proc/mounts': 'proc /proc proc rw 0 0\ntracefs /sys/kernel/debug/tracing tracefs rw 0 0\n' } });
  assert.equal(findTracefs(env), '/sys/kernel/debug/tracing');
  assert.equal(ensureTracefs(env), '/sys/kernel/debug/tracing');
  assert.deepEqual(env.sys.callNames(), []);
});

test('an unmounted tracefs is mounted at /sys/kernel/tracing', () => {
  const env = new FakeEnvironment({ files: { '/proc/mounts': '' } });
  assert.equal(ensureTracefs(env), '/sys/kernel/tracing');
  assert.deepEqual(env.sys.calls[0], { syscall: 'mount', args: ['nodev', '/sys/kernel/tracing', 'tracefs'] });
});

test('failing to mount, or a kernel without tracefs, is an error that says which', () => {
  const refused = new FakeEnvironment({ files: { '/proc/mounts': '' } });
  refused.sys.onMount = () => ({ errno: 'EPERM' });
  assert.throws(() => ensureTracefs(refused), /^Error: tracefs is not mounted and mounting it at \/sys\/kernel\/tracing failed: mount\(tracefs on \/sys\/kernel\/tracing\) failed: EPERM/);
  const absent = new FakeEnvironment({ files: { '/proc/mounts': '', '/proc/filesystems': 'nodev\tproc\n' } });
  assert.throws(() => ensureTracefs(absent), /built without tracefs \(CONFIG_TRACING\)/);
});
