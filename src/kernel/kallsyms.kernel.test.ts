import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KernelSymbols } from './kallsyms.js';

test('vfs_read resolves both ways in the running kernel', () => {
  const symbols = KernelSymbols.fromProcfs();
  const address = symbols.address('vfs_read');
  assert.ok(address !== undefined && address > 0n, 'kallsyms must show real addresses (kptr_restrict=0)');
  assert.deepEqual(symbols.lookup(address), { name: 'vfs_read', offset: 0 });
  assert.deepEqual(symbols.lookup(address + 5n), { name: 'vfs_read', offset: 5 });
});

test('agrees with the raw file for the address of a global function', () => {
  const line = readFileSync('/proc/kallsyms', 'latin1')
    .split('\n')
    .find((entry) => entry.endsWith(' T vfs_write'));
  assert.ok(line, 'vfs_write is listed');
  const symbols = KernelSymbols.fromProcfs();
  assert.equal(symbols.address('vfs_write'), BigInt('0x' + line.split(' ')[0]));
  assert.equal(symbols.has('vfs_write'), true);
  assert.equal(symbols.has('no_such_function_in_any_kernel'), false);
});
