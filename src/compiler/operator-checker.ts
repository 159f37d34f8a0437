// Typing of operators: unary and binary arithmetic, comparisons and logic (folded when both sides
// are constants, with bpftrace 0.17's sign warnings), `?:`, dereference and address-of, indexing,
// and tuples and their elements.
import {
  type Assignment, type Binary, type BinaryOperator, type Expr, type Index, type Ternary, type Tuple, type TupleAccess,
  type Unary, DiagnosticCode, error, isBuiltinName,
} from '../lang/index.js';
import { checkAddressOf } from './address-checker.js';
import type { CType } from './c-types.js';
import type { Checker } from './checker.js';
import { fieldValueType } from './member-access.js';
import { isInStoredCopy, isObjectInMemory } from './object-places.js';
import { type Operand, signWarnings } from './sign-warnings.js';
import { type ValueType, int64, isScalar, isStorable, noneType, storageType, uint64, unify, valueTypeName } from './value-types.js';

export function checkUnary(checker: Checker, expr: Unary): ValueType {
  if (expr.operator === '&') return checkAddressOf(checker, expr);
  if (expr.operator === '*') {
    const operand = checker.check(expr.operand);
    if (operand.kind === 'none') return noneType;
    if (operand.kind === 'pointer') return fieldValueType(operand.to, operand.user);
    if (operand.kind === 'int') return uint64;
    return checker.fail(DiagnosticCode.InvalidOperation, `cannot dereference ${valueTypeName(operand)}`, expr.span);
  }
  const operand = checker.expectScalar(expr.operand, `the operand of '${expr.operator}'`);
  const value = checker.constants.get(expr.operand);
  if (typeof value === 'bigint') {
    const folded = expr.operator === '-' ? -value : expr.operator === '~' ? ~value : expr.operator === '!' ? (value === 0n ? 1n : 0n) : value;
    checker.constants.set(expr, BigInt.asIntN(64, folded));
  }
  if (expr.operator === '!') return uint64;
  if (expr.operator === '-') return int64;
  return operand.kind === 'int' ? { kind: 'int', bits: 64, signed: operand.signed } : operand;
}

export function checkBinary(checker: Checker, expr: Binary): ValueType {
  const left = checker.check(expr.left);
  const right = checker.check(expr.right);
  if (left.kind === 'none' || right.kind === 'none') return noneType;
  const op = expr.operator;
  const comparison = op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=';
  if (left.kind === 'string' || right.kind === 'string') {
    if (left.kind === 'string' && right.kind === 'string' && (op === '==' || op === '!=')) return uint64;
    return checker.fail(DiagnosticCode.TypeMismatch,
      `'${op}' cannot combine ${valueTypeName(left)} and ${valueTypeName(right)}`, expr.span,
      left.kind === 'string' && right.kind === 'string' ? ['strings compare only with == and !='] : []);
  }
  if (!isScalar(left) || !isScalar(right)) {
    return checker.fail(DiagnosticCode.TypeMismatch, `'${op}' cannot combine ${valueTypeName(left)} and ${valueTypeName(right)}`, expr.span);
  }
  if (op === '&&' || op === '||') return uint64;
  foldBinary(checker, expr);
  warnAboutSigns(checker, expr, operand(checker, expr.left, left), operand(checker, expr.right, right));
  if (left.kind === 'pointer' && (op === '+' || op === '-') && right.kind === 'int') return left;
  if (comparison) return uint64;
  const leftSigned = left.kind === 'int' && left.signed;
  const rightSigned = right.kind === 'int' && right.signed;
  // bpftrace: shifts keep the left operand's signedness, the rest is signed only if both sides are.
  const signed = op === '<<' || op === '>>' ? leftSigned : leftSigned && rightSigned;
  return { kind: 'int', bits: 64, signed };
}

/**
 * An operand as bpftrace 0.17 sees it: a `$variable` keeps the width of its first assignment; an
 * integer, a positional parameter and a non-negative #define or enum constant (its preprocessor
 * inlines them) are literals, `-1` is a negation.
 */
export function operand(checker: Checker, expr: Expr, type: ValueType): Operand {
  const first = expr.kind === 'Variable' ? checker.firstInts.get(expr.name) : undefined;
  const value = checker.constants.get(expr);
  const literal = expr.kind === 'Integer' || expr.kind === 'PositionalParam' || expr.kind === 'ParamCount' ||
    (expr.kind === 'Identifier' && !isBuiltinName(expr.name) && typeof value === 'bigint' && value >= 0n);
  return { type: first ?? type, literal };
}

/**
 * bpftrace 0.17's warnings about mixed signs and signed division (sign-warnings.ts), at the operator
 * as bpftrace puts them; `+=` and the like warn as the operation they stand for.
 */
