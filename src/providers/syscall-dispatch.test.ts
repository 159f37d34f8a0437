import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType } from '../sys/index.js';
import { SyscallTable, syscallTable } from '../syscalls/index.js';
import { TracepointProvider } from './tracepoint.js';
import type { ProbeTarget } from './provider.js';
import { type FixtureEvent, ALL_ARGS, NO_ARGS, attachPoint, compatFixtureBtf, fixtureEnvironment, fixtureTracefs } from './testing/fixtures.js';

const MORE_EVENTS: readonly FixtureEvent[] = [
  ['sys_enter_getpid', 'syscalls', 'sys_enter_getpid'],
  ['sys_enter_getppid', 'syscalls', 'sys_enter_getppid'],
  ['sys_enter_gettid', 'syscalls', 'sys_enter_gettid'],
  ['sys_enter_newstat', 'syscalls', 'sys_enter_newstat'],
  ['sys_exit_getpid', 'syscalls', 'sys_exit_getpid'],
  ['sys_exit_getppid', 'syscalls', 'sys_exit_getppid'],
  ['sys_exit_gettid', 'syscalls', 'sys_exit_gettid'],
  ['raw_syscalls_sys_exit', 'raw_syscalls', 'sys_exit'],
  // As a later kernel might lay them out: each with a __data_loc copy of its path.
  ['sys_enter_chdir_data_loc', 'syscalls', 'sys_enter_chdir'],
  ['sys_enter_rmdir_data_loc', 'syscalls', 'sys_enter_rmdir'],
  ['sys_enter_unlink_data_loc', 'syscalls', 'sys_enter_unlink'],
];

// Argument registers out of order and apart, as on x86_64 (di si dx r10 r8 r9).
const REGISTERS = { number: 120, args: [112, 104, 96, 56, 72, 64] };
const TABLE = new SyscallTable('test', [
  [4, 'stat', 'newstat'], [39, 'getpid'], [80, 'chdir'], [84, 'rmdir'], [87, 'unlink'], [110, 'getppid'], [134, 'uselib', null],
  [186, 'gettid'],
], { path: 'thread_info.status', mask: 0x2 }, REGISTERS);

// Each fixture tracefs is a temporary directory removed at exit, so the tests share them.
const TRACEFS = fixtureTracefs(MORE_EVENTS);
const BTF = compatFixtureBtf();
const ENVIRONMENT = fixtureEnvironment({ tracefs: () => TRACEFS, btf: () => BTF });

function provider(table: SyscallTable = TABLE, environment = ENVIRONMENT): TracepointProvider {
  return new TracepointProvider(environment, table);
}

const names = (targets: Iterable<ProbeTarget>): string[] => [...targets].map((probe) => probe.name);

test('syscall events selected by number share one program on the raw sys_enter tracepoint, skipping compat calls', () => {
  const tracepoint = provider();
  const targets = tracepoint.expand(attachPoint('tracepoint:syscalls:sys_enter_*'));
  const { dispatches, rest } = tracepoint.dispatch(targets, NO_ARGS);
  assert.equal(dispatches.length, 1);
  const [dispatch] = dispatches;
  assert.deepEqual(dispatch.hook, { provider: 'rawtracepoint', name: 'rawtracepoint:sys_enter', detail: { tracepoint: 'sys_enter' } });
  assert.deepEqual(dispatch.kind, { programType: ProgramType.RAW_TRACEPOINT });
  assert.equal(dispatch.selection?.offset, 8);
  // Without args the record holds the number alone, from the tracepoint's `long id`.
  assert.deepEqual(dispatch.record, { size: 16, contextWords: [{ at: 8, index: 1 }] });
  assert.deepEqual([...dispatch.selection?.selectors ?? []].map(([number, probe]) => [number, probe.name]), [
    [80, 'tracepoint:syscalls:sys_enter_chdir'], [39, 'tracepoint:syscalls:sys_enter_getpid'], [110, 'tracepoint:syscalls:sys_enter_getppid'],
    [186, 'tracepoint:syscalls:sys_enter_gettid'], [4, 'tracepoint:syscalls:sys_enter_newstat'], [84, 'tracepoint:syscalls:sys_enter_rmdir'],
    [87, 'tracepoint:syscalls:sys_enter_unlink'],
  ]);
  assert.deepEqual(dispatch.selection?.skipTask, { offset: 24, mask: 0x2 });
  // Events the table does not know keep their own tracepoints.
  assert.deepEqual(names(rest), ['tracepoint:syscalls:sys_enter_execve', 'tracepoint:syscalls:sys_enter_openat']);
});

