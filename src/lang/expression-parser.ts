// Expressions by precedence climbing over C's operator table. Assignment is not an expression in
// bpftrace; statement-parser.ts handles it.
import type {
  AssignTarget, BinaryOperator, Expr, MapRef, Sizeof, Offsetof, TypeExpr, UnaryOperator,
} from './ast.js';
import { CompileError, DiagnosticCode } from './diagnostics.js';
import { printType } from './ast-printer.js';
import { isBuiltinName, isKnownTypeName } from './names.js';
import { joinSpans, span } from './source.js';
import type { TokenCursor } from './token-cursor.js';
import type { Token } from './tokens.js';
import { parseType } from './type-parser.js';

const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map<BinaryOperator, number>([
  ['||', 1], ['&&', 2], ['|', 3], ['^', 4], ['&', 5],
  ['==', 6], ['!=', 6], ['<', 7], ['<=', 7], ['>', 7], ['>=', 7],
  ['<<', 8], ['>>', 8], ['+', 9], ['-', 9], ['*', 10], ['/', 10], ['%', 10],
]);

const UNARY_OPERATORS: ReadonlySet<string> = new Set<UnaryOperator>(['-', '!', '~', '*', '&']);

/** Operators that could equally continue `(x)` as a binary expression, so they never prove a cast. */
const AMBIGUOUS_AFTER_PAREN: ReadonlySet<string> = new Set(['-', '*', '&', '++', '--']);

export function isAssignTarget(expr: Expr): expr is AssignTarget {
  return expr.kind === 'Variable' || expr.kind === 'Map' || expr.kind === 'MapAccess';
}

export class ExpressionParser {
  private readonly cursor: TokenCursor;
  /** Inside `/…/`, a `/` followed by `{` closes the predicate instead of dividing. */
  private inPredicate = false;

  constructor(cursor: TokenCursor) {
    this.cursor = cursor;
  }

  parseExpression(): Expr {
    const condition = this.parseBinary(1);
    if (!this.cursor.eatPunct('?')) return condition;
    const then = this.parseExpression();
    this.cursor.expectPunct(':', "to separate the branches of '?'");
    const otherwise = this.parseExpression();
    return { kind: 'Ternary', span: joinSpans(condition.span, otherwise.span), condition, then, else: otherwise };
  }

  /** The expression between a predicate's slashes; the caller consumes both slashes. */
  parsePredicate(): Expr {
    this.inPredicate = true;
    try {
      return this.parseExpression();
    } finally {
      this.inPredicate = false;
    }
  }

  parseType(): TypeExpr {
    return parseType(this.cursor, () => this.parseExpression());
  }

