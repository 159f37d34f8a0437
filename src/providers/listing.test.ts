import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture } from '../../test/fixtures/build-fixture.js';
import { formatListing, listProbes } from './listing.js';
import { defaultProviders } from './registry.js';
import { ProbeError } from './provider.js';
import { fixtureEnvironment } from './testing/fixtures.js';

const registry = defaultProviders(fixtureEnvironment());
const list = (pattern: string | undefined, verbose = false): string[] =>
  listProbes(registry, pattern, { verbose }).map((probe) => probe.name);

test('a named provider lists its own probes, by name or alias', () => {
  assert.deepEqual(list('tracepoint:syscalls:*'), ['tracepoint:syscalls:sys_enter_execve', 'tracepoint:syscalls:sys_enter_openat']);
  assert.deepEqual(list('t:sched:sched_switch'), ['tracepoint:sched:sched_switch']);
  assert.deepEqual(list('kretprobe:vfs_w*'), ['kretprobe:vfs_write']);
  assert.deepEqual(list('interval:*'), []);
});

test('a wildcard provider searches the kernel kinds in name order, skipping user-space and return kinds', () => {
  assert.deepEqual(list('*:*read*'), [
    'fentry:vfs_read',
    'kprobe:ext4:ext4_file_read_iter', 'kprobe:vfs_read', 'kprobe:vfs_readv',
  ]);
  assert.deepEqual(list('*:sched:*'), ['tracepoint:sched:sched_process_exec', 'tracepoint:sched:sched_switch']);
});

test('a lone word is a probe kind if it names one, else a name searched in every kernel kind', () => {
  assert.deepEqual(list('rawtracepoint'), ['rawtracepoint:sched_switch', 'rawtracepoint:sys_enter']);
  assert.deepEqual(list('*sys_enter*'), [
    'fentry:__bpf_trace_sys_enter', 'rawtracepoint:sys_enter', 'tracepoint:raw_syscalls:sys_enter', 'tracepoint:syscalls:sys_enter_execve',
    'tracepoint:syscalls:sys_enter_openat',
  ]);
  const everything = list(undefined);
  assert.ok(everything.includes('software:cpu-clock:') && everything.includes('hardware:cycles:'));
  assert.ok(!everything.some((name) => /^(uprobe|uretprobe|kretprobe|fexit|BEGIN|END)/.test(name)));
});

test('user-space kinds join a wildcard search when an existing binary is named', async () => {
  const path = await buildFixture('uprobe-target');
  assert.deepEqual(list(`*:${path}:bpfscope_add`), [`uprobe:${path}:bpfscope_add`]);
});

test('an unknown provider is a ProbeError', () => {
  assert.throws(() => list('nosuch:*'), (error: unknown) => error instanceof ProbeError && error.message === "unknown probe type 'nosuch'");
});

test('-lv text indents details by four spaces under each probe', () => {
  const probes = listProbes(registry, 'tracepoint:syscalls:sys_enter_openat', { verbose: true });
  assert.equal(formatListing(probes), [
    'tracepoint:syscalls:sys_enter_openat',
    '    int __syscall_nr',
    '    int dfd',
    '    const char * filename',
    '    int flags',
    '    umode_t mode',
    '',
  ].join('\n'));
  assert.equal(formatListing([]), '');
});