test('entry and exit events go to their own hooks', () => {
  const tracepoint = provider();
  const { dispatches, rest } = tracepoint.dispatch(tracepoint.expand(attachPoint('tracepoint:syscalls:sys_*_get*')), NO_ARGS);
  assert.deepEqual(dispatches.map((dispatch) => [dispatch.hook.name, names(dispatch.targets)]), [
    ['rawtracepoint:sys_enter', ['getpid', 'getppid', 'gettid'].map((name) => `tracepoint:syscalls:sys_enter_${name}`)],
    ['rawtracepoint:sys_exit', ['getpid', 'getppid', 'gettid'].map((name) => `tracepoint:syscalls:sys_exit_${name}`)],
  ]);
  assert.deepEqual(rest, []);
  // An exit's number is in the saved registers (orig_ax); its return value is the tracepoint's `long ret`.
  assert.deepEqual(dispatches[1].record, {
    size: 24,
    contextWords: [{ at: 16, index: 1 }],
    pointee: { pointer: 0, offset: 120, length: 8, words: [{ at: 8, index: 0 }] },
  });
});

test('a single syscall event is dispatched too; events outside syscalls and raw_syscalls attach one by one', () => {
  const tracepoint = provider();
  const one = tracepoint.expand(attachPoint('tracepoint:syscalls:sys_enter_getppid'));
  assert.deepEqual(tracepoint.dispatch(one, NO_ARGS).dispatches.map((dispatch) => names(dispatch.targets)), [
    ['tracepoint:syscalls:sys_enter_getppid'],
  ]);
  const others = tracepoint.expand(attachPoint('tracepoint:sched:*'));
  assert.deepEqual(tracepoint.dispatch(others, NO_ARGS), { dispatches: [], rest: others });
});

test('raw_syscalls events each run from their raw hook, every event theirs, with the record rebuilt whole', () => {
  const tracepoint = provider();
  const [exit] = tracepoint.expand(attachPoint('tracepoint:raw_syscalls:sys_exit'));
  const { dispatches, rest } = tracepoint.dispatch([exit], ALL_ARGS);
  assert.deepEqual(rest, []);
  assert.deepEqual(dispatches.map((dispatch) => [dispatch.hook.name, names(dispatch.targets), dispatch.selection]), [
    ['rawtracepoint:sys_exit', ['tracepoint:raw_syscalls:sys_exit'], undefined],
  ]);
  assert.deepEqual(dispatches[0].record?.contextWords, [{ at: 16, index: 1 }]);
  // A program that reads no args needs no record, and one that reads only `ret` not the saved number.
  assert.equal(tracepoint.dispatch([exit], NO_ARGS).dispatches[0].record, undefined);
  assert.equal(tracepoint.dispatch([exit], { ...ALL_ARGS, argsFields: new Set(['ret']) }).dispatches[0].record?.pointee, undefined);
});

test('raw_syscalls:sys_enter keeps its tracepoint when the program reads args[], which 32-bit tasks pass in other registers', () => {
  const tracepoint = provider();
  const [enter] = tracepoint.expand(attachPoint('tracepoint:raw_syscalls:sys_enter'));
  assert.deepEqual(tracepoint.dispatch([enter], ALL_ARGS), { dispatches: [], rest: [enter] });
  assert.deepEqual(tracepoint.dispatch([enter], { ...ALL_ARGS, argsFields: new Set(['args']) }).rest, [enter]);
  const byId = tracepoint.dispatch([enter], { ...ALL_ARGS, argsFields: new Set(['id']) }).dispatches;
  assert.deepEqual(byId.map((dispatch) => dispatch.record), [{ size: 16, contextWords: [{ at: 8, index: 1 }] }]);
});

test('sys_enter_* events that take kstack keep their tracepoints; sys_exit_* ones need not', () => {
  const tracepoint = provider();
  const withStack = { ...NO_ARGS, kernelStack: true };
  const enter = tracepoint.expand(attachPoint('tracepoint:syscalls:sys_enter_getppid'));
  assert.deepEqual(tracepoint.dispatch(enter, withStack), { dispatches: [], rest: enter });
  const exit = tracepoint.expand(attachPoint('tracepoint:syscalls:sys_exit_getppid'));
  assert.equal(tracepoint.dispatch(exit, withStack).dispatches.length, 1);
});

