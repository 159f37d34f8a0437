// The assembler the code generators write into. Each method appends one instruction and reads like
// the line of assembly it produces; an operand's type picks the source: a Register is the src
// register (X), a number or bigint is the immediate (K). Labels and the 16/32-bit field ranges are
// checked once, at encode time, where the whole program is known.

import { AsmError } from './asm-error.js';
import { type Instruction, wideLoad } from './instruction.js';
import {
  AluOp,
  AtomicOp,
  Class,
  Endian,
  JmpOp,
  Mode,
  PseudoLoad,
  Size,
  Source,
} from './opcodes.js';
import { Register } from './register.js';

export type Operand = Register | number | bigint;

export type SizeName = 'b' | 'h' | 'w' | 'dw';

/** Two-operand ALU operations. `sdiv`/`smod` are the signed forms (Linux 6.6). */
export type AluOpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'sdiv' | 'mod' | 'smod'
  | 'or' | 'and' | 'xor' | 'lsh' | 'rsh' | 'arsh' | 'mov';

/** Conditional jumps; the `s` prefix marks signed comparisons. */
export type JmpOpName =
  | 'eq' | 'ne' | 'set'
  | 'gt' | 'ge' | 'lt' | 'le'
  | 'sgt' | 'sge' | 'slt' | 'sle';

export type AtomicOpName = 'add' | 'or' | 'and' | 'xor' | 'xchg' | 'cmpxchg';

export interface AtomicOptions {
  /** Also load the previous memory value into the src register (add/or/and/xor only). */
  readonly fetch?: boolean;
}

const sizeCode: Record<SizeName, number> = { b: Size.B, h: Size.H, w: Size.W, dw: Size.DW };

/** Signed division and modulo share the unsigned opcode and are told apart by off = 1. */
const aluCode: Record<AluOpName, { op: number; off: number }> = {
  add: { op: AluOp.ADD, off: 0 },
  sub: { op: AluOp.SUB, off: 0 },
  mul: { op: AluOp.MUL, off: 0 },
  div: { op: AluOp.DIV, off: 0 },
  sdiv: { op: AluOp.DIV, off: 1 },
  mod: { op: AluOp.MOD, off: 0 },
  smod: { op: AluOp.MOD, off: 1 },
  or: { op: AluOp.OR, off: 0 },
  and: { op: AluOp.AND, off: 0 },
  xor: { op: AluOp.XOR, off: 0 },
  lsh: { op: AluOp.LSH, off: 0 },
  rsh: { op: AluOp.RSH, off: 0 },
  arsh: { op: AluOp.ARSH, off: 0 },
  mov: { op: AluOp.MOV, off: 0 },
};

const jmpCode: Record<JmpOpName, number> = {
  eq: JmpOp.JEQ,
  ne: JmpOp.JNE,
  set: JmpOp.JSET,
  gt: JmpOp.JGT,
  ge: JmpOp.JGE,
  lt: JmpOp.JLT,
  le: JmpOp.JLE,
  sgt: JmpOp.JSGT,
  sge: JmpOp.JSGE,
  slt: JmpOp.JSLT,
  sle: JmpOp.JSLE,
};

const atomicCode: Record<AtomicOpName, number> = {
  add: AtomicOp.ADD,
  or: AtomicOp.OR,
  and: AtomicOp.AND,
  xor: AtomicOp.XOR,
  xchg: AtomicOp.XCHG,
  cmpxchg: AtomicOp.CMPXCHG,
};

const extendBits = new Set([8, 16, 32]);
const swapBits = new Set([16, 32, 64]);

export class Assembler {
  private readonly program: Instruction[] = [];
  private pendingLabels: string[] = [];

  /** The program so far. Throws if a label was placed after the last instruction. */
  instructions(): Instruction[] {
    if (this.pendingLabels.length > 0) {
      throw new AsmError(`label '${this.pendingLabels[0]}' marks no instruction (it ends the program)`);
    }
    return [...this.program];
  }

  /** Appends any instruction, attaching labels placed just before it. */
  emit(insn: Instruction): this {
    if (this.pendingLabels.length === 0) {
      this.program.push(insn);
    } else {
      this.program.push({ ...insn, labels: [...(insn.labels ?? []), ...this.pendingLabels] });
      this.pendingLabels = [];
    }
    return this;
  }

  /** Names the next instruction as a jump destination. */
  label(name: string): this {
    this.pendingLabels.push(name);
    return this;
  }

  alu64(op: AluOpName, dst: Register, src: Operand): this {
    return this.alu(Class.ALU64, op, dst, src);
  }

  alu32(op: AluOpName, dst: Register, src: Operand): this {
    return this.alu(Class.ALU, op, dst, src);
  }

