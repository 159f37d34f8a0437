// Where an object a script names (a struct, an array, one of their members) lives: in kernel or user
// memory, reached through a pointer, a dereference or `args`, or in a copy a variable or map holds.
// Member access, indexing and `&` each ask, and read or refuse accordingly.
import { type Expr, type Span, DiagnosticCode } from '../lang/index.js';
import type { Checker } from './checker.js';
import { type ValueType, isStorable } from './value-types.js';

/** A member, element or dereference: an object with a place in memory. */
export type ObjectExpr = Expr & { kind: 'FieldAccess' | 'Index' | 'Unary' };

/** Objects in memory, which `&` can take the address of and the code generator reads in place. */
export function isAddressable(expr: Expr): expr is ObjectExpr {
  return expr.kind === 'FieldAccess' || expr.kind === 'Index' || (expr.kind === 'Unary' && expr.operator === '*');
}

/** A struct or array copied whole into a variable or a map: its members are read from that copy. */
export function isStoredCopy(object: Expr): boolean {
  return object.kind === 'Variable' || object.kind === 'Map' || object.kind === 'MapAccess';
}

/**
 * Members of a struct or array are read where the object is: in kernel or user memory (`*p`,
 * `p->inner`, `args.field`, `a[1]`), or in the copy a variable or map holds. Those of any other struct
 * value, a tuple's element or what `?:` chose, are not read, as bpftrace 0.17 does not read them.
 */
export function isObjectInMemory(checker: Checker, object: Expr, at: Span): boolean {
  if (isAddressable(object)) return true;
  if (isStoredCopy(object)) {
    // A struct with bitfields has no value form (record-values.ts): its assignment was refused.
    const type = checker.types.get(object);
    return type === undefined || isStorable(type);
  }
  checker.fail(DiagnosticCode.Unsupported, 'members of a struct or array in a tuple or chosen by ?: cannot be read', at,
    ['copy it into a variable first, e.g. $s = $t.0; $s.field']);
  return false;
}

/** Whether an object is a member or element of a copy held in a variable or map, rather than in memory. */
export function isInStoredCopy(types: ReadonlyMap<Expr, ValueType>, expr: Expr): boolean {
  if (expr.kind !== 'FieldAccess' && expr.kind !== 'Index') return false;
  let object: Expr = expr;
  while (object.kind === 'FieldAccess' || object.kind === 'Index') {
    const type = types.get(object.object);
    // `p->field`, `p[1]` and `args.field` reach into memory through a pointer or the context.
    if (type?.kind !== 'record' && type?.kind !== 'array') return false;
    object = object.object;
  }
  return isStoredCopy(object);
}
