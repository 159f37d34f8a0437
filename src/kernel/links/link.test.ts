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

test('a concurrent detach stops the program by closing what holds it, then releases the rest', async () => {
  const sys = new FakeSys();
  const [bpfLink = -1, perfEvent = -1] = openFds(sys, 2);
  const order: string[] = [];
  const link = new FdLink(sys, 'tracepoint', 'tracepoint:c:d', [bpfLink, perfEvent], [() => order.push(`undo with ${sys.openFds.size} open`)], 1);
  const { stopped, detached } = link.detachConcurrently();
  assert.equal(link.detachConcurrently().detached, detached, 'asked again, the same detach');
  await stopped;
  await detached;
  const closed = sys.calls.filter((call) => call.syscall === 'close').map((call) => call.args[0]);
  assert.deepEqual(closed, [bpfLink, perfEvent], 'the program is taken off its hook first');
  assert.deepEqual(order, ['undo with 0 open']);
  assert.ok(!liveResources().some((resource) => resource.description === 'tracepoint:c:d'));
  link.detach();
  assert.equal(sys.callNames().filter((name) => name === 'close').length, 2);
});

test('a concurrent detach closes every descriptor when nothing separate holds the program, and reports failures', async () => {
  const sys = new FakeSys();
  const fds = openFds(sys, 2);
  const whole = new FdLink(sys, 'perf_event', 'profile:hz:99', fds, [], 0).detachConcurrently();
  await whole.stopped;
  assert.equal(sys.openFds.size, 0);
  await whole.detached;
  const [closed = -1] = openFds(sys, 1);
  sys.close(closed);
  const failing = new FdLink(sys, 'kprobe', 'kprobe:vfs_write', [closed]).detachConcurrently();
  await assert.rejects(failing.stopped, /detaching kprobe:vfs_write failed: close failed: EBADF/);
  await failing.detached;
});

test('detach() during a concurrent detach closes only what is left', async () => {
  const sys = new FakeSys();
  const fds = openFds(sys, 2);
  let undone = 0;
  const link = new FdLink(sys, 'uprobe', 'uprobe:/bin/true:main', fds, [() => undone++], 1);
  const { detached } = link.detachConcurrently();
  link.detach();
  await detached;
  assert.deepEqual([sys.openFds.size, undone, sys.callNames().filter((name) => name === 'close').length], [0, 1, 2]);
});

test('closeQuietly closes what it can and swallows close errors', () => {
  const sys = new FakeSys();
  const fds = openFds(sys, 2);
  closeQuietly(sys, [999, ...fds]);
  assert.equal(sys.openFds.size, 0);
});
