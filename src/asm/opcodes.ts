// The numeric vocabulary of the eBPF instruction set, as fixed by the kernel UAPI
// (<linux/bpf_common.h> and <linux/bpf.h>). An opcode byte is class | size | mode for loads and
// stores, and class | op | source for arithmetic and jumps; the helpers at the bottom pull those
// fields back apart so the decoder and disassembler never repeat the bit masks.

/** Low 3 bits of the opcode. */
export const Class = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  JMP32: 0x06,
  ALU64: 0x07,
} as const;

/** Access width of loads and stores (bits 3–4). */
export const Size = {
  W: 0x00,
  H: 0x08,
  B: 0x10,
  DW: 0x18,
} as const;

/** Addressing mode of loads and stores (bits 5–7). */
export const Mode = {
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  /** Sign-extending load (Linux 6.6). */
  MEMSX: 0x80,
  ATOMIC: 0xc0,
} as const;

/** Arithmetic operation (bits 4–7) of ALU and ALU64 instructions. */
export const AluOp = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90,
  XOR: 0xa0,
  MOV: 0xb0,
  ARSH: 0xc0,
  END: 0xd0,
} as const;

/** Jump operation (bits 4–7) of JMP and JMP32 instructions. */
export const JmpOp = {
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  CALL: 0x80,
  EXIT: 0x90,
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
} as const;

/** Operand source (bit 3): the immediate (K) or the src register (X). */
export const Source = {
  K: 0x00,
  X: 0x08,
} as const;

/**
 * Byte-order conversion target, stored in the source bit of an ALU END instruction. ALU64 END
 * with source 0 is the unconditional byte swap (Linux 6.6).
 */
export const Endian = {
  LE: 0x00,
  BE: 0x08,
} as const;

/** Operation of an atomic instruction, stored in its imm field. */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  /** Or-ed into ADD/OR/AND/XOR to also return the old value in the src register. */
  FETCH: 0x01,
  XCHG: 0xe1,
  CMPXCHG: 0xf1,
} as const;

/** Meaning of the src field of a wide load (ld_imm64): what the kernel patches the constant to. */
export const PseudoLoad = {
  /** imm is a map fd; the kernel substitutes the map pointer. */
  MAP_FD: 1,
  /** imm is a map fd and the second slot's imm an offset into its (single) value. */
  MAP_VALUE: 2,
  BTF_ID: 3,
  FUNC: 4,
} as const;

/** Meaning of the src field of a call instruction; 0 is a helper call. */
export const PseudoCall = {
  /** imm is the pc-relative offset of a BPF-to-BPF subprogram. */
  CALL: 1,
  /** imm is the BTF id of a kernel function. */
  KFUNC_CALL: 2,
} as const;

/** The opcode of the 16-byte constant load; worth naming because it is the only two-slot instruction. */
export const LD_IMM64 = Class.LD | Size.DW | Mode.IMM;

export function opClass(opcode: number): number {
  return opcode & 0x07;
}

export function opSize(opcode: number): number {
  return opcode & 0x18;
}

export function opMode(opcode: number): number {
  return opcode & 0xe0;
}

/** The ALU or jump operation of an arithmetic/jump opcode. */
export function opCode(opcode: number): number {
  return opcode & 0xf0;
}

export function opSource(opcode: number): number {
  return opcode & 0x08;
}

export function isJumpClass(opcode: number): boolean {
  const cls = opClass(opcode);
  return cls === Class.JMP || cls === Class.JMP32;
}

export function isAluClass(opcode: number): boolean {
  const cls = opClass(opcode);
  return cls === Class.ALU || cls === Class.ALU64;
}
