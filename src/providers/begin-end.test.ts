import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType } from '../sys/index.js';
import { SpecialProvider } from './begin-end.js';
import { ProbeError } from './provider.js';
import { attachPoint } from './testing/fixtures.js';

const begin = new SpecialProvider('BEGIN');

test('BEGIN and begin expand to one target named as the script spells it', () => {
  assert.deepEqual(begin.expand(attachPoint('BEGIN')), [{ provider: 'BEGIN', name: 'BEGIN', detail: {} }]);
  assert.deepEqual(begin.expand(attachPoint('begin')), [{ provider: 'BEGIN', name: 'begin', detail: {} }]);
  assert.equal(begin.expand(attachPoint('BEGIN:*')).length, 1);
  assert.deepEqual(new SpecialProvider('END').aliases, ['end']);
});

test('BEGIN with arguments is refused', () => {
  assert.throws(() => begin.expand(attachPoint('BEGIN:now')), (error: unknown) =>
    error instanceof ProbeError && error.message === 'BEGIN:now: BEGIN takes no arguments');
});

test('BEGIN runs as a raw tracepoint program with an empty context, and attaches nowhere', () => {
  const [probe] = begin.expand(attachPoint('BEGIN'));
  assert.deepEqual(begin.programKind(), { programType: ProgramType.RAW_TRACEPOINT });
  assert.deepEqual(begin.context().args, []);
  assert.equal(begin.context().argOffset, undefined);
  assert.throws(() => begin.attach(3, probe), /BPF_PROG_TEST_RUN/);
  assert.deepEqual(begin.list(), []);
});
