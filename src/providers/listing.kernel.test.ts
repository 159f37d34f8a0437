import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatListing, listProbes } from './listing.js';
import { defaultProviders } from './registry.js';

const registry = defaultProviders();

test('-lv shows a tracepoint\'s fields as this kernel\'s format file has them', () => {
  const text = formatListing(listProbes(registry, 'tracepoint:syscalls:sys_enter_openat', { verbose: true }));
  assert.equal(text, [
    'tracepoint:syscalls:sys_enter_openat',
    '    int __syscall_nr',
    '    int dfd',
    '    const char * filename',
    '    int flags',
    '    umode_t mode',
    '',
  ].join('\n'));
});

test('-l finds tracepoints, raw tracepoints, kprobes, fentry functions and software events', () => {
  const names = listProbes(registry, '*:*sched_switch*', { verbose: false }).map((probe) => probe.name);
  for (const expected of ['tracepoint:sched:sched_switch', 'rawtracepoint:sched_switch']) assert.ok(names.includes(expected), expected);
  const vfsRead = listProbes(registry, 'vfs_read', { verbose: false }).map((probe) => probe.name);
  assert.deepEqual(vfsRead, ['fentry:vfs_read', 'kprobe:vfs_read']);
  assert.ok(listProbes(registry, 'software:*', { verbose: false }).some((probe) => probe.name === 'software:cpu-clock:'));
});

test('-lv shows a raw tracepoint\'s typed parameters', () => {
  const [probe] = listProbes(registry, 'rawtracepoint:sched_switch', { verbose: true });
  assert.ok(probe.details?.includes('struct task_struct * prev'), probe.details?.join(', '));
});

test('-l lists the functions of a binary', () => {
  const names = listProbes(registry, 'uprobe:/bin/bash:readline*', { verbose: false }).map((probe) => probe.name);
  assert.ok(names.includes('uprobe:/bin/bash:readline'), names.join(', '));
});
