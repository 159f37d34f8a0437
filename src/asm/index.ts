// eBPF assembly: the instruction set's constants, the Instruction value, an assembler with symbolic
// labels and map names, the bytecode encoder/decoder and a disassembler in the verifier's notation.
// Pure code over values: it must not import sys, kernel or any module above it (ir, lang, runtime),
// so that compiling and dumping programs never needs privileges.

export { AsmError } from './asm-error.js';
export {
  Assembler,
  type AluOpName,
  type AtomicOpName,
  type AtomicOptions,
  type JmpOpName,
  type Operand,
  type SizeName,
} from './builder.js';
export { type DisassembleOptions, disassemble, formatInstruction } from './disassembler.js';
export {
  type EncodedProgram,
  type MapRelocation,
  type MapResolver,
  SLOT_BYTES,
  decode,
  encode,
} from './encoder.js';
export { Helper, type HelperName, helperName } from './helpers.js';
export { type Instruction, isWideLoad, slots, wideLoad } from './instruction.js';
export { labelPositions, resolveLabels } from './labels.js';
export {
  AluOp,
  AtomicOp,
  Class,
  Endian,
  JmpOp,
  LD_IMM64,
  Mode,
  PseudoCall,
  PseudoLoad,
  Size,
  Source,
} from './opcodes.js';
export { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, Register, register } from './register.js';
