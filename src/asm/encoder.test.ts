import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AsmError } from './asm-error.js';
import { Assembler } from './builder.js';
import { decode, encode } from './encoder.js';
import { Helper } from './helpers.js';
import { R0, R1, R2, R3, R10 } from './register.js';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function bytesOf(b: Assembler, resolveMap?: (name: string) => number): string {
  return hex(encode(b.instructions(), resolveMap).bytes);
}

test('mov64 r0, 0; exit', () => {
  const b = new Assembler().mov64(R0, 0).exit();
  assert.equal(bytesOf(b), 'b7 00 00 00 00 00 00 00 95 00 00 00 00 00 00 00');
});

test('register and immediate operands pick the X and K opcodes', () => {
  assert.equal(bytesOf(new Assembler().mov64(R1, R2)), 'bf 21 00 00 00 00 00 00');
  assert.equal(bytesOf(new Assembler().add64(R1, -8)), '07 01 00 00 f8 ff ff ff');
  assert.equal(bytesOf(new Assembler().add32(R1, R2)), '0c 21 00 00 00 00 00 00');
  assert.equal(bytesOf(new Assembler().mov32(R1, 5n)), 'b4 01 00 00 05 00 00 00');
  assert.equal(bytesOf(new Assembler().alu64('smod', R1, R2)), '9f 21 01 00 00 00 00 00');
});

test('loads, stores, endianness and calls', () => {
  assert.equal(bytesOf(new Assembler().stx('w', R10, -4, R1)), '63 1a fc ff 00 00 00 00');
  assert.equal(bytesOf(new Assembler().st('dw', R10, -8, 0)), '7a 0a f8 ff 00 00 00 00');
  assert.equal(bytesOf(new Assembler().ldx('dw', R0, R1, 8)), '79 10 08 00 00 00 00 00');
  assert.equal(bytesOf(new Assembler().ldsx('w', R0, R1, 8)), '81 10 08 00 00 00 00 00');
  assert.equal(bytesOf(new Assembler().endian('be', R1, 16)), 'dc 01 00 00 10 00 00 00');
  assert.equal(bytesOf(new Assembler().call(Helper.ringbuf_reserve)), '85 00 00 00 83 00 00 00');
});

test('a 64-bit constant splits across two slots, low half first', () => {
  const b = new Assembler().ldImm64(R1, 0x1122334455667788n);
  assert.equal(bytesOf(b), '18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11');
  const negative = new Assembler().ldImm64(R1, -2n);
  assert.equal(bytesOf(negative), '18 01 00 00 fe ff ff ff 00 00 00 00 ff ff ff ff');
});

test('map loads take their fd from the resolver and are reported as relocations', () => {
  const b = new Assembler().mov64(R0, 0).ldMap(R1, 'events').ldMapValue(R2, 'fmt', 16);
  const fds: Record<string, number> = { events: 7, fmt: 5 };
  const { bytes, relocations } = encode(b.instructions(), (name) => fds[name]);
  assert.equal(
    hex(bytes),
    'b7 00 00 00 00 00 00 00 ' +
      '18 11 00 00 07 00 00 00 00 00 00 00 00 00 00 00 ' +
      '18 22 00 00 05 00 00 00 00 00 00 00 10 00 00 00',
  );
  assert.deepEqual(relocations, [
    { index: 1, slot: 1, map: 'events' },
    { index: 2, slot: 3, map: 'fmt' },
  ]);
});

test('without a resolver map fds stay 0 but relocations still name them', () => {
  const { bytes, relocations } = encode(new Assembler().ldMapValue(R1, 'fmt', 8).instructions());
  assert.equal(hex(bytes), '18 21 00 00 00 00 00 00 00 00 00 00 08 00 00 00');
  assert.deepEqual(relocations, [{ index: 0, slot: 0, map: 'fmt' }]);
});

test('a resolver returning something that is not an fd is an error', () => {
  const b = new Assembler().ldMap(R1, 'events');
  assert.throws(() => encode(b.instructions(), () => -1), /fd of map 'events' -1/);
});

test('atomic add, with and without fetch', () => {
  assert.equal(bytesOf(new Assembler().atomic('add', 'dw', R1, 0, R2)), 'db 21 00 00 00 00 00 00');
  assert.equal(bytesOf(new Assembler().atomic('add', 'w', R1, 4, R2, { fetch: true })), 'c3 21 04 00 01 00 00 00');
  assert.equal(bytesOf(new Assembler().atomic('cmpxchg', 'dw', R1, 0, R2)), 'db 21 00 00 f1 00 00 00');
});

test('out-of-range immediates and offsets are rejected with the instruction index', () => {
  const bigImm = new Assembler().mov64(R0, 0).mov64(R1, 0x1_0000_0000);
  assert.throws(() => encode(bigImm.instructions()), /instruction 1: imm \(signed 32-bit\) 4294967296/);
  const bigOff = new Assembler().ldx('w', R0, R1, 40000);
  assert.throws(() => encode(bigOff.instructions()), /instruction 0: off \(signed 16-bit\) 40000/);
  const fraction = new Assembler().st('w', R10, -4, 1.5);
  assert.throws(() => encode(fraction.instructions()), AsmError);
});

test('decode reads back what encode wrote', () => {
  const b = new Assembler()
    .mov64(R1, -1)
    .ldImm64(R2, 0xdeadbeefcafef00dn)
    .ldMapValue(R3, 'fmt', 24)
    .stx('h', R10, -2, R1)
    .jmp32('sgt', R1, -5, 'end')
    .atomic('xor', 'w', R1, 0, R2, { fetch: true })
    .label('end')
    .exit();
  const { bytes } = encode(b.instructions(), () => 9);
  const decoded = decode(bytes);
  assert.equal(decoded.length, 7);
  assert.deepEqual(decoded[0], { opcode: 0xb7, dst: 1, src: 0, off: 0, imm: -1 });
  assert.deepEqual(decoded[1], { opcode: 0x18, dst: 2, src: 0, off: 0, imm: 0xcafef00d | 0, imm64: 0xdeadbeefcafef00dn });
  assert.deepEqual(decoded[2], { opcode: 0x18, dst: 3, src: 2, off: 0, imm: 9, imm64: (24n << 32n) | 9n });
  assert.deepEqual(decoded[4], { opcode: 0x66, dst: 1, src: 0, off: 1, imm: -5 });
  assert.equal(hex(encode(decoded).bytes), hex(bytes));
});

test('decode rejects partial slots and a wide load cut in half', () => {
  assert.throws(() => decode(new Uint8Array(12)), /not a whole number of 8-byte slots/);
  const half = encode(new Assembler().ldImm64(R1, 1n).instructions()).bytes.subarray(0, 8);
  assert.throws(() => decode(half), /wide load at slot 0 is missing its second slot/);
});
