import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSys } from '../../sys/index.js';
import { liveResources } from '../cleanup.js';
import { FdLink, closeQuietly } from './link.js';

function openFds(sys: FakeSys, count: number): number[] {
  return Array.from({ length: count }, () => sys.perfEventOpen(new Uint8Array(128), -1, 0, -1, 0));
}

test('a link is registered for cleanup until it is detached', () => {
  const sys = new FakeSys();
  const link = new FdLink(sys, 'tracepoint', 'tracepoint:a:b', openFds(sys, 1));
  assert.ok(liveResources().some((resource) => resource.description === 'tracepoint:a:b'));
  link.detach();
  assert.ok(!liveResources().some((resource) => resource.description === 'tracepoint:a:b'));
});

test('detach closes every descriptor before the undo steps, and only once', () => {
  const sys = new FakeSys();
  const fds = openFds(sys, 2);
  const order: string[] = [];
  const link = new FdLink(sys, 'uprobe', 'uprobe:/bin/true:main', fds, [() => order.push(`undo with ${sys.openFds.size} open`)]);
  link.detach();
  link.detach();
  assert.deepEqual(order, ['undo with 0 open']);
  assert.equal(sys.callNames().filter((name) => name === 'close').length, 2);
});

test('a failing step does not stop the others, and the failure is reported', () => {
  const sys = new FakeSys();
  const [first, second] = openFds(sys, 2);
  sys.close(first ?? -1);
  let undone = false;
  const link = new FdLink(sys, 'kprobe', 'kprobe:vfs_read', [first ?? -1, second ?? -1], [() => { undone = true; }]);
  assert.throws(() => link.detach(), /detaching kprobe:vfs_read failed: close failed: EBADF/);
  assert.equal(sys.openFds.size, 0);
  assert.equal(undone, true);
  assert.ok(!liveResources().some((resource) => resource.description === 'kprobe:vfs_read'));
});

test('closeQuietly closes what it can and swallows close errors', () => {
  const sys = new FakeSys();
  const fds = openFds(sys, 2);
  closeQuietly(sys, [999, ...fds]);
  assert.equal(sys.openFds.size, 0);
});