test('with args, the record gets the arguments from the saved registers, in argument order', () => {
  const tracepoint = provider();
  // getppid has no arguments: its record is the number alone.
  const [getppid] = tracepoint.dispatch(tracepoint.expand(attachPoint('tracepoint:syscalls:sys_enter_getppid')), ALL_ARGS).dispatches;
  assert.equal(getppid.record?.pointee, undefined);
  const [dispatch] = tracepoint.dispatch(tracepoint.expand(attachPoint('tracepoint:syscalls:sys_enter_newstat')), ALL_ARGS).dispatches;
  // One read of r10..di (56..120), then di si dx r10 r8 r9 into the slots at 16, 24, … 56.
  assert.deepEqual(dispatch.record?.pointee, {
    pointer: 0, offset: 56, length: 64,
    words: [{ at: 16, index: 7 }, { at: 24, index: 6 }, { at: 32, index: 5 }, { at: 40, index: 0 }, { at: 48, index: 2 }, { at: 56, index: 1 }],
  });
  assert.equal(dispatch.record?.size, 64);
});

test('with args, only events whose fields sit where the rebuilt record has them are dispatched', () => {
  const tracepoint = provider();
  const split = (raw: string): string[][] =>
    tracepoint.dispatch(tracepoint.expand(attachPoint(raw)), ALL_ARGS).dispatches.map((dispatch) => names(dispatch.targets));
  assert.deepEqual(split('tracepoint:syscalls:sys_enter_get*'), [['getpid', 'getppid', 'gettid'].map((name) => `tracepoint:syscalls:sys_enter_${name}`)]);
  assert.deepEqual(split('tracepoint:syscalls:sys_exit_get*'), [['getpid', 'getppid', 'gettid'].map((name) => `tracepoint:syscalls:sys_exit_${name}`)]);
  // Laid out alike, but a __data_loc field has no counterpart in the rebuilt record.
  const paths = ['chdir', 'rmdir', 'unlink'].map((name) => tracepoint.expand(attachPoint(`t:syscalls:sys_enter_${name}`))[0]);
  assert.equal(new Set(paths.map((probe) => tracepoint.shareKey(probe, ALL_ARGS))).size, 1);
  assert.deepEqual(tracepoint.dispatch(paths, ALL_ARGS).dispatches, []);
  assert.equal(tracepoint.dispatch(paths, NO_ARGS).dispatches.length, 1);
});

test('nothing is dispatched when compat calls could not be told apart', () => {
  const targets = (tracepoint: TracepointProvider): ProbeTarget[] => tracepoint.expand(attachPoint('tracepoint:syscalls:sys_*_get*'));
  const withoutBtf = provider(TABLE, { ...ENVIRONMENT, btf: () => { throw new Error('cannot read BTF'); } });
  assert.deepEqual(withoutBtf.dispatch(targets(withoutBtf), NO_ARGS).dispatches, []);
  const noMarker = provider(new SyscallTable('test', [[39, 'getpid'], [110, 'getppid'], [186, 'gettid']], { path: 'thread_info.flags2', mask: 1 }, REGISTERS));
  assert.deepEqual(noMarker.dispatch(targets(noMarker), NO_ARGS).dispatches, []);
});

test('x86_64 numbers syscall events by their entry points', () => {
  const table = syscallTable('x64');
  assert.equal(table?.arch, 'x86_64');
  assert.equal(table?.numberOfEntry('getpid'), 39);
  assert.equal(table?.numberOfEntry('openat'), 257);
  // stat's entry point is sys_newstat: its events are sys_enter_newstat and sys_exit_newstat.
  assert.equal(table?.numberOfEntry('newstat'), 4);
  assert.equal(table?.numberOfEntry('stat'), undefined);
  assert.equal(table?.numberOfEntry('ni_syscall'), undefined);
  assert.equal(table?.numberOfEntry('uselib'), undefined);
  assert.equal(syscallTable('arm64'), undefined);
  assert.equal(TABLE.numberOfEntry('uselib'), undefined);
});
