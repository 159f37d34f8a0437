import assert from 'node:assert/strict';
import { test } from 'node:test';

import { R0, R10, Register, register } from './register.js';

test('register() returns the shared instances', () => {
  assert.equal(register(0), R0);
  assert.equal(register(10), R10);
  assert.ok(register(3) instanceof Register);
  assert.equal(String(register(7)), 'r7');
});

test('register() rejects numbers outside r0–r10', () => {
  assert.throws(() => register(11), /no eBPF register r11/);
  assert.throws(() => register(-1), RangeError);
});
