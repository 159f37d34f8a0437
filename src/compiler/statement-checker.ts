// Typing of statements and `$variables`: blocks, conditions and loops (where break, continue and
// return may stand), assignments to variables and maps, `++`/`--`, and the rule that fixes a
// variable's type per probe from everything assigned to it.
import { type Assignment, type For, type Span, type Statement, type Update, type Variable, DiagnosticCode } from '../lang/index.js';
import { checkCall } from './call-checker.js';
import type { Checker } from './checker.js';
import { AGGREGATIONS, checkMapIteration, recordMapValue, useMapKeys } from './map-checker.js';
import { readType } from './map-table.js';
import { operand, warnAboutSigns } from './operator-checker.js';
import { resolveType } from './type-expr-checker.js';
import { type ValueType, int64, isStorable, storageType, unify, valueTypeName } from './value-types.js';

export function checkStatement(checker: Checker, statement: Statement): void {
  const { scope } = checker;
  switch (statement.kind) {
    case 'Block':
      for (const inner of statement.statements) checkStatement(checker, inner);
      return;
    case 'ExprStatement':
      if (statement.expr.kind === 'Call') checkCall(checker, statement.expr, 'statement');
      else checker.check(statement.expr);
      return;
    case 'Assignment':
      checkAssignment(checker, statement);
      return;
    case 'VarDecl': {
      const declared = statement.type === null ? undefined : resolveType(checker, statement.type);
      const value = statement.value === null ? undefined : checker.check(statement.value);
      const type = declared ?? value;
      if (type !== undefined) assignVariable(checker, statement.variable.name, type, statement.span);
      return;
    }
    case 'If':
      checker.expectScalar(statement.condition, 'a condition');
      checkStatement(checker, statement.then);
      if (statement.else !== null) checkStatement(checker, statement.else);
      return;
    case 'Unroll': {
      const count = checker.constantInt(statement.count);
      if (count === undefined || count < 1n || count > 100n) {
        checker.fail(DiagnosticCode.NotConstant, 'unroll count must be a constant between 1 and 100', statement.count.span);
      }
      checkStatement(checker, statement.body);
      return;
    }
    case 'While':
      checker.expectScalar(statement.condition, 'a condition');
      scope.loopDepth++;
      checkStatement(checker, statement.body);
      scope.loopDepth--;
      return;
    case 'For':
      checkForLoop(checker, statement);
      return;
    case 'Break': case 'Continue':
      if (scope.loopDepth === 0) {
        checker.fail(DiagnosticCode.MisplacedStatement, `${statement.kind.toLowerCase()} outside of a loop`, statement.span);
      }
      return;
    case 'Return':
      if (scope.forDepth > 0) {
        checker.fail(DiagnosticCode.MisplacedStatement, "'return' is not allowed in a for loop", statement.span, ['use break to leave the loop']);
      }
      if (statement.value !== null) checker.check(statement.value);
      return;
  }
}

/**
 * `for ($kv : @map)`: `$kv` is a (key, value) tuple, the key itself a tuple for several keys. As in
 * bpftrace, it and the variables first assigned in the body exist only inside the loop.
 */
function checkForLoop(checker: Checker, statement: For): void {
  const { variable, iterable } = statement;
  const { scope, variables } = checker;
  if (iterable.kind === 'Range') {
    checker.fail(DiagnosticCode.Unsupported, 'for loops over a range are not supported yet', iterable.span, ['use while']);
    return;
  }
  if (scope.assigned.has(variable.name)) {
    checker.fail(DiagnosticCode.TypeMismatch, `the loop variable ${variable.name} would hide the variable of that name`, variable.span);
  }
  const pair = checkMapIteration(checker, iterable);
  const before = new Set(scope.assigned);
  const previous = variables.get(variable.name);
  variables.set(variable.name, pair);
  checker.types.set(variable, pair);
  scope.assigned.add(variable.name);
  scope.loopDepth++;
  scope.forDepth++;
  checkStatement(checker, statement.body);
  scope.loopDepth--;
  scope.forDepth--;
  if (previous === undefined) variables.delete(variable.name);
  else variables.set(variable.name, previous);
  for (const name of scope.assigned) if (!before.has(name)) scope.assigned.delete(name);
}

