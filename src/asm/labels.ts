// Turns symbolic jump targets into the relative offsets the kernel expects. Offsets count 8-byte
// slots (so a wide load between a jump and its target counts twice) and are relative to the slot
// after the jump. A function address load (ld_imm64 with BPF_PSEUDO_FUNC) targets a label too: the
// kernel reads the same relative distance from its imm instead of off.

import { AsmError } from './asm-error.js';
import { type Instruction, isWideLoad, slots } from './instruction.js';
import { PseudoLoad, isJumpClass } from './opcodes.js';

const S16_MIN = -0x8000;
const S16_MAX = 0x7fff;

/** The slot each label marks. Throws on a label defined twice. */
export function labelPositions(program: readonly Instruction[]): Map<string, number> {
  const positions = new Map<string, number>();
  let slot = 0;
  for (const insn of program) {
    for (const label of insn.labels ?? []) {
      if (positions.has(label)) throw new AsmError(`label '${label}' is defined twice`);
      positions.set(label, slot);
    }
    slot += slots(insn);
  }
  return positions;
}

/**
 * A copy of the program whose jumps carry their resolved `off`. Throws on duplicate or unknown
 * labels and on jumps too far for the signed 16-bit offset.
 */
export function resolveLabels(program: readonly Instruction[]): Instruction[] {
  const positions = labelPositions(program);
  let slot = 0;
  return program.map((insn, index) => {
    const from = slot;
    slot += slots(insn);
    if (insn.target === undefined) return insn;
    const functionLoad = isWideLoad(insn) && insn.src === PseudoLoad.FUNC;
    if (!isJumpClass(insn.opcode) && !functionLoad) {
      throw new AsmError(`instruction ${index} is not a jump but targets label '${insn.target}'`);
    }
    const to = positions.get(insn.target);
    if (to === undefined) {
      throw new AsmError(`instruction ${index} jumps to unknown label '${insn.target}'`);
    }
    const off = to - (from + 1);
    if (off < S16_MIN || off > S16_MAX) {
      throw new AsmError(
        `instruction ${index} jumps ${off} slots to label '${insn.target}', beyond the signed 16-bit offset`,
      );
    }
    return functionLoad ? { ...insn, imm: off, imm64: BigInt.asUintN(32, BigInt(off)) } : { ...insn, off };
  });
}
