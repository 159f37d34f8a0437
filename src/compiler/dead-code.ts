// The last pass over a program's instructions: the verifier rejects unreachable instructions, and
// statements after exit(), return, break or continue (or the tails of unrolled string searches)
// leave some. This removes every instruction no path from the entry reaches, then jumps to the
// very next instruction.
import { Class, type Instruction, JmpOp } from '../asm/index.js';

function isJump(insn: Instruction): boolean {
  const cls = insn.opcode & 0x07;
  return cls === Class.JMP || cls === Class.JMP32;
}

function operation(insn: Instruction): number {
  return insn.opcode & 0xf0;
}

/** Unconditional control transfer: nothing falls through to the next instruction. */
function endsFlow(insn: Instruction): boolean {
  if ((insn.opcode & 0x07) !== Class.JMP) return false;
  return operation(insn) === JmpOp.JA || operation(insn) === JmpOp.EXIT;
}

export function removeDeadCode(program: readonly Instruction[]): Instruction[] {
  const byLabel = new Map<string, number>();
  program.forEach((insn, i) => insn.labels?.forEach((label) => byLabel.set(label, i)));
  const reachable = new Set<number>();
  const pending = [0];
  while (pending.length > 0) {
    const index = pending.pop() as number;
    if (index >= program.length || reachable.has(index)) continue;
    reachable.add(index);
    const insn = program[index];
    if (isJump(insn) && insn.target !== undefined) {
      const target = byLabel.get(insn.target);
      if (target === undefined) throw new Error(`jump to unknown label ${insn.target}`);
      pending.push(target);
    }
    if (!endsFlow(insn)) pending.push(index + 1);
  }
  const kept = program.filter((_, i) => reachable.has(i));
  // A `ja` to the instruction right after it does nothing; its labels move to that instruction.
  const result: Instruction[] = [];
  let carried: string[] = [];
  kept.forEach((insn, i) => {
    const next = kept[i + 1];
    const labels = [...carried, ...(insn.labels ?? [])];
    const redundant = operation(insn) === JmpOp.JA && (insn.opcode & 0x07) === Class.JMP &&
      insn.target !== undefined && next?.labels?.includes(insn.target) === true;
    if (redundant) {
      carried = labels;
      return;
    }
    carried = [];
    result.push(labels.length === 0 ? withoutLabels(insn) : { ...insn, labels });
  });
  return result;
}

function withoutLabels(insn: Instruction): Instruction {
  if (insn.labels === undefined) return insn;
  const copy = { ...insn };
  delete (copy as { labels?: readonly string[] }).labels;
  return copy;
}
