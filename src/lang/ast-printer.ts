// A compact S-expression rendering of the AST: `(+ 1 (* 2 3))`. It makes parser tests readable and
// serves debug dumps; it is not meant to round-trip to source.
import type { Expr, Statement, TypeExpr } from './ast.js';

export function printType(type: TypeExpr): string {
  const base = type.tag === null ? type.name : `${type.tag} ${type.name || '<anonymous>'}`;
  const pointers = type.pointerDepth > 0 ? ' ' + '*'.repeat(type.pointerDepth) : '';
  const dims = type.arrayDims.map((d) => `[${d === null ? '' : printExpr(d)}]`).join('');
  return base + pointers + dims;
}

export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'Integer':
      return expr.value.toString();
    case 'String':
      return JSON.stringify(expr.value);
    case 'Boolean':
      return String(expr.value);
    case 'Variable':
    case 'Map':
    case 'Identifier':
      return expr.name;
    case 'MapAccess':
      return list('[]', expr.map.name, ...expr.keys.map(printExpr));
    case 'PositionalParam':
      return `$${expr.index}`;
    case 'ParamCount':
      return '$#';
    case 'Call':
      return list('call', expr.callee, ...expr.args.map(printExpr));
    case 'Unary':
      return list(expr.operator, printExpr(expr.operand));
    case 'Update':
      return list(expr.prefix ? `${expr.operator}pre` : `post${expr.operator}`, printExpr(expr.operand));
    case 'Binary':
      return list(expr.operator, printExpr(expr.left), printExpr(expr.right));
    case 'Ternary':
      return list('?', printExpr(expr.condition), printExpr(expr.then), printExpr(expr.else));
    case 'Cast':
      return list('cast', `<${printType(expr.type)}>`, printExpr(expr.operand));
    case 'FieldAccess':
      return list(expr.arrow ? '->' : '.', printExpr(expr.object), expr.field);
    case 'TupleAccess':
      return list('.', printExpr(expr.tuple), String(expr.index));
    case 'Index':
      return list('index', printExpr(expr.object), printExpr(expr.index));
    case 'Tuple':
      return list('tuple', ...expr.elements.map(printExpr));
    case 'Sizeof':
      return list('sizeof', expr.operand.kind === 'Type' ? `<${printType(expr.operand)}>` : printExpr(expr.operand));
    case 'Offsetof':
      return list('offsetof', `<${printType(expr.type)}>`, expr.field.join('.'));
  }
}

export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case 'ExprStatement':
      return printExpr(statement.expr);
    case 'Assignment':
      return list(statement.operator, printExpr(statement.target), printExpr(statement.value));
    case 'VarDecl':
      return list(
        'let',
        statement.variable.name,
        ...(statement.type ? [`<${printType(statement.type)}>`] : []),
        ...(statement.value ? [printExpr(statement.value)] : []),
      );
    case 'If':
      return list('if', printExpr(statement.condition), printStatement(statement.then), ...(statement.else ? [printStatement(statement.else)] : []));
    case 'Unroll':
      return list('unroll', printExpr(statement.count), printStatement(statement.body));
    case 'While':
      return list('while', printExpr(statement.condition), printStatement(statement.body));
    case 'For': {
      const iterable = statement.iterable;
      const over = iterable.kind === 'Range' ? list('..', printExpr(iterable.start), printExpr(iterable.end)) : iterable.name;
      return list('for', statement.variable.name, over, printStatement(statement.body));
    }
    case 'Break':
      return '(break)';
    case 'Continue':
      return '(continue)';
    case 'Return':
      return statement.value ? list('return', printExpr(statement.value)) : '(return)';
    case 'Block':
      return `{${statement.statements.map(printStatement).join('; ')}}`;
  }
}

function list(...items: string[]): string {
  return `(${items.join(' ')})`;
}
