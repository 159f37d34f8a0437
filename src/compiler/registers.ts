// The registers that hold expression values: R6–R9, the callee-saved ones, so a value survives the
// helper calls made while its sibling expressions are evaluated. R0–R5 are scratch: they carry helper
// arguments and results and are never live across a call or between two emitter functions.
//
// Four registers (three when R9 holds the scratch area's address, see frame.ts) are enough for
// expressions of any depth because evaluation is strictly nested: a binary operator keeps its left
// value in a register while evaluating the right one, and spills it to a frame slot first when fewer
// than two registers are free (see expression-emitter.ts).
import { type Register, R6, R7, R8, R9 } from '../asm/index.js';

const POOL: readonly Register[] = [R6, R7, R8, R9];

export class RegisterPool {
  private readonly free: Register[];

  /** `reserved` registers are held for the whole program and never handed out. */
  constructor(reserved: readonly Register[] = []) {
    this.free = POOL.filter((reg) => !reserved.includes(reg));
  }

  get available(): number {
    return this.free.length;
  }

  acquire(): Register {
    const reg = this.free.shift();
    if (reg === undefined) throw new Error('register pool exhausted: an emitter holds registers across a nested evaluation');
    return reg;
  }

  release(reg: Register): void {
    if (this.free.includes(reg)) throw new Error(`register ${reg} released twice`);
    this.free.push(reg);
    this.free.sort((a, b) => a.index - b.index);
  }
}
