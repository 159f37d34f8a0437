// Typing of the expressions that name a C type: casts, `sizeof` and `offsetof` (both constants), and
// the written types of casts and declarations, resolved through the type universe (BTF and the
// script's preamble).
import { type Cast, type Offsetof, type Sizeof, type TypeExpr, DiagnosticCode } from '../lang/index.js';
import { type CField, type CType, cSizeOf } from './c-types.js';
import type { Checker } from './checker.js';
import { fieldValueType } from './member-access.js';
import { type ValueType, isScalar, isUserAddress, noneType, uint64, valueTypeName } from './value-types.js';

/** The value type of a written type, reporting unknown names. */
export function resolveType(checker: Checker, type: TypeExpr): ValueType | undefined {
  if (type.tag === null && type.pointerDepth === 0 && type.arrayDims.length === 0 && type.name === 'string') {
    return { kind: 'string', size: 64 };
  }
  const resolved = checker.universe.fromTypeExpr(type);
  if (typeof resolved === 'string') {
    checker.fail(DiagnosticCode.UnknownType, resolved, type.span,
      checker.universe.hasBtf ? [] : ['no kernel BTF was loaded: define the struct in the script']);
    return undefined;
  }
  const value = fieldValueType(resolved, false);
  return value.kind === 'none' ? undefined : value;
}

export function checkCast(checker: Checker, expr: Cast): ValueType {
  const operand = checker.check(expr.operand);
  const target = resolveType(checker, expr.type);
  if (target === undefined || operand.kind === 'none') return noneType;
  if (!isScalar(operand)) {
    return checker.fail(DiagnosticCode.TypeMismatch, `cannot cast ${valueTypeName(operand)} to ${valueTypeName(target)}`, expr.span);
  }
  const user = isUserAddress(operand, checker.group.context.userSpace);
  if (target.kind === 'int') {
    const value = checker.constants.get(expr.operand);
    if (typeof value === 'bigint') {
      const folded = target.signed ? BigInt.asIntN(target.bits, value) : BigInt.asUintN(target.bits, value);
      checker.constants.set(expr, folded);
    }
    return target;
  }
  if (target.kind === 'pointer') return { ...target, user };
  return checker.fail(DiagnosticCode.Unsupported, `casts to ${valueTypeName(target)} are not supported`, expr.span);
}

export function checkSizeof(checker: Checker, expr: Sizeof): ValueType {
  const size = expr.operand.kind === 'Type' ? sizeOfType(checker, expr.operand) : sizeOfValue(checker.check(expr.operand));
  if (size === undefined) return checker.fail(DiagnosticCode.UnknownType, 'cannot take the size of this', expr.span);
  checker.constants.set(expr, BigInt(size));
  return uint64;
}

export function checkOffsetof(checker: Checker, expr: Offsetof): ValueType {
  const resolved = resolveType(checker, expr.type);
  let type: CType | undefined = resolved?.kind === 'record' ? resolved.ctype : undefined;
  let offset = 0;
  for (const name of expr.field) {
    const field: CField | undefined = type?.kind === 'record' ? type.record.field(name) : undefined;
    if (field === undefined) return checker.fail(DiagnosticCode.UnknownField, `no field ${name} in ${resolved ? valueTypeName(resolved) : 'this type'}`, expr.span);
    offset += field.offset;
    type = field.type;
  }
  checker.constants.set(expr, BigInt(offset));
  return uint64;
}

function sizeOfType(checker: Checker, type: TypeExpr): number | undefined {
  const resolved = checker.universe.fromTypeExpr(type);
  if (typeof resolved === 'string') {
    checker.fail(DiagnosticCode.UnknownType, resolved, type.span);
    return undefined;
  }
  return cSizeOf(resolved);
}

function sizeOfValue(type: ValueType): number | undefined {
  switch (type.kind) {
    case 'int': return type.bits / 8;
    case 'string': case 'buffer': return type.size;
    case 'pointer': return 8;
    case 'record': case 'array': return cSizeOf(type.ctype);
    case 'none': case 'args': return undefined;
    default: return 8;
  }
}
