import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpuList, possibleCpus } from './possible-cpus.js';

test('CPU lists count up to the highest CPU number, holes included', () => {
  assert.equal(parseCpuList('0\n'), 1);
  assert.equal(parseCpuList('0-1\n'), 2);
  assert.equal(parseCpuList('0-3,8-11'), 12);
  assert.equal(parseCpuList('0,2'), 3);
});

test('malformed CPU lists are refused', () => {
  assert.throws(() => parseCpuList(''), /empty/);
  assert.throws(() => parseCpuList('0-x'), /malformed/);
  assert.throws(() => parseCpuList('3-1'), /malformed CPU range/);
});

test('this machine has at least one possible CPU, and at least as many as are online', async () => {
  const { availableParallelism } = await import('node:os');
  assert.ok(possibleCpus() >= availableParallelism());
});
