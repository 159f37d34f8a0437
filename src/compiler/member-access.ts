// Typing of `a.b` and `a->b`: fields of `args` (from the provider's context model) and members of
// structs and unions (from BTF or the preamble), with "did you mean" hints for misspelt names.
import { type FieldAccess, DiagnosticCode } from '../lang/index.js';
import type { ArgField } from '../providers/provider.js';
import { type CType, isCharArray } from './c-types.js';
import type { Checker } from './checker.js';
import { DEFAULT_STRING_SIZE } from '../abi/index.js';
import { isObjectInMemory } from './object-places.js';
import { type ValueType, noneType, valueTypeName } from './value-types.js';

/** How a C object of this type is used as a value: loaded integers and pointers, strings for char arrays. */
export function fieldValueType(type: CType, user: boolean): ValueType {
  switch (type.kind) {
    case 'int': return { kind: 'int', bits: (type.size * 8) as 8 | 16 | 32 | 64, signed: type.signed, user };
    case 'pointer': return { kind: 'pointer', to: type.to, user };
    case 'array':
      return isCharArray(type) ? { kind: 'string', size: type.length } : { kind: 'array', ctype: type, user };
    case 'record': return { kind: 'record', ctype: type, user };
    case 'void': case 'function': return noneType;
  }
}

/** The value type of one `args` field. */
export function argFieldType(checker: Checker, field: ArgField): ValueType {
  if (field.dataLoc) return { kind: 'string', size: DEFAULT_STRING_SIZE };
  const ctype = checker.universe.fromCText(field.cType, field.size, field.signed);
  return fieldValueType(ctype, field.userPointer);
}

export function checkMemberAccess(checker: Checker, expr: FieldAccess): ValueType {
  const object = checker.check(expr.object);
  switch (object.kind) {
    case 'none':
      return noneType;
    case 'args': {
      const fields = checker.group.context.args;
      const field = fields.find((f) => f.name === expr.field);
      if (field === undefined) {
        return checker.fail(DiagnosticCode.UnknownField, `${checker.group.targets[0].name} has no field '${expr.field}'`, expr.span,
          suggest(expr.field, fields.map((f) => f.name)));
      }
      return argFieldType(checker, field);
    }
    case 'pointer': {
      if (object.to.kind !== 'record') {
        return checker.fail(DiagnosticCode.InvalidOperation,
          `cannot access field '${expr.field}' of ${valueTypeName(object)}: not a pointer to a struct`, expr.span);
      }
      return recordField(checker, expr, object.to, object.user);
    }
    case 'record':
      if (!isObjectInMemory(checker, expr.object, expr.span)) return noneType;
      return recordField(checker, expr, object.ctype, object.user);
    case 'tuple':
      return checker.fail(DiagnosticCode.InvalidOperation, `tuples have no named fields`, expr.span, ['use .0, .1, … for tuple elements']);
    default:
      return checker.fail(DiagnosticCode.InvalidOperation,
        `cannot access field '${expr.field}' of ${valueTypeName(object)}`, expr.span,
        object.kind === 'int' ? ['cast it to a struct pointer first, e.g. ((struct task_struct *)x)->pid'] : []);
  }
}

function recordField(checker: Checker, expr: FieldAccess, type: CType & { kind: 'record' }, user: boolean): ValueType {
  const field = type.record.field(expr.field);
  if (field === undefined) {
    return checker.fail(DiagnosticCode.UnknownField, `${type.record.tag} ${type.record.name} has no field '${expr.field}'`,
      expr.span, suggest(expr.field, type.record.fieldNames()));
  }
  const value = fieldValueType(field.type, user);
  if (value.kind === 'none') {
    return checker.fail(DiagnosticCode.InvalidOperation, `field '${expr.field}' has no value type`, expr.span);
  }
  return value;
}

/** "did you mean" hints: candidates within a small edit distance, closest first. */
export function suggest(name: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = candidates
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter((s) => s.distance <= limit && s.candidate !== name)
    .sort((a, b) => a.distance - b.distance);
  return scored.length === 0 ? [] : [`did you mean '${scored[0].candidate}'?`];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
