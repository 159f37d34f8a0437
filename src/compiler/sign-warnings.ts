// The warnings bpftrace 0.17 gives about the signedness of an integer operation's operands, with its
// wording and under its rules (SemanticAnalyser::visit(Binop)), so a script warns here when it warns
// there. BPF compares and divides either signed or unsigned, so mixing signs, or dividing a negative
// number, gives results a C programmer may not expect.
import type { BinaryOperator } from '../lang/index.js';
import type { ValueType } from './value-types.js';

/** An operand: its type as bpftrace has it, and whether bpftrace sees a literal, which can take either sign. */
export interface Operand {
  readonly type: ValueType;
  readonly literal: boolean;
}

const COMPARISONS: ReadonlySet<BinaryOperator> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC: ReadonlySet<BinaryOperator> = new Set(['+', '-', '*', '/', '%']);

/** The type as bpftrace names it in these warnings: `int64`, `unsigned int32`. */
function bpftraceName(type: { readonly bits: number; readonly signed: boolean }): string {
  return `${type.signed ? '' : 'unsigned '}int${type.bits}`;
}

/** The warnings for `left op right`, in bpftrace's order; none unless both operands are integers. */
export function signWarnings(op: BinaryOperator, left: Operand, right: Operand): string[] {
  if (left.type.kind !== 'int' || right.type.kind !== 'int') return [];
  const warnings: string[] = [];
  // A literal on the signed side takes the other side's sign, as C would convert it.
  const mixed = left.type.signed !== right.type.signed && !(left.type.signed ? left.literal : right.literal);
  if (mixed && (COMPARISONS.has(op) || ARITHMETIC.has(op))) {
    const what = COMPARISONS.has(op) ? 'comparison of' : 'arithmetic on';
    const types = `'${bpftraceName(left.type)}' and '${bpftraceName(right.type)}'`;
    warnings.push(`${what} integers of different signs: ${types} can lead to undefined behavior`);
  }
  const signedOperand = (operand: Operand): boolean => operand.type.kind === 'int' && operand.type.signed && !operand.literal;
  if ((op === '/' || op === '%') && (signedOperand(left) || signedOperand(right))) {
    warnings.push(`signed operands for '${op}' can lead to undefined behavior (cast to unsigned to silence warning)`);
  }
  return warnings;
}
