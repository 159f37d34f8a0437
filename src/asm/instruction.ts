// The instruction value shared by the builder, encoder, decoder and disassembler. It mirrors the
// kernel's struct bpf_insn field for field, and adds the symbolic parts that only exist before
// encoding: jump labels and map names.

import { LD_IMM64 } from './opcodes.js';

export interface Instruction {
  readonly opcode: number;
  /** Register numbers as raw 4-bit fields, so that decoded bytecode is representable as-is. */
  readonly dst: number;
  readonly src: number;
  readonly off: number;
  readonly imm: number;
  /**
   * ld_imm64 only: the full 64-bit constant (unsigned), split across the imm fields of its two
   * slots. `imm` then holds its low 32 bits, as the first slot's imm field does.
   */
  readonly imm64?: bigint;
  /**
   * ld_imm64 with a map pseudo source: the name of the map whose fd is patched into the low 32
   * bits at encode time. For MAP_VALUE the high 32 bits of imm64 are the offset into the value.
   */
  readonly mapRef?: string;
  /** Jumps: the label whose position the encoder turns into `off`. */
  readonly target?: string;
  /** Labels naming this instruction as a jump destination. */
  readonly labels?: readonly string[];
}

export function isWideLoad(insn: Instruction): boolean {
  return insn.opcode === LD_IMM64;
}

/** How many 8-byte slots the instruction occupies; jump offsets count in slots. */
export function slots(insn: Instruction): 1 | 2 {
  return isWideLoad(insn) ? 2 : 1;
}

/** The low 32 bits of a value, reinterpreted as the signed number the imm field holds. */
export function lowS32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** The high 32 bits of a 64-bit value as a signed 32-bit number. */
export function highS32(value: bigint): number {
  return Number(BigInt.asIntN(32, BigInt.asUintN(64, value) >> 32n));
}

/** Builds a wide load, keeping `imm` consistent with `imm64`. Negative constants wrap to u64. */
export function wideLoad(dst: number, src: number, value: bigint, mapRef?: string): Instruction {
  const imm64 = BigInt.asUintN(64, value);
  const insn: Instruction = { opcode: LD_IMM64, dst, src, off: 0, imm: lowS32(imm64), imm64 };
  return mapRef === undefined ? insn : { ...insn, mapRef };
}