  private parseBinary(minPrecedence: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const token = this.cursor.peek();
      if (token.kind !== 'Punct') return left;
      const precedence = BINARY_PRECEDENCE.get(token.value);
      if (precedence === undefined || precedence < minPrecedence) return left;
      if (token.value === '/' && this.inPredicate && this.endsPredicate()) return left;
      this.cursor.next();
      const right = this.parseBinary(precedence + 1);
      left = {
        kind: 'Binary', span: joinSpans(left.span, right.span), operator: token.value as BinaryOperator, operatorSpan: token.span, left, right,
      };
    }
  }

  private endsPredicate(): boolean {
    const after = this.cursor.peek(1);
    return after.kind === 'Eof' || (after.kind === 'Punct' && after.value === '{');
  }

  private parseUnary(): Expr {
    const token = this.cursor.peek();
    if (token.kind === 'Punct') {
      if (UNARY_OPERATORS.has(token.value)) {
        this.cursor.next();
        const operand = this.parseUnary();
        return { kind: 'Unary', span: joinSpans(token.span, operand.span), operator: token.value as UnaryOperator, operand };
      }
      if (token.value === '++' || token.value === '--') {
        this.cursor.next();
        const operand = this.parseUnary();
        return { kind: 'Update', span: joinSpans(token.span, operand.span), operator: token.value, prefix: true, operand: this.updateTarget(operand, token) };
      }
      if (token.value === '(') {
        const cast = this.tryParseCast();
        if (cast) return cast;
      }
    }
    if (token.kind === 'Keyword' && token.value === 'sizeof') return this.parsePostfix(this.parseSizeof());
    if (token.kind === 'Keyword' && token.value === 'offsetof') return this.parsePostfix(this.parseOffsetof());
    return this.parsePostfix(this.parsePrimary());
  }

  /**
   * `(T)x` and `(x)` look alike. A struct/union/enum tag, pointer stars, array brackets or a known type
   * name make it a type; a builtin never is; an unknown bare name is taken as a type (a typedef) only
   * when what follows could not continue a parenthesised expression.
   */
  private tryParseCast(): Expr | null {
    const mark = this.cursor.mark();
    const open = this.cursor.next();
    const type = this.tryParseCastType();
    if (type && this.cursor.isPunct(')')) {
      const after = this.cursor.peek(1);
      if (this.isCastFollower(type, after)) {
        this.cursor.next();
        const operand = this.parseUnary();
        return { kind: 'Cast', span: joinSpans(open.span, operand.span), type, operand };
      }
      // `(uint8);` can only be a cast that lost its operand: no expression is a bare type.
      if (isDefiniteType(type)) {
        this.cursor.unexpected(after, `an expression to cast to '${printType(type)}'`, [], DiagnosticCode.ExpectedExpression);
      }
    }
    this.cursor.reset(mark);
    return null;
  }

  private tryParseCastType(): TypeExpr | null {
    const first = this.cursor.peek();
    const startsType =
      (first.kind === 'Keyword' && (first.value === 'struct' || first.value === 'union' || first.value === 'enum')) ||
      (first.kind === 'Identifier' && !isBuiltinName(first.value));
    if (!startsType) return null;
    try {
      return this.parseType();
    } catch (caught) {
      if (caught instanceof CompileError) return null;
      throw caught;
    }
  }

  private isCastFollower(type: TypeExpr, after: Token): boolean {
    if (!canStartOperand(after)) return false;
    if (isDefiniteType(type)) return true;
    return !(after.kind === 'Punct' && AMBIGUOUS_AFTER_PAREN.has(after.value));
  }

  private parsePrimary(): Expr {
    const token = this.cursor.peek();
    switch (token.kind) {
      case 'Integer':
        this.cursor.next();
        return { kind: 'Integer', span: token.span, value: token.value, suffix: token.suffix };
      case 'String':
        this.cursor.next();
        return { kind: 'String', span: token.span, value: token.value };
      case 'Variable':
        this.cursor.next();
        return { kind: 'Variable', span: token.span, name: token.value };
      case 'Positional':
        this.cursor.next();
        return { kind: 'PositionalParam', span: token.span, index: token.value };
      case 'ParamCount':
        this.cursor.next();
        return { kind: 'ParamCount', span: token.span };
      case 'Map':
        this.cursor.next();
        return this.parseMapKeys({ kind: 'Map', span: token.span, name: token.value });
      case 'Identifier':
        this.cursor.next();
        if (this.cursor.isPunct('(')) return this.parseCall(token);
        return { kind: 'Identifier', span: token.span, name: token.value };
      case 'Keyword':
        if (token.value === 'true' || token.value === 'false') {
          this.cursor.next();
          return { kind: 'Boolean', span: token.span, value: token.value === 'true' };
        }
        break;
      case 'Punct':
        if (token.value === '(') return this.parseParenthesized();
        break;
    }
    return this.cursor.unexpected(token, 'an expression', [], DiagnosticCode.ExpectedExpression);
  }

  private parseMapKeys(map: MapRef): Expr {
    if (!this.cursor.eatPunct('[')) return map;
    const keys = this.parseList(']', 'to close the map key');
    return { kind: 'MapAccess', span: span(map.span.start, this.cursor.lastEnd), map, keys };
  }

  private parseCall(callee: Token & { kind: 'Identifier' }): Expr {
    this.cursor.next();
    const args = this.cursor.isPunct(')') ? [] : this.parseList(')', `to close the call to ${callee.value}()`);
    if (args.length === 0) this.cursor.expectPunct(')', `to close the call to ${callee.value}()`);
    return { kind: 'Call', span: span(callee.span.start, this.cursor.lastEnd), callee: callee.value, calleeSpan: callee.span, args };
  }

  /** Comma-separated expressions up to and including `close`. */
  private parseList(close: ')' | ']', context: string): Expr[] {
    const items = [this.parseExpression()];
    while (this.cursor.eatPunct(',')) items.push(this.parseExpression());
    const token = this.cursor.peek();
    if (!(token.kind === 'Punct' && token.value === close)) this.cursor.unexpected(token, `',' or '${close}' ${context}`);
    this.cursor.next();
    return items;
  }

  /**
   * `(e)` is grouping; `(a, b)` and `(a,)` are tuples. A grouped expression's span takes in its
   * parentheses, so errors about it, or about `(e)->field` built on it, start where it starts.
   */
  private parseParenthesized(): Expr {
    const open = this.cursor.next();
    const first = this.parseExpression();
    if (this.cursor.eatPunct(')')) return { ...first, span: span(open.span.start, this.cursor.lastEnd) };
    if (!this.cursor.isPunct(',')) return this.cursor.unexpected(this.cursor.peek(), "',' or ')'");
    const elements = [first];
    while (this.cursor.eatPunct(',')) {
      if (this.cursor.isPunct(')')) break;
      elements.push(this.parseExpression());
    }
    this.cursor.expectPunct(')', 'to close the tuple');
    return { kind: 'Tuple', span: span(open.span.start, this.cursor.lastEnd), elements };
  }

  private parsePostfix(base: Expr): Expr {
    let expr = base;
    for (;;) {
      const token = this.cursor.peek();
      if (token.kind !== 'Punct') return expr;
      if (token.value === '.' || token.value === '->') {
        this.cursor.next();
        expr = this.parseMember(expr, token.value === '->');
      } else if (token.value === '[') {
        this.cursor.next();
        const index = this.parseExpression();
        this.cursor.expectPunct(']', 'to close the index');
        expr = { kind: 'Index', span: span(expr.span.start, this.cursor.lastEnd), object: expr, index };
      } else if (token.value === '++' || token.value === '--') {
        this.cursor.next();
        expr = { kind: 'Update', span: joinSpans(expr.span, token.span), operator: token.value, prefix: false, operand: this.updateTarget(expr, token) };
      } else {
        return expr;
      }
    }
  }

  private parseMember(object: Expr, arrow: boolean): Expr {
    const name = this.cursor.next();
    if (name.kind === 'Integer' && !arrow) {
      if (name.suffix !== '' || name.text !== String(name.value)) {
        this.cursor.fail(DiagnosticCode.InvalidTupleIndex, `invalid tuple index '${name.text}'`, name.span, ['tuple fields are numbered 0, 1, 2, …']);
      }
      return { kind: 'TupleAccess', span: joinSpans(object.span, name.span), tuple: object, index: Number(name.value) };
    }
    if (name.kind === 'Identifier' || name.kind === 'Keyword') {
      return { kind: 'FieldAccess', span: joinSpans(object.span, name.span), object, field: name.text, arrow };
    }
    return this.cursor.unexpected(name, arrow ? "a field name after '->'" : "a field name or tuple index after '.'");
  }

  private updateTarget(operand: Expr, operator: Token): AssignTarget {
    if (isAssignTarget(operand)) return operand;
    return this.cursor.fail(
      DiagnosticCode.InvalidUpdateTarget,
      `'${operator.text}' can only be applied to a $variable or an @map`,
      operand.span,
    );
  }

  private parseSizeof(): Sizeof {
    const keyword = this.cursor.next();
    this.cursor.expectPunct('(', "after 'sizeof'");
    const operand = this.looksLikeType() ? this.parseType() : this.parseExpression();
    this.cursor.expectPunct(')', "to close 'sizeof'");
    return { kind: 'Sizeof', span: span(keyword.span.start, this.cursor.lastEnd), operand };
  }

  private parseOffsetof(): Offsetof {
    const keyword = this.cursor.next();
    this.cursor.expectPunct('(', "after 'offsetof'");
    const type = this.parseType();
    this.cursor.expectPunct(',', "between the type and the field in 'offsetof'");
    const field = [this.cursor.expectIdentifier('a field name').value];
    while (this.cursor.eatPunct('.')) field.push(this.cursor.expectIdentifier("a field name after '.'").value);
    this.cursor.expectPunct(')', "to close 'offsetof'");
    return { kind: 'Offsetof', span: span(keyword.span.start, this.cursor.lastEnd), type, field };
  }

  /** Inside sizeof(): a tag, or a non-builtin name not followed by something only expressions have. */
  private looksLikeType(): boolean {
    const first = this.cursor.peek();
    if (first.kind === 'Keyword') return first.value === 'struct' || first.value === 'union' || first.value === 'enum';
    if (first.kind !== 'Identifier' || isBuiltinName(first.value)) return false;
    const after = this.cursor.peek(1);
    if (after.kind === 'Identifier') return true;
    return after.kind === 'Punct' && (after.value === ')' || after.value === '*' || after.value === '[');
  }
}

/** Written so that it cannot be read as an expression. */
function isDefiniteType(type: TypeExpr): boolean {
  return type.tag !== null || type.pointerDepth > 0 || type.arrayDims.length > 0 || isKnownTypeName(type.name);
}

function canStartOperand(token: Token): boolean {
  switch (token.kind) {
    case 'Integer':
    case 'String':
    case 'Variable':
    case 'Map':
    case 'Positional':
    case 'ParamCount':
    case 'Identifier':
      return true;
    case 'Keyword':
      return token.value === 'sizeof' || token.value === 'offsetof' || token.value === 'true' || token.value === 'false';
    case 'Punct':
      return ['(', '-', '!', '~', '*', '&', '++', '--'].includes(token.value);
    default:
      return false;
  }
}
