// A visitor over every expression of a probe, for the passes that only need to look for something
// (which builtins a probe uses, which maps exist) without caring about statement structure.
import type { Expr, Probe, Statement } from '../lang/index.js';

export function forEachExpr(probe: Probe, visit: (expr: Expr) => void): void {
  if (probe.predicate !== null) walkExpr(probe.predicate, visit);
  walkStatement(probe.body, visit);
}

export function walkStatement(statement: Statement, visit: (expr: Expr) => void): void {
  switch (statement.kind) {
    case 'Block':
      for (const inner of statement.statements) walkStatement(inner, visit);
      return;
    case 'ExprStatement':
      walkExpr(statement.expr, visit);
      return;
    case 'Assignment':
      walkExpr(statement.target, visit);
      walkExpr(statement.value, visit);
      return;
    case 'VarDecl':
      walkExpr(statement.variable, visit);
      if (statement.value !== null) walkExpr(statement.value, visit);
      return;
    case 'If':
      walkExpr(statement.condition, visit);
      walkStatement(statement.then, visit);
      if (statement.else !== null) walkStatement(statement.else, visit);
      return;
    case 'Unroll':
      walkExpr(statement.count, visit);
      walkStatement(statement.body, visit);
      return;
    case 'While':
      walkExpr(statement.condition, visit);
      walkStatement(statement.body, visit);
      return;
    case 'For':
      walkExpr(statement.variable, visit);
      if (statement.iterable.kind === 'Range') {
        walkExpr(statement.iterable.start, visit);
        walkExpr(statement.iterable.end, visit);
      } else {
        walkExpr(statement.iterable, visit);
      }
      walkStatement(statement.body, visit);
      return;
    case 'Return':
      if (statement.value !== null) walkExpr(statement.value, visit);
      return;
    case 'Break': case 'Continue':
      return;
  }
}

export function walkExpr(expr: Expr, visit: (expr: Expr) => void): void {
  visit(expr);
  for (const child of children(expr)) walkExpr(child, visit);
}

function children(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'MapAccess': return [expr.map, ...expr.keys];
    case 'Call': return expr.args;
    case 'Unary': return [expr.operand];
    case 'Update': return [expr.operand];
    case 'Binary': return [expr.left, expr.right];
    case 'Ternary': return [expr.condition, expr.then, expr.else];
    case 'Cast': return [expr.operand];
    case 'FieldAccess': return [expr.object];
    case 'TupleAccess': return [expr.tuple];
    case 'Index': return [expr.object, expr.index];
    case 'Tuple': return expr.elements;
    case 'Sizeof': return expr.operand.kind === 'Type' ? [] : [expr.operand];
    default: return [];
  }
}