function checkAssignment(checker: Checker, statement: Assignment): void {
  const { target, value } = statement;
  if (target.kind === 'Variable') {
    if (statement.operator === '=') {
      assignVariable(checker, target.name, checker.check(value), statement.span);
    } else {
      const current = checker.expectScalar(target, `the left side of '${statement.operator}'`);
      const right = checker.expectScalar(value, `the right side of '${statement.operator}'`);
      warnAboutSigns(checker, statement, operand(checker, target, current), operand(checker, value, right));
    }
    return;
  }
  if (statement.operator !== '=') {
    useMapKeys(checker, target);
    // The map's type so far: a map first assigned an unsigned value stays unsigned (unify()).
    const held = checker.maps.get(target.kind === 'Map' ? target.name : target.map.name)?.value;
    const current = held === undefined ? int64 : readType(held) ?? int64;
    recordMapValue(checker, target, { kind: 'scalar', type: int64 });
    const right = checker.expectScalar(value, `the right side of '${statement.operator}'`);
    warnAboutSigns(checker, statement, operand(checker, target, current), operand(checker, value, right));
    checker.types.set(target, int64);
    return;
  }
  if (value.kind === 'Call' && AGGREGATIONS.has(value.callee)) {
    useMapKeys(checker, target);
    const aggregated = checkCall(checker, value, 'aggregation', target);
    if (aggregated.kind !== 'none') checker.types.set(target, aggregated);
    return;
  }
  const type = checker.check(value);
  useMapKeys(checker, target);
  if (type.kind === 'none' || !isStorable(type)) {
    if (type.kind !== 'none') checker.fail(DiagnosticCode.TypeMismatch, `cannot store ${valueTypeName(type)} in a map`, value.span);
    return;
  }
  recordMapValue(checker, target, { kind: 'scalar', type });
  checker.types.set(target, storageType(type));
}

/** `$x++`, `@x[k]--`: an integer variable (assigned 0 first if new) or map value. */
export function checkUpdate(checker: Checker, expr: Update): ValueType {
  if (expr.operand.kind === 'Variable') {
    if (!checker.variables.has(expr.operand.name)) assignVariable(checker, expr.operand.name, int64, expr.span);
    checker.expectScalar(expr.operand, `'${expr.operator}'`);
  } else {
    useMapKeys(checker, expr.operand);
    recordMapValue(checker, expr.operand, { kind: 'scalar', type: int64 });
    checker.types.set(expr.operand, int64);
  }
  return int64;
}

function assignVariable(checker: Checker, name: string, type: ValueType, at: Span): void {
  if (type.kind === 'none') return;
  if (type.kind === 'args') {
    checker.fail(DiagnosticCode.TypeMismatch, 'args cannot be stored in a variable; store one of its fields', at);
    return;
  }
  if ((type.kind === 'record' || type.kind === 'array') && !isStorable(type)) {
    // Its bits are not separated into members (record-values.ts): such a copy could not be read.
    // The variable still takes the type, so its later uses report nothing more.
    checker.fail(DiagnosticCode.Unsupported, `${valueTypeName(type)} has bitfields, so it cannot be copied into a variable`, at,
      ['keep the pointer it was read through and read its members from that, e.g. $t = curtask; $t->pid']);
  }
  const stored = type.kind === 'record' || type.kind === 'array' ? type : storageType(type);
  const previous = checker.variables.get(name);
  if (previous === undefined) {
    checker.variables.set(name, stored);
    if (type.kind === 'int') checker.firstInts.set(name, type);
  } else {
    const joined = unify(previous, stored);
    if (joined === undefined) {
      checker.fail(DiagnosticCode.TypeMismatch,
        `type mismatch for ${name}: it holds ${valueTypeName(previous)}, here assigned ${valueTypeName(stored)}`, at);
      return;
    }
    checker.variables.set(name, joined);
  }
  checker.scope.assigned.add(name);
}

export function readVariable(checker: Checker, expr: Variable): ValueType {
  const type = checker.variables.get(expr.name);
  if (type === undefined || (checker.strict && !checker.scope.assigned.has(expr.name))) {
    return checker.fail(DiagnosticCode.UnknownVariable, `variable ${expr.name} is used before it is assigned`, expr.span);
  }
  return type;
}
