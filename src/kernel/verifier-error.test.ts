import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyscallError } from '../sys/index.js';
import { VerifierError, summarizeVerifierLog } from './verifier-error.js';

test('a rejection before any instruction keeps the last two meaningful lines', () => {
  const log = 'func#0 @0\nlast insn is not an exit or jmp\nprocessed 0 insns (limit 1000000)\n\n';
  assert.deepEqual(summarizeVerifierLog(log), { lines: ['func#0 @0', 'last insn is not an exit or jmp'], omitted: 0 });
});

test('state lines between the instruction and the reason are kept, up to four lines in all', () => {
  const log = [
    '0: R1=ctx() R10=fp0', '1: (85) call bpf_map_lookup_elem#1', 'R1 type=ctx expected=map_ptr',
    'R2 type=fp', 'R3 something', 'R4 reason', 'verification time 7 usec', 'stack depth 0',
  ].join('\n');
  assert.deepEqual(summarizeVerifierLog(log), { lines: ['R1 type=ctx expected=map_ptr', 'R2 type=fp', 'R3 something', 'R4 reason'], omitted: 2 });
});

test('an empty log summarises to nothing and the message says no reason was given', () => {
  assert.deepEqual(summarizeVerifierLog(''), { lines: [], omitted: 0 });
  const error = new VerifierError('p', new SyscallError('bpf(PROG_LOAD)', 13), '');
  assert.match(error.message, /no reason given/);
  assert.equal(error.toString(), 'VerifierError: the verifier rejected program p (EACCES)');
});

test('the full form carries the whole log and says when it was truncated', () => {
  const error = new VerifierError('p', new SyscallError('bpf(PROG_LOAD)', 28), 'a\nb\nc\n', true);
  assert.equal(error.toString(true), 'VerifierError: the verifier rejected program p (ENOSPC)\na\nb\nc\n(log truncated)');
  assert.equal(error.toString(), 'VerifierError: the verifier rejected program p (ENOSPC)\n(1 line omitted)\n  b\n  c');
});
