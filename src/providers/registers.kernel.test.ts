import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKernelBtf } from '../btf/index.js';
import { X86_64_PT_REGS, registerLayout } from './registers.js';

test('the x86_64 pt_regs offsets are the running kernel\'s', { skip: process.arch !== 'x64' && 'checks the x86_64 layout' }, () => {
  const btf = loadKernelBtf();
  const ptRegs = btf.expectType('pt_regs', 'struct').id;
  for (const [register, offset] of Object.entries(X86_64_PT_REGS)) {
    assert.equal(btf.member(ptRegs, register).offset, offset, register);
  }
  assert.deepEqual(registerLayout().args, ['di', 'si', 'dx', 'cx', 'r8', 'r9'].map((register) => btf.member(ptRegs, register).offset));
  assert.equal(registerLayout().retval, btf.member(ptRegs, 'ax').offset);
});
