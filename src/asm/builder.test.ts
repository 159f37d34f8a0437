import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Assembler } from './builder.js';
import { R0, R1, R2 } from './register.js';

test('each method appends exactly one instruction with the expected fields', () => {
  const program = new Assembler()
    .arsh32(R1, R2)
    .neg64(R1)
    .bswap(R1, 32)
    .movsx64(R0, R1, 16)
    .call(1)
    .instructions();
  assert.deepEqual(program, [
    { opcode: 0xcc, dst: 1, src: 2, off: 0, imm: 0 },
    { opcode: 0x87, dst: 1, src: 0, off: 0, imm: 0 },
    { opcode: 0xd7, dst: 1, src: 0, off: 0, imm: 32 },
    { opcode: 0xbf, dst: 0, src: 1, off: 16, imm: 0 },
    { opcode: 0x85, dst: 0, src: 0, off: 0, imm: 1 },
  ]);
});

test('instructions() is a snapshot, not a view of the builder', () => {
  const b = new Assembler().exit();
  const first = b.instructions();
  b.exit();
  assert.equal(first.length, 1);
  assert.equal(b.instructions().length, 2);
});

test('a map reference keeps its name for the encoder', () => {
  const [load] = new Assembler().ldMapValue(R1, 'fmt', 16).instructions();
  assert.equal(load.mapRef, 'fmt');
  assert.equal(load.src, 2);
  assert.equal(load.imm64, 16n << 32n);
});

test('operands the instruction set cannot express are refused when built', () => {
  assert.throws(() => new Assembler().ldImm64(R1, 1n << 64n), /does not fit in 64 bits/);
  assert.throws(() => new Assembler().ldMapValue(R1, 'fmt', -1), /offset -1 of 'fmt'/);
  assert.throws(() => new Assembler().atomic('xchg', 'dw', R1, 0, R2, { fetch: true }), /always fetches/);
  assert.throws(() => new Assembler().endian('le', R1, 8 as 16), /8 bits/);
  assert.throws(() => new Assembler().movsx32(R1, R2, 32 as 16), /sign-extend from 32 bits/);
});
