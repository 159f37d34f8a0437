import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelSymbols } from './kallsyms.js';

// Deliberately out of order, with an alias pair, a data symbol, and module symbols.
const SAMPLE = [
  'ffffffff81000000 T _text',
  'ffffffff81000000 T _stext',
  'ffffffff81000100 t helper',
  'ffffffff81000040 T start_kernel',
  'ffffffff82000000 D jiffies',
  'ffffffffc0001000 t mod_init\t[dummy_mod]',
  'ffffffffc0002000 W weak_fn\t[dummy_mod]',
  'ffffffff81000200 t helper',
  '',
].join('\n');

test('lookup finds the nearest symbol at or below the address', () => {
  const symbols = KernelSymbols.fromText(SAMPLE);
  assert.deepEqual(symbols.lookup(0xffffffff81000040n), { name: 'start_kernel', offset: 0 });
  assert.deepEqual(symbols.lookup(0xffffffff81000045n), { name: 'start_kernel', offset: 5 });
  assert.deepEqual(symbols.lookup(0xffffffff810000ffn), { name: 'start_kernel', offset: 0xbf });
  assert.deepEqual(symbols.lookup(0xffffffff81000104n), { name: 'helper', offset: 4 });
});

test('aliases resolve to the first name kallsyms lists', () => {
  const symbols = KernelSymbols.fromText(SAMPLE);
  assert.deepEqual(symbols.lookup(0xffffffff81000010n), { name: '_text', offset: 0x10 });
});

test('addresses below the first symbol do not resolve', () => {
  const symbols = KernelSymbols.fromText(SAMPLE);
  assert.equal(symbols.lookup(0x400000n), undefined);
});

test('module symbols carry their module name', () => {
  const symbols = KernelSymbols.fromText(SAMPLE);
  assert.deepEqual(symbols.lookup(0xffffffffc0001008n), { name: 'mod_init', offset: 8, module: 'dummy_mod' });
  assert.equal(symbols.address('weak_fn'), 0xffffffffc0002000n);
});

test('only text symbols are kept', () => {
  const symbols = KernelSymbols.fromText(SAMPLE);
  assert.equal(symbols.size, 7);
  assert.equal(symbols.has('jiffies'), false);
  assert.equal(symbols.address('jiffies'), undefined);
  // Without the data symbol, an address in .data belongs to the last text symbol below it.
  assert.equal(symbols.lookup(0xffffffff82000000n)?.name, 'helper');
});

test('duplicate static names give the first address listed', () => {
  const symbols = KernelSymbols.fromText(SAMPLE);
  assert.equal(symbols.has('helper'), true);
  assert.equal(symbols.address('helper'), 0xffffffff81000100n);
  assert.deepEqual(symbols.lookup(0xffffffff81000200n), { name: 'helper', offset: 0 });
});

test('the source is not read until the first query', () => {
  const symbols = KernelSymbols.fromProcfs('/nonexistent/kallsyms');
  assert.throws(() => symbols.has('x'), { code: 'ENOENT' });
});
