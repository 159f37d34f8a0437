import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType, SyscallError } from '../sys/index.js';
import { Program } from './program.js';
import { VerifierError } from './verifier-error.js';
import { RETURN_ZERO, encode, exit, loadU64, movImm } from './testing/instructions.js';

function rejected(instructions: Uint8Array): VerifierError {
  try {
    Program.load({ name: 'kt_bad', type: ProgramType.TRACEPOINT, instructions, license: 'GPL' }).close();
  } catch (error) {
    if (error instanceof VerifierError) return error;
    throw error;
  }
  assert.fail('the verifier accepted a program it must reject');
}

test('a trivial tracepoint program loads and describes itself', () => {
  const program = Program.load({ name: 'kt_trivial', type: ProgramType.TRACEPOINT, instructions: RETURN_ZERO, license: 'GPL' });
  try {
    const info = program.info();
    assert.equal(info.name, 'kt_trivial');
    assert.equal(info.type, ProgramType.TRACEPOINT);
    assert.ok(info.id > 0);
    assert.match(info.tag, /^[0-9a-f]{16}$/);
    assert.equal(info.xlatedLength, RETURN_ZERO.length);
    assert.ok(info.jitedLength > 0, 'the JIT is on, so the program has native code');
    assert.equal(program.verifierLog, undefined, 'the fast path loads without a log');
  } finally {
    program.close();
  }
});

test('loading with { log: true } keeps the log of a program that passes', () => {
  const program = Program.load(
    { name: 'kt_logged', type: ProgramType.TRACEPOINT, instructions: RETURN_ZERO, license: 'GPL' },
    { log: true, logLevel: 2 },
  );
  program.close();
  assert.match(program.verifierLog ?? '', /processed 2 insns/);
});

test('a read through a scalar r1 is rejected with the reason and the instruction in the summary', () => {
  const error = rejected(encode(movImm(1, 0), loadU64(0, 1, 0), exit()));
  assert.equal(error.code, 'EACCES');
  assert.equal(error.programName, 'kt_bad');
  assert.match(error.summary.lines.at(-1) ?? '', /R1 invalid mem access 'scalar'/);
  assert.match(error.summary.lines[0] ?? '', /^1: \(79\) r0 = \*\(u64 \*\)\(r1 \+0\)/);
  assert.ok(error.fullLog.length > error.summary.lines.join('\n').length);
  assert.match(error.fullLog, /processed \d+ insns/);
  assert.ok(error.cause instanceof SyscallError);
  assert.match(String(error), /R1 invalid mem access 'scalar'/);
  assert.doesNotMatch(String(error), /processed/, 'statistics stay out of the short form');
  assert.match(error.toString(true), /processed \d+ insns/);
});

test('reading an uninitialised register is rejected naming the register', () => {
  const error = rejected(encode(loadU64(0, 2, 0), exit()));
  assert.match(error.message, /R2 !read_ok/);
});

test('a program type the kernel does not know fails with a hint naming the type', () => {
  assert.throws(
    () => Program.load({ name: 'kt_type', type: 999 as ProgramType, instructions: RETURN_ZERO, license: 'GPL' }),
    (error: unknown) => error instanceof SyscallError && error.code === 'EINVAL'
      && error.hint === 'program type 999 is not supported by this kernel',
  );
});
