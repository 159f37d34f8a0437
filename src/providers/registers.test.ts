import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerContext, registerLayout } from './registers.js';

test('x86_64 arguments are di, si, dx, cx, r8, r9 and the result ax', () => {
  assert.deepEqual(registerLayout('x64'), { args: [112, 104, 96, 88, 72, 64], retval: 80 });
  const context = registerContext({ retprobe: false, userSpace: true, arch: 'x64' });
  assert.equal(context.argOffset?.(1), 104);
  // Arguments past the sixth are on the stack, which argN does not reach.
  assert.equal(context.argOffset?.(6), undefined);
});

test('arm64 arguments are x0–x7, the result x0', () => {
  const layout = registerLayout('arm64');
  assert.deepEqual(layout.args, [0, 8, 16, 24, 32, 40, 48, 56]);
  assert.equal(registerContext({ retprobe: true, userSpace: false, arch: 'arm64' }).retvalOffset, 0);
});

test('an architecture without a known layout is refused', () => {
  assert.throws(() => registerLayout('mips'), /pt_regs layout of mips/);
});
