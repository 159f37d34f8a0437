import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hostFiles } from './host-files.js';
import { ensureTracefs, findTracefs, Tracefs, TracefsError, tracefsRoot, type TracefsLocation } from './tracefs.js';

const scratch = mkdtempSync(join(tmpdir(), 'bpfscope-tracefs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const openatFormat = readFileSync(new URL('../../test/fixtures/tracefs/sys_enter_openat.format', import.meta.url), 'utf8');

/** A tracefs-shaped tree: events/<category>/<name>/{id,format} plus the files real tracefs has. */
function fakeTree(root: string): void {
  const events: [string, string, string][] = [
    ['syscalls', 'sys_enter_openat', openatFormat],
    ['syscalls', 'sys_exit_openat', 'name: sys_exit_openat\nID: 781\nformat:\n'],
    ['syscalls', 'sys_enter_read', 'name: sys_enter_read\nID: 700\nformat:\n'],
    ['sched', 'sched_switch', 'name: sched_switch\nID: 372\nformat:\n'],
  ];
  for (const [category, name, format] of events) {
    const dir = join(root, 'events', category, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'format'), format);
    writeFileSync(join(dir, 'id'), `${/ID: (\d+)/.exec(format)?.[1]}\n`);
    writeFileSync(join(root, 'events', category, 'enable'), '0\n');
  }
  writeFileSync(join(root, 'events', 'header_page'), '');
  mkdirSync(join(root, 'events', 'sched', 'broken'));
  writeFileSync(join(root, 'events', 'sched', 'broken', 'id'), 'garbage\n');
}

function location(name: string, mountsText: string, filesystemsText = 'nodev\ttracefs\n'): TracefsLocation {
  const mountsFile = join(scratch, `${name}.mounts`);
  const filesystemsFile = join(scratch, `${name}.filesystems`);
  writeFileSync(mountsFile, mountsText);
  writeFileSync(filesystemsFile, filesystemsText);
  return { mountPoints: [join(scratch, `${name}-primary`), join(scratch, `${name}-fallback`)], mountsFile, filesystemsFile };
}

describe('Tracefs over a tracefs-shaped tree', () => {
  const root = join(scratch, 'tree');
  fakeTree(root);
  const tracefs = new Tracefs(root);

  it('lists categories and events, matching globs', () => {
    assert.deepEqual(tracefs.listCategories(), ['sched', 'syscalls']);
    assert.deepEqual(tracefs.listEvents('syscalls', 'sys_enter_*'), [
      { category: 'syscalls', name: 'sys_enter_openat' },
      { category: 'syscalls', name: 'sys_enter_read' },
    ]);
    assert.deepEqual(tracefs.listEvents('s?hed').map((e) => e.name), ['broken', 'sched_switch']);
    assert.deepEqual(tracefs.listEvents('*', '*_openat').map((e) => e.name), ['sys_enter_openat', 'sys_exit_openat']);
    assert.equal(tracefs.listEvents().length, 5);
    assert.deepEqual(tracefs.listEvents('sys.alls'), []);
    assert.deepEqual(tracefs.listEvents('nosuch'), []);
    assert.deepEqual(tracefs.listEvents('..', '*'), []);
  });

  it('finds an exact category and event without listing, and only events', () => {
    assert.deepEqual(tracefs.listEvents('sched', 'sched_switch'), [{ category: 'sched', name: 'sched_switch' }]);
    for (const [category, name] of [['sched', 'nosuch'], ['nosuch', 'sched_switch'], ['sched', 'enable'], ['sched', '..'], ['sched/..', 'sched']]) {
      assert.deepEqual(tracefs.listEvents(category, name), [], `${category}:${name}`);
    }
  });

  it('reads ids and parses formats once', () => {
    assert.equal(tracefs.eventId('syscalls', 'sys_enter_openat'), 782);
    const format = tracefs.eventFormat('syscalls', 'sys_enter_openat');
    assert.deepEqual(format.fields.map((f) => f.name).slice(4), ['__syscall_nr', 'dfd', 'filename', 'flags', 'mode']);
    assert.equal(tracefs.eventFormat('syscalls', 'sys_enter_openat'), format);
  });

  it('names the tracepoint and path in errors', () => {
    assert.throws(
      () => tracefs.eventId('syscalls', 'sys_enter_foo'),
      (e: unknown) =>
        e instanceof TracefsError &&
        e.message.startsWith('no such tracepoint syscalls:sys_enter_foo') &&
        e.message.includes(join(root, 'events/syscalls/sys_enter_foo/id')),
    );
    assert.throws(() => tracefs.eventFormat('nosuch', 'x'), /no such tracepoint nosuch:x/);
    assert.throws(() => tracefs.eventId('sched', 'broken'), /broken\/id holds "garbage", not an id/);
    assert.throws(() => tracefs.eventId('..', 'x'), /invalid tracepoint \.\.:x/);
    assert.throws(() => new Tracefs(join(scratch, 'missing')).listCategories(), /cannot list .*missing\/events: ENOENT \(is tracefs mounted\?\)/);
  });
});

describe('locating and mounting tracefs', () => {
  it('prefers a tracefs listed in the mount table, unescaping its path', () => {
    const loc = location('table', '');
    const spaced = join(scratch, 'with space');
    writeFileSync(loc.mountsFile, `proc /proc proc rw 0 0\nnodev ${spaced.replace(/ /g, '\\040')} tracefs rw 0 0\n`);
    assert.equal(findTracefs(hostFiles, loc), spaced);
    writeFileSync(loc.mountsFile, `nodev ${spaced.replace(/ /g, '\\040')} tracefs rw 0 0\nnodev ${loc.mountPoints[1]} tracefs rw 0 0\n`);
    assert.equal(findTracefs(hostFiles, loc), loc.mountPoints[1]);
  });

  it('falls back to a mount point that has events/', () => {
    const loc = location('probe', 'proc /proc proc rw 0 0\n');
    assert.equal(findTracefs(hostFiles, loc), undefined);
    assert.throws(() => tracefsRoot(loc), /tracefs is not mounted .*is tracefs mounted\? As root: mount -t tracefs nodev .*probe-primary/);
    mkdirSync(join(loc.mountPoints[1], 'events'), { recursive: true });
    assert.equal(findTracefs(hostFiles, loc), loc.mountPoints[1]);
  });

  it('mounts at the first mount point only when nothing is mounted', () => {
    const loc = location('mount', '');
    const calls: string[][] = [];
    const tracefs = ensureTracefs((source, target, fstype) => {
      calls.push([source, target, fstype]);
      fakeTree(target);
    }, loc);
    assert.deepEqual(calls, [['nodev', loc.mountPoints[0], 'tracefs']]);
    assert.equal(tracefs.root, loc.mountPoints[0]);
    assert.equal(ensureTracefs(() => assert.fail('mounted twice'), loc), tracefs);
  });

  it('wraps a failing mount', () => {
    const loc = location('fail', '');
    assert.throws(
      () => ensureTracefs(() => { throw new Error('EPERM'); }, loc),
      (e: unknown) => e instanceof TracefsError && /^tracefs is not mounted and mounting it at .*fail-primary failed: EPERM$/.test(e.message) && e.cause instanceof Error,
    );
  });

  it('does not try to mount tracefs on a kernel built without it', () => {
    const loc = location('absent', '', 'nodev\tproc\n');
    assert.throws(
      () => ensureTracefs(() => assert.fail('mounted'), loc),
      (e: unknown) => e instanceof TracefsError && /built without tracefs \(CONFIG_TRACING\): it is not listed in .*absent\.filesystems$/.test(e.message),
    );
  });
});
