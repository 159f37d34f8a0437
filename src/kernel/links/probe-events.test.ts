import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_FAKE_ID, FakeTracefs } from './fake-tracefs.js';
import { addProbeEntry, hasProbeEventsFile, listBpfscopeEntries, removeStaleEntries } from './probe-events.js';

/** Far above pid_max (4194304 at most), so no process has it. */
const DEAD_PID = 99_999_999;

test('an entry is named after this process, gets its event id, and is removed by name', () => {
  const tracefs = new FakeTracefs('uprobe_events', 'uprobes');
  try {
    const entry = addProbeEntry(tracefs.root, 'uprobe_events', 'p', '/bin/true:0x4f0');
    assert.match(entry.event, new RegExp(`^uprobes/bpfscope_${process.pid}_(\\d+)$`));
    const n = Number(/_(\d+)$/.exec(entry.event)?.[1]);
    assert.equal(entry.id, FIRST_FAKE_ID + n);
    entry.remove();
    assert.deepEqual(tracefs.commands('uprobe_events'), [
      `p:bpfscope_${process.pid}_${n} /bin/true:0x4f0`,
      `-:${entry.event}`,
    ]);
  } finally {
    tracefs.remove();
  }
});

test('an entry whose event never appeared is removed again', () => {
  const tracefs = new FakeTracefs('kprobe_events', 'elsewhere');
  try {
    assert.throws(() => addProbeEntry(tracefs.root, 'kprobe_events', 'p', 'vfs_read+0'), /ENOENT/);
    const commands = tracefs.commands('kprobe_events');
    assert.equal(commands.length, 2);
    assert.match(commands[1] ?? '', /^-:kprobes\/bpfscope_\d+_\d+$/);
  } finally {
    tracefs.remove();
  }
});

test('entries of dead bpfscope processes are removed; live ones and other tools\' entries stay', () => {
  const listing = [
    `p:uprobes/bpfscope_${DEAD_PID}_0 /bin/bash:0x0000000000001000`,
    `r:uprobes/bpfscope_${process.pid}_3 /bin/bash:0x0000000000002000`,
    'p:uprobes/p_bash_0x3000 /bin/bash:0x0000000000003000',
    '',
  ].join('\n');
  const tracefs = new FakeTracefs('uprobe_events', 'uprobes', listing);
  try {
    assert.deepEqual(listBpfscopeEntries(tracefs.root, 'uprobe_events'), [
      `uprobes/bpfscope_${DEAD_PID}_0`,
      `uprobes/bpfscope_${process.pid}_3`,
    ]);
    assert.deepEqual(removeStaleEntries(tracefs.root, 'uprobe_events'), [`uprobes/bpfscope_${DEAD_PID}_0`]);
    assert.equal(tracefs.commands('uprobe_events').at(-1), `-:uprobes/bpfscope_${DEAD_PID}_0`);
  } finally {
    tracefs.remove();
  }
});

test('hasProbeEventsFile tells a kernel without the file apart', () => {
  const tracefs = new FakeTracefs('uprobe_events', 'uprobes');
  try {
    assert.equal(hasProbeEventsFile(tracefs.root, 'uprobe_events'), true);
    assert.equal(hasProbeEventsFile(tracefs.root, 'kprobe_events'), false);
  } finally {
    tracefs.remove();
  }
});