  mov64(dst: Register, src: Operand): this { return this.alu64('mov', dst, src); }
  add64(dst: Register, src: Operand): this { return this.alu64('add', dst, src); }
  sub64(dst: Register, src: Operand): this { return this.alu64('sub', dst, src); }
  mul64(dst: Register, src: Operand): this { return this.alu64('mul', dst, src); }
  div64(dst: Register, src: Operand): this { return this.alu64('div', dst, src); }
  mod64(dst: Register, src: Operand): this { return this.alu64('mod', dst, src); }
  or64(dst: Register, src: Operand): this { return this.alu64('or', dst, src); }
  and64(dst: Register, src: Operand): this { return this.alu64('and', dst, src); }
  xor64(dst: Register, src: Operand): this { return this.alu64('xor', dst, src); }
  lsh64(dst: Register, src: Operand): this { return this.alu64('lsh', dst, src); }
  rsh64(dst: Register, src: Operand): this { return this.alu64('rsh', dst, src); }
  arsh64(dst: Register, src: Operand): this { return this.alu64('arsh', dst, src); }

  mov32(dst: Register, src: Operand): this { return this.alu32('mov', dst, src); }
  add32(dst: Register, src: Operand): this { return this.alu32('add', dst, src); }
  sub32(dst: Register, src: Operand): this { return this.alu32('sub', dst, src); }
  mul32(dst: Register, src: Operand): this { return this.alu32('mul', dst, src); }
  div32(dst: Register, src: Operand): this { return this.alu32('div', dst, src); }
  mod32(dst: Register, src: Operand): this { return this.alu32('mod', dst, src); }
  or32(dst: Register, src: Operand): this { return this.alu32('or', dst, src); }
  and32(dst: Register, src: Operand): this { return this.alu32('and', dst, src); }
  xor32(dst: Register, src: Operand): this { return this.alu32('xor', dst, src); }
  lsh32(dst: Register, src: Operand): this { return this.alu32('lsh', dst, src); }
  rsh32(dst: Register, src: Operand): this { return this.alu32('rsh', dst, src); }
  arsh32(dst: Register, src: Operand): this { return this.alu32('arsh', dst, src); }

  neg64(dst: Register): this {
    return this.emit({ opcode: Class.ALU64 | AluOp.NEG, dst: dst.index, src: 0, off: 0, imm: 0 });
  }

  neg32(dst: Register): this {
    return this.emit({ opcode: Class.ALU | AluOp.NEG, dst: dst.index, src: 0, off: 0, imm: 0 });
  }

  /** dst = src sign-extended from its low `bits` bits (Linux 6.6). */
  movsx64(dst: Register, src: Register, bits: 8 | 16 | 32): this {
    return this.signExtendingMove(Class.ALU64, dst, src, bits);
  }

  /** w_dst = w_src sign-extended from its low `bits` bits, upper half zeroed (Linux 6.6). */
  movsx32(dst: Register, src: Register, bits: 8 | 16): this {
    return this.signExtendingMove(Class.ALU, dst, src, bits);
  }

  /** Converts the low `bits` bits of dst between host order and the given byte order. */
  endian(order: 'be' | 'le', dst: Register, bits: 16 | 32 | 64): this {
    const source = order === 'be' ? Endian.BE : Endian.LE;
    return this.byteOrder(Class.ALU | AluOp.END | source, dst, bits);
  }

  /** Reverses the bytes of the low `bits` bits of dst whatever the host order (Linux 6.6). */
  bswap(dst: Register, bits: 16 | 32 | 64): this {
    return this.byteOrder(Class.ALU64 | AluOp.END, dst, bits);
  }

  /** dst = *(size *)(src + off) */
  ldx(size: SizeName, dst: Register, src: Register, off: number): this {
    return this.emit({ opcode: Class.LDX | Mode.MEM | sizeCode[size], dst: dst.index, src: src.index, off, imm: 0 });
  }

  /** dst = *(signed size *)(src + off), sign-extended to 64 bits (Linux 6.6). */
  ldsx(size: Exclude<SizeName, 'dw'>, dst: Register, src: Register, off: number): this {
    return this.emit({ opcode: Class.LDX | Mode.MEMSX | sizeCode[size], dst: dst.index, src: src.index, off, imm: 0 });
  }

  /** *(size *)(dst + off) = src */
  stx(size: SizeName, dst: Register, off: number, src: Register): this {
    return this.emit({ opcode: Class.STX | Mode.MEM | sizeCode[size], dst: dst.index, src: src.index, off, imm: 0 });
  }

  /** *(size *)(dst + off) = imm; for dw the 32-bit immediate is sign-extended. */
  st(size: SizeName, dst: Register, off: number, imm: number | bigint): this {
    return this.emit({ opcode: Class.ST | Mode.MEM | sizeCode[size], dst: dst.index, src: 0, off, imm: Number(imm) });
  }

