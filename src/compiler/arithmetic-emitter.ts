// Integer arithmetic on registers with bpftrace 0.17's semantics: the binary operators (64-bit and
// wrapping; division, modulo and `>>` unsigned), compound assignment (`x op= v`, of a variable or a
// map entry), and truncation to a narrower integer (casts, signed and bitfield loads).
import type { Assembler, Register } from '../asm/index.js';
import type { Expr } from '../lang/index.js';
import type { ProgramEmitter } from './program-emitter.js';

/** Keeps the low `bits` bits of a register, sign- or zero-extending them to 64 bits. */
export function truncate(e: ProgramEmitter, reg: Register, bits: number, signed: boolean): void {
  if (bits >= 64) return;
  if (signed) {
    e.asm.lsh64(reg, 64 - bits).arsh64(reg, 64 - bits);
  } else if (bits === 32) {
    e.asm.mov32(reg, reg);
  } else {
    e.asm.and64(reg, (1 << bits) - 1);
  }
}

/** `left op= value`: returns the register holding the result (which is `left`). */
export function applyCompound(e: ProgramEmitter, left: Register, op: string, value: Expr): Register {
  const spill = e.frame.allocate(8);
  e.asm.stx('dw', spill.base, spill.offset, left);
  e.regs.release(left);
  const right = e.emitScalar(value);
  const result = e.regs.acquire();
  e.asm.ldx('dw', result, spill.base, spill.offset);
  arithmetic(e, op, result, right);
  e.regs.release(right);
  return result;
}

/** dst = dst op src with bpftrace 0.17's semantics: unsigned division, modulo and right shift. */
export function arithmetic(e: ProgramEmitter, op: string, dst: Register, src: Register | number): void {
  const ops: Record<string, Parameters<Assembler['alu64']>[0]> = {
    '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod', '&': 'and', '|': 'or', '^': 'xor', '<<': 'lsh', '>>': 'rsh',
  };
  const alu = ops[op];
  if (alu === undefined) throw new Error(`no arithmetic for '${op}'`);
  if (typeof src === 'number' && (alu === 'div' || alu === 'mod')) {
    unsignedDivideByConstant(e, alu, dst, src);
    return;
  }
  e.asm.alu64(alu, dst, src);
}

/**
 * Division and modulo by an immediate. The verifier rejects an immediate 0 divisor, so BPF's run-time
 * rule (x / 0 = 0, x % 0 = x, which bpftrace 0.17 prints) is applied here instead. A power of two
 * becomes a shift or a mask: the verifier tracks neither `/` nor `%` through its value ranges, so
 * `while (1) { $i++; if ($i % 2 == 0) { continue; } if ($i > 15) { break; } }` looks unbounded to
 * it, while `$i & 1` of a known $i stays known (LLVM makes the same rewrite for bpftrace).
 */
function unsignedDivideByConstant(e: ProgramEmitter, op: 'div' | 'mod', dst: Register, divisor: number): void {
  if (divisor === 0) {
    if (op === 'div') e.asm.mov64(dst, 0);
    return;
  }
  if (divisor > 0 && (divisor & (divisor - 1)) === 0) {
    if (op === 'div') e.asm.rsh64(dst, Math.log2(divisor));
    else e.asm.and64(dst, divisor - 1);
    return;
  }
  e.asm.alu64(op, dst, divisor);
}
