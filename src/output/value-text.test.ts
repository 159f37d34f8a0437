import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { histLabel, histRange, lhistLabel, lhistRange } from './histogram.js';
import { formatValueJson } from './json-format.js';
import { formatBuffer, formatKeyText, formatStack, formatValueText } from './value-text.js';
import { int, str, uint, type Value } from './value.js';

describe('value text', () => {
  const record: Value = {
    kind: 'record',
    fields: [
      { name: 'a', value: int(1) },
      { name: 'b', value: str('x') },
    ],
  };
  const array: Value = { kind: 'array', elements: [int(1), int(2)] };
  const pointer: Value = { kind: 'pointer', address: 0xffffffff81000000n };

  it('formats records, arrays and pointers as values (bpftrace 0.17 output.cpp)', () => {
    assert.equal(formatValueText(record), '{ .a = 1, .b = x }');
    assert.equal(formatValueText(array), '[1,2]');
    assert.equal(formatValueText(pointer), '-2130706432');
    assert.equal(formatValueJson(record), '{ "a": 1, "b": "x" }');
    assert.equal(formatValueJson(array), '[1,2]');
    assert.equal(formatValueJson(pointer), '-2130706432');
  });

  it('formats them differently as map keys (bpftrace 0.17 mapkey.cpp)', () => {
    assert.equal(formatKeyText(record), '{.a=1,.b=x}');
    assert.equal(formatKeyText(array), '[1,2]');
    assert.equal(formatKeyText(pointer), '0xffffffff81000000');
    assert.equal(formatKeyText(uint(2n ** 32n - 1n, 32)), '-1');
    assert.equal(formatKeyText(uint(2n ** 32n - 1n, 64)), '4294967295');
  });

  it('formats buffers in the three %r styles', () => {
    const bytes = Uint8Array.from([0x41, 0x20, 0x7e, 0x7f, 0x00, 0x0a]);
    assert.equal(formatBuffer(bytes), 'A ~\\x7f\\x00\\x0a');
    assert.equal(formatBuffer(bytes, 'hex-escaped'), '\\x41\\x20\\x7e\\x7f\\x00\\x0a');
    assert.equal(formatBuffer(bytes, 'hex-spaced'), '41 20 7e 7f 00 0a');
  });

  it('formats stacks in perf mode, and a stack without frames as nothing', () => {
    const frames = [{ address: 0xffffffff81000010n, symbol: 'vfs_read+16' }];
    assert.equal(formatStack({ kind: 'stack', mode: 'perf', frames }), '\n\tffffffff81000010 vfs_read+16\n');
    assert.equal(formatStack({ kind: 'stack', mode: 'bpftrace', frames: [] }), '');
  });
});

describe('histogram buckets', () => {
  it('labels power-of-two buckets with binary suffixes', () => {
    assert.deepEqual([0, 1, 2, 3, 11, 12, 32, 33, 42].map(histLabel), [
      '(..., 0)', '[0]', '[1]', '[2, 4)', '[512, 1K)', '[1K, 2K)', '[1G, 2G)', '[2G, 4G)', '[1T, 2T)',
    ]);
    // Past 2^50, bpftrace 0.20+ labels: P and E.
    assert.equal(histLabel(52), '[1P, 2P)');
    assert.equal(histLabel(64), '[4E, 8E)');
  });

  it('gives exact ranges across the 64-bit span', () => {
    assert.deepEqual(histRange(0), { max: -1n });
    assert.deepEqual(histRange(2), { min: 1n, max: 1n });
    assert.deepEqual(histRange(64), { min: 2n ** 62n, max: 2n ** 63n - 1n });
  });

  it('labels linear buckets', () => {
    const layout = { min: 1024, max: 3 * 1048576, step: 1048576 };
    assert.equal(lhistLabel(0, layout), '(..., 1K)');
    assert.equal(lhistLabel(1, layout), '[1K, 1025K)');
    assert.equal(lhistLabel(3, layout), '[3M, ...)');
    assert.deepEqual(lhistRange(3, layout), { min: 3145728n });
    assert.deepEqual(lhistRange(0, layout), { max: 1023n });
  });
});