  /**
   * Atomic read-modify-write of *(size *)(dst + off) with src. xchg and cmpxchg always fetch;
   * cmpxchg compares with R0 and leaves the old value there.
   */
  atomic(op: AtomicOpName, size: 'w' | 'dw', dst: Register, off: number, src: Register, options: AtomicOptions = {}): this {
    const fetches = op === 'xchg' || op === 'cmpxchg';
    if (options.fetch === true && fetches) {
      throw new AsmError(`atomic ${op} always fetches; drop the fetch option`);
    }
    const imm = atomicCode[op] | (options.fetch === true ? AtomicOp.FETCH : 0);
    return this.emit({ opcode: Class.STX | Mode.ATOMIC | sizeCode[size], dst: dst.index, src: src.index, off, imm });
  }

  /** dst = a 64-bit constant (two slots). */
  ldImm64(dst: Register, value: number | bigint): this {
    const wide = BigInt(value);
    if (wide < -(1n << 63n) || wide >= 1n << 64n) {
      throw new AsmError(`constant ${wide} does not fit in 64 bits`);
    }
    return this.emit(wideLoad(dst.index, 0, wide));
  }

  /** dst = pointer to the named map; its fd is supplied when the program is encoded. */
  ldMap(dst: Register, name: string): this {
    return this.emit(wideLoad(dst.index, PseudoLoad.MAP_FD, 0n, name));
  }

  /** dst = pointer to byte `offset` of the named single-value map's value (array maps). */
  ldMapValue(dst: Register, name: string, offset: number): this {
    if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fffffff) {
      throw new AsmError(`map value offset ${offset} of '${name}' is not a non-negative 32-bit integer`);
    }
    return this.emit(wideLoad(dst.index, PseudoLoad.MAP_VALUE, BigInt(offset) << 32n, name));
  }

  /**
   * dst = the address of the function starting at `label` (a BPF-to-BPF callback, e.g. for
   * bpf_for_each_map_elem); the encoder puts its distance in slots, from the next slot, in imm.
   */
  ldFunc(dst: Register, label: string): this {
    return this.emit({ ...wideLoad(dst.index, PseudoLoad.FUNC, 0n), target: label });
  }

  /** dst = pointer to the map behind an fd already open, for programs built after map creation. */
  ldMapFd(dst: Register, fd: number): this {
    return this.emit(wideLoad(dst.index, PseudoLoad.MAP_FD, BigInt(fd)));
  }

  /** Calls a helper by id, e.g. `b.call(Helper.map_lookup_elem)`. */
  call(helper: number): this {
    return this.emit({ opcode: Class.JMP | JmpOp.CALL, dst: 0, src: 0, off: 0, imm: helper });
  }

  exit(): this {
    return this.emit({ opcode: Class.JMP | JmpOp.EXIT, dst: 0, src: 0, off: 0, imm: 0 });
  }

  /** Unconditional jump to a label. */
  ja(target: string): this {
    return this.emit({ opcode: Class.JMP | JmpOp.JA, dst: 0, src: 0, off: 0, imm: 0, target });
  }

  /** if (dst op src) goto target, comparing all 64 bits. */
  jmp(op: JmpOpName, dst: Register, src: Operand, target: string): this {
    return this.conditionalJump(Class.JMP, op, dst, src, target);
  }

  /** if (w_dst op w_src) goto target, comparing the low 32 bits. */
  jmp32(op: JmpOpName, dst: Register, src: Operand, target: string): this {
    return this.conditionalJump(Class.JMP32, op, dst, src, target);
  }

  private alu(cls: number, op: AluOpName, dst: Register, src: Operand): this {
    const { op: code, off } = aluCode[op];
    if (src instanceof Register) {
      return this.emit({ opcode: cls | code | Source.X, dst: dst.index, src: src.index, off, imm: 0 });
    }
    return this.emit({ opcode: cls | code | Source.K, dst: dst.index, src: 0, off, imm: Number(src) });
  }

  private signExtendingMove(cls: number, dst: Register, src: Register, bits: number): this {
    if (!extendBits.has(bits) || (cls === Class.ALU && bits === 32)) {
      throw new AsmError(`cannot sign-extend from ${bits} bits`);
    }
    return this.emit({ opcode: cls | AluOp.MOV | Source.X, dst: dst.index, src: src.index, off: bits, imm: 0 });
  }

  private byteOrder(opcode: number, dst: Register, bits: number): this {
    if (!swapBits.has(bits)) throw new AsmError(`byte order conversion of ${bits} bits is not 16, 32 or 64`);
    return this.emit({ opcode, dst: dst.index, src: 0, off: 0, imm: bits });
  }

  private conditionalJump(cls: number, op: JmpOpName, dst: Register, src: Operand, target: string): this {
    const code = jmpCode[op];
    if (src instanceof Register) {
      return this.emit({ opcode: cls | code | Source.X, dst: dst.index, src: src.index, off: 0, imm: 0, target });
    }
    return this.emit({ opcode: cls | code | Source.K, dst: dst.index, src: 0, off: 0, imm: Number(src), target });
  }
}