export function warnAboutSigns(checker: Checker, operation: Binary | Assignment, left: Operand, right: Operand): void {
  if (!checker.strict) return;
  const op = (operation.kind === 'Binary' ? operation.operator : operation.operator.slice(0, -1)) as BinaryOperator;
  const at = operation.operatorSpan;
  for (const message of signWarnings(op, left, right)) {
    // A probe compiled into several programs is checked once for each.
    if (checker.warnings.some((w) => w.span.start === at.start && w.message === message)) continue;
    checker.warnings.push({ ...error(DiagnosticCode.TypeMismatch, message, at), severity: 'warning' });
  }
}

function foldBinary(checker: Checker, expr: Binary): void {
  const a = checker.constants.get(expr.left);
  const b = checker.constants.get(expr.right);
  if (typeof a !== 'bigint' || typeof b !== 'bigint') return;
  const ua = BigInt.asUintN(64, a);
  const ub = BigInt.asUintN(64, b);
  const ops: Record<string, () => bigint | undefined> = {
    '+': () => a + b, '-': () => a - b, '*': () => a * b,
    // BPF's rule for a zero divisor, which the program would apply at run time.
    '/': () => (ub === 0n ? 0n : ua / ub), '%': () => (ub === 0n ? ua : ua % ub),
    '&': () => a & b, '|': () => a | b, '^': () => a ^ b,
    '<<': () => ua << (ub & 63n), '>>': () => ua >> (ub & 63n),
  };
  const result = ops[expr.operator]?.();
  if (result !== undefined) checker.constants.set(expr, BigInt.asIntN(64, result));
}

export function checkTernary(checker: Checker, expr: Ternary): ValueType {
  checker.expectScalar(expr.condition, 'a condition');
  const left = checker.check(expr.then);
  const right = checker.check(expr.else);
  if (left.kind === 'none' || right.kind === 'none') return noneType;
  const joined = unify(storageType(left), storageType(right));
  if (joined === undefined) {
    return checker.fail(DiagnosticCode.TypeMismatch,
      `the branches of ?: have different types: ${valueTypeName(left)} and ${valueTypeName(right)}`, expr.span);
  }
  return joined;
}

export function checkIndex(checker: Checker, expr: Index): ValueType {
  const object = checker.check(expr.object);
  checker.expectScalar(expr.index, 'an index');
  if (object.kind === 'none') return noneType;
  if (object.kind === 'pointer') return fieldValueType(object.to, object.user);
  if (object.kind === 'array') {
    const readable = isObjectInMemory(checker, expr.object, expr.span) && isIndexInBounds(checker, expr, object.ctype);
    return readable ? fieldValueType(object.ctype.element, object.user) : noneType;
  }
  // As in bpftrace 0.17, a char array is a string, which has no elements to index.
  return checker.fail(DiagnosticCode.InvalidOperation, `cannot index ${valueTypeName(object)}`, expr.span,
    object.kind === 'string' ? ['[] applies to arrays and pointers; a char array is read as a string'] : []);
}

/**
 * Whether an array's index is one it can take. A constant must fall inside the array, as bpftrace 0.17
 * requires; a flexible array member (`e[]`, `e[0]`) in memory has no bound, so any goes, where
 * bpftrace refuses them all. An index computed at run time reads memory through probe_read
 * (memory-access.ts), but not a copy a variable or map holds: the copy sits among the frame's other
 * values, which such an index could reach.
 */
function isIndexInBounds(checker: Checker, expr: Index, array: CType & { kind: 'array' }): boolean {
  const copied = isInStoredCopy(checker.types, expr);
  const index = checker.constants.get(expr.index);
  if (typeof index !== 'bigint') {
    if (!copied) return true;
    checker.fail(DiagnosticCode.Unsupported, 'an array copied into a variable or map can only be indexed by a constant', expr.index.span);
    return false;
  }
  if ((index >= 0n && index < BigInt(array.length)) || (array.length === 0 && !copied)) return true;
  checker.fail(DiagnosticCode.InvalidOperation, `the index ${index} is out of bounds for array of size ${array.length}`, expr.span);
  return false;
}

export function checkTuple(checker: Checker, expr: Tuple): ValueType {
  const elements = expr.elements.map((e) => checker.check(e));
  if (elements.some((e) => e.kind === 'none')) return noneType;
  const bad = elements.findIndex((e) => !isStorable(e));
  if (bad !== -1) return checker.fail(DiagnosticCode.TypeMismatch, 'this value cannot be part of a tuple', expr.elements[bad].span);
  return { kind: 'tuple', elements: elements.map(storageType) };
}

export function checkTupleAccess(checker: Checker, expr: TupleAccess): ValueType {
  const tuple = checker.check(expr.tuple);
  if (tuple.kind === 'none') return noneType;
  if (tuple.kind !== 'tuple') {
    return checker.fail(DiagnosticCode.InvalidOperation, `.${expr.index} needs a tuple, not ${valueTypeName(tuple)}`, expr.span);
  }
  const element = tuple.elements[expr.index];
  return element ?? checker.fail(DiagnosticCode.InvalidOperation,
    `tuple index ${expr.index} is out of range (the tuple has ${tuple.elements.length} elements)`, expr.span);
}
