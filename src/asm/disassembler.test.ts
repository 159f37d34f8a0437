import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Assembler } from './builder.js';
import { disassemble, formatInstruction } from './disassembler.js';
import { decode, encode } from './encoder.js';
import { Helper } from './helpers.js';
import { R0, R1, R2, R3, R6, R10 } from './register.js';

function counterProgram(): Assembler {
  return new Assembler()
    .mov64(R6, R1)
    .mov64(R1, 0)
    .stx('w', R10, -4, R1)
    .mov64(R2, R10)
    .add64(R2, -4)
    .ldMap(R1, 'counts')
    .call(Helper.map_lookup_elem)
    .jmp('eq', R0, 0, 'out')
    .mov64(R1, 1)
    .atomic('add', 'dw', R0, 0, R1)
    .atomic('add', 'dw', R0, 0, R1, { fetch: true })
    .mov32(R2, R1)
    .ldx('dw', R3, R0, 8)
    .endian('be', R3, 16)
    .jmp32('gt', R3, 5, 'out')
    .jmp('sge', R3, R1, 'out')
    .st('dw', R10, -16, 0)
    .ldMapValue(R1, 'counts', 8)
    .sub32(R2, 3)
    .neg64(R3)
    .arsh64(R3, 2)
    .label('out')
    .mov64(R0, 0)
    .exit();
}

// Apart from the map loads (the verifier shows the map pointer it substituted), each line matches
// the Linux 6.18 verifier's log for this program, which it accepted as a tracepoint program.
const golden = `\
0: (bf) r6 = r1
1: (b7) r1 = 0
2: (63) *(u32 *)(r10 -4) = r1
3: (bf) r2 = r10
4: (07) r2 += -4
5: (18) r1 = map[counts]
7: (85) call bpf_map_lookup_elem#1
8: (15) if r0 == 0x0 goto pc+14
9: (b7) r1 = 1
10: (db) lock *(u64 *)(r0 +0) += r1
11: (db) r1 = atomic64_fetch_add((u64 *)(r0 +0), r1)
12: (bc) w2 = w1
13: (79) r3 = *(u64 *)(r0 +8)
14: (dc) r3 = be16 r3
15: (26) if w3 > 0x5 goto pc+7
16: (7d) if r3 s>= r1 goto pc+6
17: (7a) *(u64 *)(r10 -16) = 0
18: (18) r1 = map[counts][0]+8
20: (14) w2 -= 3
21: (87) r3 = -r3
22: (c7) r3 s>>= 2
23: (b7) r0 = 0
24: (95) exit`;

test('golden disassembly of a small map-counter program', () => {
  assert.equal(disassemble(counterProgram().instructions()), golden);
});

test('bytecode disassembles the same, naming maps by fd or through mapName', () => {
  const { bytes } = encode(counterProgram().instructions(), () => 4);
  const byFd = disassemble(bytes).split('\n');
  assert.equal(byFd[5], '5: (18) r1 = map[fd:4]');
  assert.equal(byFd[17], '18: (18) r1 = map[fd:4][0]+8');
  const named = disassemble(bytes, { mapName: (fd) => (fd === 4 ? 'counts' : undefined) });
  assert.equal(named, golden);
});

test('sign-extending, signed-arithmetic and byte-swap forms (Linux 6.6)', () => {
  const text = disassemble(
    new Assembler()
      .ldsx('h', R3, R0, 2)
      .movsx64(R2, R3, 8)
      .movsx32(R2, R3, 16)
      .bswap(R2, 64)
      .endian('le', R2, 32)
      .alu64('sdiv', R2, 3)
      .alu32('smod', R2, R3)
      .instructions(),
  );
  assert.equal(
    text,
    [
      '0: (89) r3 = *(s16 *)(r0 +2)',
      '1: (bf) r2 = (s8)r3',
      '2: (bc) w2 = (s16)w3',
      '3: (d7) r2 = bswap64 r2',
      '4: (d4) r2 = le32 r2',
      '5: (37) r2 s/= 3',
      '6: (9c) w2 s%= w3',
    ].join('\n'),
  );
});

// Checked against the Linux 6.18 verifier log, which writes r registers for 32-bit atomics too.
test('atomics other than add', () => {
  const lines = new Assembler()
    .atomic('xchg', 'dw', R0, 0, R1)
    .atomic('cmpxchg', 'w', R1, -8, R2)
    .atomic('or', 'w', R1, 4, R2, { fetch: true })
    .atomic('xor', 'dw', R1, 0, R2)
    .instructions()
    .map((insn) => formatInstruction(insn));
  assert.deepEqual(lines, [
    '(db) r1 = atomic64_xchg((u64 *)(r0 +0), r1)',
    '(c3) r0 = atomic_cmpxchg((u32 *)(r1 -8), r0, r2)',
    '(c3) r2 = atomic_fetch_or((u32 *)(r1 +4), r2)',
    '(db) lock *(u64 *)(r1 +0) ^= r2',
  ]);
});

test('backward jumps, register comparisons, constants and unknown helpers', () => {
  const text = disassemble(
    new Assembler()
      .label('top')
      .ldImm64(R1, -1n)
      .jmp32('slt', R1, R2, 'top')
      .jmp('set', R1, -1, 'top')
      .ja('top')
      .call(999)
      .instructions(),
  );
  assert.equal(
    text,
    [
      '0: (18) r1 = 0xffffffffffffffff',
      '2: (ce) if w1 s< w2 goto pc-3',
      '3: (45) if r1 & 0xffffffff goto pc-4',
      '4: (05) goto pc-5',
      '5: (85) call unknown#999',
    ].join('\n'),
  );
});

test('a function address load shows the distance to its function', () => {
  const program = new Assembler().ldFunc(R2, 'callback').exit().label('callback').mov64(R0, 0).exit().instructions();
  assert.equal(disassemble(decode(encode(program).bytes)).split('\n')[0], '0: (18) r2 = func pc+2');
});
