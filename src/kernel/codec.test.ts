import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  array, chars, field, mergeElementwise, mergeMax, mergeMin, mergeSum, s16, s64, s8, struct, u16, u32, u64, u8,
} from './codec.js';

test('integers encode little-endian and decode back', () => {
  assert.deepEqual([...u32.encode(0x01020304)], [4, 3, 2, 1]);
  assert.deepEqual([...u16.encode(0xabcd)], [0xcd, 0xab]);
  assert.equal(u32.decode(Uint8Array.of(0, 0xff, 0xff, 0xff, 0xff), 1), 0xffffffff);
  assert.equal(s8.decode(u8.encode(0xff)), -1);
  assert.equal(s16.decode(s16.encode(-300)), -300);
  assert.equal(u64.decode(u64.encode(2n ** 64n - 1n)), 2n ** 64n - 1n);
  assert.equal(s64.decode(u64.encode(2n ** 64n - 1n)), -1n);
});

test('integers out of range are refused instead of wrapped', () => {
  assert.throws(() => u8.encode(256), /does not fit u8/);
  assert.throws(() => u32.encode(-1), /does not fit u32/);
  assert.throws(() => s8.encode(128), /does not fit s8/);
  assert.throws(() => u16.encode(1.5), /does not fit u16/);
  assert.throws(() => u64.encode(-1n), /does not fit u64/);
  assert.throws(() => s64.encode(2n ** 63n), /does not fit s64/);
});

test('decoding past the end of the bytes is an error', () => {
  assert.throws(() => u64.decode(new Uint8Array(7)), RangeError);
  assert.throws(() => u32.decode(new Uint8Array(8), 5), RangeError);
});

test('chars(n) pads with NUL, decodes up to the first NUL and refuses text that does not fit', () => {
  const comm = chars(8);
  assert.deepEqual([...comm.encode('bash')], [98, 97, 115, 104, 0, 0, 0, 0]);
  assert.equal(comm.decode(Uint8Array.of(98, 97, 115, 104, 0, 120, 120, 120)), 'bash');
  assert.equal(comm.decode(comm.encode('12345678')), '12345678');
  assert.throws(() => comm.encode('123456789'), /longer than char\[8\]/);
});

test('struct fields follow C alignment, with padding inside and at the end', () => {
  const event = struct([field('pid', u32), field('ts', u64), field('flag', u8), field('comm', chars(4))]);
  assert.deepEqual(event.offsets, { pid: 0, ts: 8, flag: 16, comm: 17 });
  assert.equal(event.size, 24);
  assert.equal(event.align, 8);
  const bytes = event.encode({ pid: 42, ts: 7n, flag: 1, comm: 'ab' });
  assert.equal(bytes.length, 24);
  assert.equal(u64.decode(bytes, 8), 7n);
  assert.deepEqual(event.decode(bytes), { pid: 42, ts: 7n, flag: 1, comm: 'ab' });
});

test('structs nest and arrays repeat their element with its stride', () => {
  const inner = struct([field('a', u8), field('b', u16)]);
  assert.equal(inner.size, 4);
  const outer = struct([field('tag', u8), field('pair', inner), field('slots', array(u32, 3))]);
  assert.deepEqual(outer.offsets, { tag: 0, pair: 2, slots: 8 });
  assert.equal(outer.size, 20);
  const value = { tag: 9, pair: { a: 1, b: 513 }, slots: [1, 2, 3] };
  assert.deepEqual(outer.decode(outer.encode(value)), value);
  assert.throws(() => array(u32, 3).encode([1, 2]), /3 given 2/);
});

test('a struct with two fields of one name is refused', () => {
  assert.throws(() => struct([field('x', u8), field('x', u32)]), /two fields named x/);
});

test('per-CPU merges: sum, min, max, and slot by slot for histograms', () => {
  assert.equal(mergeSum([1n, 2n, 3n]), 6n);
  assert.equal(mergeMin([5n, 2n, 9n]), 2n);
  assert.equal(mergeMax([5n, 2n, 9n]), 9n);
  assert.throws(() => mergeMin([]), /no per-CPU values/);
  const hist = mergeElementwise(mergeSum);
  assert.deepEqual(hist([[1n, 0n, 2n], [0n, 4n, 1n]]), [1n, 4n, 3n]);
  assert.throws(() => hist([[1n], [1n, 2n]]), /differ in length/);
});
