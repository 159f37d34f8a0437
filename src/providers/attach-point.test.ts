import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsKey, detailNumber, expectParts, globMatcher, parseInteger, parsePositive, readSource } from './attach-point.js';
import { ProbeError, type ArgField } from './provider.js';
import { attachPoint } from './testing/fixtures.js';

test('integers are read as bpftrace writes them in attach points', () => {
  const cases: [string, bigint | undefined][] = [
    ['0', 0n], ['99', 99n], ['1000000', 1_000_000n], ['1_000_000', 1_000_000n], ['0x10', 16n], ['0X1f', 31n],
    ['0b101', 5n], ['017', 15n], ['1e6', 1_000_000n], ['5E3', 5_000n], ['100u', 100n], ['7ull', 7n],
    ['', undefined], ['abc', undefined], ['1.5', undefined], ['-1', undefined], ['12e6', undefined], ['08', undefined],
    ['1s', undefined], ['0x', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseInteger(text), expected, text);
});

test('with durations allowed, suffixes scale to nanoseconds', () => {
  const cases: [string, bigint | undefined][] = [
    ['1s', 1_000_000_000n], ['100ms', 100_000_000n], ['250us', 250_000n], ['7ns', 7n], ['2m', 120_000_000_000n],
    ['1h', 3_600_000_000_000n], ['1d', 86_400_000_000_000n], ['5000', 5_000n], ['1x', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseInteger(text, { durations: true }), expected, text);
});

test('a count must be positive and fit a perf event', () => {
  const point = attachPoint('software:faults:0');
  assert.equal(parsePositive(point, '7', 'period'), 7n);
  assert.throws(() => parsePositive(point, '0', 'period'), (error: unknown) =>
    error instanceof ProbeError && error.message === "software:faults:0: invalid period '0'");
  assert.throws(() => parsePositive(point, '1e20', 'period'), ProbeError);
});

test('a wrong number of parts names the attach point and the expected form', () => {
  assert.throws(() => expectParts(attachPoint('interval:s:1:2'), 1, 2, 'interval:UNIT:COUNT'), (error: unknown) =>
    error instanceof ProbeError &&
    error.message === 'interval:s:1:2: interval probes take 1 to 2 arguments, not 3' &&
    error.hint === 'write it as interval:UNIT:COUNT');
  assert.doesNotThrow(() => expectParts(attachPoint('tracepoint:a:b'), 2, 2, 'tracepoint:CATEGORY:EVENT'));
});

test('globs match whole names with * and ?', () => {
  const matches = globMatcher('sys_enter_open*');
  assert.equal(matches('sys_enter_openat'), true);
  assert.equal(matches('sys_enter_open'), true);
  assert.equal(matches('xsys_enter_open'), false);
  assert.equal(globMatcher('vfs_rea?')('vfs_read'), true);
  assert.equal(globMatcher('vfs_rea?')('vfs_readv'), false);
  assert.equal(globMatcher('a.b')('axb'), false);
});

test('a missing detail is reported with the target name', () => {
  assert.throws(() => detailNumber({ provider: 'x', name: 'x:y', detail: { count: 'many' } }, 'count'), /x:y has no number detail 'count'/);
});

test('share keys for args differ exactly when the layouts differ', () => {
  const field: ArgField = { name: 'fd', cType: 'int', offset: 8, size: 4, signed: true, dataLoc: false, userPointer: false };
  assert.equal(argsKey('tracepoint', [field]), argsKey('tracepoint', [{ ...field }]));
  assert.notEqual(argsKey('tracepoint', [field]), argsKey('tracepoint', [{ ...field, offset: 16 }]));
  assert.notEqual(argsKey('tracepoint', [field]), argsKey('rawtracepoint', [field]));
});

test('a machine source that fails becomes a ProbeError naming the attach point, with the cause kept', () => {
  const cause = new Error('tracefs is not mounted');
  assert.throws(() => readSource(attachPoint('t:sched:sched_switch'), () => {
    throw cause;
  }), (error: unknown) => error instanceof ProbeError && error.message === 't:sched:sched_switch: tracefs is not mounted' && error.cause === cause);
  const own = new ProbeError('already a probe error');
  assert.throws(() => readSource(attachPoint('t:a:b'), () => {
    throw own;
  }), (error: unknown) => error === own);
  assert.equal(readSource(attachPoint('t:a:b'), () => 42), 42);
});
