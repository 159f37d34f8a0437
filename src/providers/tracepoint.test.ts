import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSys, PerfType, ProgramType } from '../sys/index.js';
import { TracepointProvider, fieldDeclaration } from './tracepoint.js';
import { ProbeError } from './provider.js';
import { ALL_ARGS, NO_ARGS, attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const provider = new TracepointProvider(fixtureEnvironment());
const names = (raw: string): string[] => provider.expand(attachPoint(raw)).map((probe) => probe.name);

test('tracepoints expand from tracefs, with wildcards in either part, sorted', () => {
  assert.deepEqual(provider.expand(attachPoint('tracepoint:syscalls:sys_enter_openat')), [
    { provider: 'tracepoint', name: 'tracepoint:syscalls:sys_enter_openat', detail: { category: 'syscalls', event: 'sys_enter_openat' } },
  ]);
  assert.deepEqual(names('t:syscalls:sys_enter_*'), ['tracepoint:syscalls:sys_enter_execve', 'tracepoint:syscalls:sys_enter_openat']);
  assert.deepEqual(names('tracepoint:*:sys_enter*'), [
    'tracepoint:raw_syscalls:sys_enter', 'tracepoint:syscalls:sys_enter_execve', 'tracepoint:syscalls:sys_enter_openat',
  ]);
  // A lone wildcard searches every category, as bpftrace does.
  assert.deepEqual(names('tracepoint:sched_*'), ['tracepoint:sched:sched_process_exec', 'tracepoint:sched:sched_switch']);
});

test('the syscalls category is listed once per boot: its events, named or matched by a wildcard, are found in the boot facts', () => {
  const facts = new Map<string, unknown>();
  const remembered = new TracepointProvider(fixtureEnvironment({
    bootFact: <T>(name: string, compute: () => T, valid: (value: unknown) => value is T): T => {
      const known = facts.get(name);
      if (valid(known)) return known;
      const value = compute();
      facts.set(name, value);
      return value;
    },
  }));
  const expanded = (raw: string): string[] => remembered.expand(attachPoint(raw)).map((probe) => probe.name);
  assert.deepEqual(expanded('tracepoint:syscalls:sys_enter_*'), ['tracepoint:syscalls:sys_enter_execve', 'tracepoint:syscalls:sys_enter_openat']);
  assert.deepEqual([...facts.keys()], ['tracepoints:syscalls']);
  // What is kept is what later wildcards match against.
  facts.set('tracepoints:syscalls', ['sys_enter_kept', 'sys_exit_kept']);
  assert.deepEqual(expanded('tracepoint:syscalls:sys_exit_*'), ['tracepoint:syscalls:sys_exit_kept']);
  // A named syscall event is looked up there too, without tracefs.
  assert.deepEqual(expanded('tracepoint:syscalls:sys_enter_kept'), ['tracepoint:syscalls:sys_enter_kept']);
  assert.throws(() => expanded('tracepoint:syscalls:sys_enter_openat'), /tracepoint not found: syscalls:sys_enter_openat/);
  assert.deepEqual(expanded('tracepoint:sched:sched_*'), ['tracepoint:sched:sched_process_exec', 'tracepoint:sched:sched_switch']);
});

test('a tracepoint that does not exist is named in the error, with a listing hint', () => {
  assert.throws(() => provider.expand(attachPoint('tracepoint:syscalls:sys_enter_foo')), (error: unknown) =>
    error instanceof ProbeError && error.message === 'tracepoint not found: syscalls:sys_enter_foo' &&
    error.hint === "list the tracepoints with: bpfscope -l 'tracepoint:syscalls:*'");
  assert.throws(() => provider.expand(attachPoint('tracepoint:nope:*')), /tracepoint not found: nope:\*/);
  assert.throws(() => provider.expand(attachPoint('tracepoint:sched')), /tracepoint probes take 2 arguments, not 1/);
  assert.throws(() => provider.expand(attachPoint('tracepoint:sched:')), /empty tracepoint category or event/);
});

test('args are the format\'s own fields at their record offsets; syscall pointers are user pointers', () => {
  const [openat] = provider.expand(attachPoint('tracepoint:syscalls:sys_enter_openat'));
  assert.deepEqual(provider.context(openat), {
    args: [
      { name: '__syscall_nr', cType: 'int', offset: 8, size: 4, signed: true, dataLoc: false, userPointer: false },
      { name: 'dfd', cType: 'int', offset: 16, size: 8, signed: false, dataLoc: false, userPointer: false },
      { name: 'filename', cType: 'const char *', offset: 24, size: 8, signed: false, dataLoc: false, userPointer: true },
      { name: 'flags', cType: 'int', offset: 32, size: 8, signed: false, dataLoc: false, userPointer: false },
      { name: 'mode', cType: 'umode_t', offset: 40, size: 8, signed: false, dataLoc: false, userPointer: false },
    ],
    userSpace: false,
  });
  assert.deepEqual(provider.programKind(), { programType: ProgramType.TRACEPOINT });
});

test('__data_loc fields are marked, and pointers outside syscalls are kernel pointers', () => {
  const [exec] = provider.expand(attachPoint('tracepoint:sched:sched_process_exec'));
  const [filename] = provider.context(exec).args;
  assert.equal(filename.name, 'filename');
  assert.equal(filename.dataLoc, true);
  assert.equal(filename.cType, 'char[]');
  assert.equal(filename.userPointer, false);
  const [, args] = provider.context(provider.expand(attachPoint('tracepoint:raw_syscalls:sys_enter'))[0]).args;
  assert.deepEqual(args, { name: 'args', cType: 'unsigned long[6]', offset: 16, size: 48, signed: false, dataLoc: false, userPointer: false });
});

test('without args every tracepoint shares one program; with args, only equal layouts do', () => {
  const [execve, openat] = provider.expand(attachPoint('tracepoint:syscalls:sys_enter_*'));
  assert.equal(provider.shareKey(execve, NO_ARGS), provider.shareKey(openat, NO_ARGS));
  assert.notEqual(provider.shareKey(execve, ALL_ARGS), provider.shareKey(openat, ALL_ARGS));
  assert.equal(provider.shareKey(openat, ALL_ARGS), provider.shareKey(provider.expand(attachPoint('t:syscalls:sys_enter_openat'))[0], ALL_ARGS));
  // Programs that name only fields laid out alike share, whatever else the events hold.
  const numberOnly = { ...ALL_ARGS, argsFields: new Set(['__syscall_nr']) };
  assert.equal(provider.shareKey(execve, numberOnly), provider.shareKey(openat, numberOnly));
});

test('-l and -lv print names and fields in bpftrace\'s format', () => {
  assert.deepEqual(provider.list(['syscalls', 'sys_enter_open*'], { verbose: false }), [{ name: 'tracepoint:syscalls:sys_enter_openat' }]);
  assert.deepEqual(provider.list(['sched', 'sched_switch'], { verbose: true }), [{
    name: 'tracepoint:sched:sched_switch',
    details: ['char prev_comm[16]', 'pid_t prev_pid', 'int prev_prio', 'long prev_state', 'char next_comm[16]', 'pid_t next_pid', 'int next_prio'],
  }]);
  assert.deepEqual(provider.list(['*exec*'], { verbose: true }).map((probe) => [probe.name, probe.details?.[0]]), [
    ['tracepoint:sched:sched_process_exec', '__data_loc char[] filename'],
    ['tracepoint:syscalls:sys_enter_execve', 'int __syscall_nr'],
  ]);
  assert.equal(provider.list([], { verbose: false }).length, 5);
});

test('field declarations put array brackets after the name', () => {
  const base = { offset: 0, size: 0, signed: false, isCommon: false };
  assert.equal(fieldDeclaration({ ...base, name: 'argv', type: 'const char *const *' }), 'const char *const * argv');
  assert.equal(fieldDeclaration({ ...base, name: 'args', type: 'unsigned long[6]' }), 'unsigned long args[6]');
  assert.equal(fieldDeclaration({ ...base, name: 'name', type: 'char[]', dataLoc: 'rel_loc' }), '__rel_loc char[] name');
});

test('attaching opens a tracepoint perf event with the event\'s tracefs id', () => {
  const sys = new FakeSys();
  const withSys = new TracepointProvider(fixtureEnvironment({ sys: () => sys }));
  const link = withSys.attach(5, withSys.expand(attachPoint('tracepoint:sched:sched_switch'))[0]);
  try {
    const [open] = sys.calls.filter((call) => call.syscall === 'perf_event_open');
    const attr = new DataView((open.args[0] as Uint8Array).buffer);
    assert.equal(attr.getUint32(0, true), PerfType.TRACEPOINT);
    assert.equal(attr.getBigUint64(8, true), 372n);
    assert.equal(link.description, 'tracepoint:sched:sched_switch');
  } finally {
    link.detach();
  }
});

test('without a usable tracefs, expanding is a ProbeError at the attach point', () => {
  const unmountable = new TracepointProvider(fixtureEnvironment({
    tracefs: () => {
      throw new Error('cannot mount tracefs at /sys/kernel/tracing: EPERM');
    },
  }));
  assert.throws(() => unmountable.expand(attachPoint('tracepoint:sched:sched_switch')), (error: unknown) =>
    error instanceof ProbeError && error.message === 'tracepoint:sched:sched_switch: cannot mount tracefs at /sys/kernel/tracing: EPERM');
});
