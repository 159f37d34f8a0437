import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AsmError } from './asm-error.js';
import { Assembler } from './builder.js';
import { encode } from './encoder.js';
import { resolveLabels } from './labels.js';
import { R0, R1, R2 } from './register.js';

test('a forward jump over a wide load counts both of its slots', () => {
  const program = new Assembler()
    .jmp('eq', R1, 0, 'out') // slot 0
    .ldImm64(R2, 1n) // slots 1–2
    .mov64(R0, 1) // slot 3
    .label('out')
    .exit() // slot 4
    .instructions();
  assert.equal(resolveLabels(program)[0].off, 3);
});

test('a backward jump over a wide load is negative, relative to the next slot', () => {
  const program = new Assembler()
    .label('top')
    .mov64(R0, 0) // slot 0
    .ldImm64(R2, 1n) // slots 1–2
    .ja('top') // slot 3
    .instructions();
  const resolved = resolveLabels(program);
  assert.equal(resolved[2].off, -4);
  assert.equal(Buffer.from(encode(program).bytes.subarray(24, 32)).toString('hex'), '0500fcff00000000');
});

test('several labels can mark one instruction', () => {
  const program = new Assembler()
    .jmp32('gt', R1, R2, 'a')
    .ja('b')
    .label('a')
    .label('b')
    .exit()
    .instructions();
  assert.deepEqual(program[2].labels, ['a', 'b']);
  assert.deepEqual(resolveLabels(program).map((insn) => insn.off), [1, 0, 0]);
});

test('an unknown label is an error naming the label', () => {
  const program = new Assembler().ja('nowhere').exit().instructions();
  assert.throws(() => encode(program), /instruction 0 jumps to unknown label 'nowhere'/);
});

test('a label defined twice is an error naming the label', () => {
  const program = new Assembler().label('x').mov64(R0, 0).label('x').exit().instructions();
  assert.throws(() => encode(program), /label 'x' is defined twice/);
});

test('a label after the last instruction is an error', () => {
  const b = new Assembler().exit().label('end');
  assert.throws(() => b.instructions(), /label 'end' marks no instruction/);
});

test('a jump beyond the signed 16-bit offset is an error', () => {
  const b = new Assembler().ja('far');
  for (let i = 0; i < 0x8000; i += 1) b.mov64(R0, i);
  b.label('far').exit();
  assert.throws(() => encode(b.instructions()), /jumps 32768 slots to label 'far'/);
});

test('a target on an instruction that is not a jump is an error', () => {
  const program = [{ opcode: 0xb7, dst: 0, src: 0, off: 0, imm: 0, target: 'x', labels: ['x'] }];
  assert.throws(() => resolveLabels(program), AsmError);
});

test('a function address load gets the distance to its label in imm, from the next slot', () => {
  const program = new Assembler()
    .ldFunc(R2, 'callback') // slots 0–1
    .exit() // slot 2
    .label('callback')
    .mov64(R0, 0) // slot 3
    .exit()
    .instructions();
  const [load] = resolveLabels(program);
  assert.deepEqual([load.imm, load.off, load.src], [2, 0, 4]);
  assert.equal(Buffer.from(encode(program).bytes.subarray(0, 16)).toString('hex'), '1842000002000000' + '0000000000000000');
});
