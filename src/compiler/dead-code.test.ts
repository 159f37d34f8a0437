import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Assembler, R0, R1, disassemble } from '../asm/index.js';
import { removeDeadCode } from './dead-code.js';

describe('removeDeadCode', () => {
  it('drops what follows an exit or an unconditional jump until a reachable label', () => {
    const b = new Assembler();
    b.jmp('eq', R1, 0, 'skip').mov64(R0, 1).exit().mov64(R0, 2).label('skip').mov64(R0, 3).ja('end').mov64(R0, 4).label('end').exit();
    assert.equal(disassemble(removeDeadCode(b.instructions())), [
      '0: (15) if r1 == 0x0 goto pc+2',
      '1: (b7) r0 = 1',
      '2: (95) exit',
      '3: (b7) r0 = 3',
      '4: (95) exit',
    ].join('\n'));
  });

  it('keeps the labels of a removed jump to the next instruction', () => {
    const b = new Assembler();
    b.jmp('ne', R1, 0, 'here').ja('there').label('here').label('there').mov64(R0, 0).exit();
    const result = removeDeadCode(b.instructions());
    assert.equal(disassemble(result), ['0: (55) if r1 != 0x0 goto pc+0', '1: (b7) r0 = 0', '2: (95) exit'].join('\n'));
  });
});
