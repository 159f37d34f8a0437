import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureTracefs, eventFormat, eventId, listCategories, listEvents } from './tracefs.js';

// src/sys will own mount(2); until then the mount(8) command stands in for it.
const tracefs = ensureTracefs((source, target, fstype) => {
  execFileSync('mount', ['-t', fstype, source, target]);
});

describe('tracefs on the running kernel', () => {
  it('parses sys_enter_openat to the same layout the format file states', () => {
    const format = tracefs.eventFormat('syscalls', 'sys_enter_openat');
    const events = format.fields.filter((f) => !f.isCommon);
    assert.deepEqual(events.map((f) => f.name), ['__syscall_nr', 'dfd', 'filename', 'flags', 'mode']);
    const text = readFileSync(join(tracefs.eventPath('syscalls', 'sys_enter_openat'), 'format'), 'utf8');
    for (const field of events) {
      const line = text.split('\n').find((l) => l.includes(` ${field.name};`));
      assert.ok(line !== undefined, field.name);
      assert.match(line, new RegExp(`offset:${field.offset};\\s*size:${field.size};`));
    }
    assert.equal(events.find((f) => f.name === 'filename')?.type, 'const char *');
    assert.equal(events.find((f) => f.name === '__syscall_nr')?.size, 4);
    assert.equal(format.id, tracefs.eventId('syscalls', 'sys_enter_openat'));
  });

  it('finds hundreds of syscall entry tracepoints', () => {
    const enters = tracefs.listEvents('syscalls', 'sys_enter_*');
    assert.ok(enters.length > 200, `${enters.length} found`);
    assert.ok(enters.some((e) => e.name === 'sys_enter_openat'));
    assert.ok(enters.every((e) => e.category === 'syscalls' && e.name.startsWith('sys_enter_')));
  });

  it('parses the format of every tracepoint', () => {
    for (const { category, name } of tracefs.listEvents()) {
      const format = tracefs.eventFormat(category, name);
      assert.equal(format.name, name);
      assert.ok(format.fields.some((f) => f.name === 'common_pid'), `${category}:${name}`);
    }
  });

  it('names a missing tracepoint', () => {
    assert.throws(() => tracefs.eventId('syscalls', 'sys_enter_foo'), /no such tracepoint syscalls:sys_enter_foo/);
  });
});

describe('module-level tracefs queries', () => {
  it('answer from the mounted tracefs', () => {
    assert.ok(listCategories().includes('syscalls'));
    assert.deepEqual(listEvents('sched', 'sched_switch'), [{ category: 'sched', name: 'sched_switch' }]);
    assert.equal(eventId('sched', 'sched_switch'), tracefs.eventId('sched', 'sched_switch'));
    assert.equal(eventFormat('sched', 'sched_switch'), tracefs.eventFormat('sched', 'sched_switch'));
  });
});
