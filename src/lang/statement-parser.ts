// Blocks and statements. bpftrace separates statements with `;`, allows it to be left out before a
// closing `}`, and never needs one after a statement that ends in a block (`if`, loops, nested blocks).
import type { AssignOperator, Block, Expr, For, If, Statement, VarDecl } from './ast.js';
import { DiagnosticCode } from './diagnostics.js';
import { isAssignTarget, type ExpressionParser } from './expression-parser.js';
import { joinSpans, span } from './source.js';
import type { TokenCursor } from './token-cursor.js';

const ASSIGN_OPERATORS: ReadonlySet<string> = new Set<AssignOperator>([
  '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=',
]);

const ENDS_WITH_BLOCK: ReadonlySet<Statement['kind']> = new Set(['If', 'Unroll', 'While', 'For', 'Block']);

export class StatementParser {
  private readonly cursor: TokenCursor;
  private readonly expressions: ExpressionParser;

  constructor(cursor: TokenCursor, expressions: ExpressionParser) {
    this.cursor = cursor;
    this.expressions = expressions;
  }

  parseBlock(): Block {
    const open = this.cursor.expectPunct('{', 'to open the block');
    const statements: Statement[] = [];
    for (;;) {
      if (this.cursor.eatPunct(';')) continue;
      const token = this.cursor.peek();
      if (token.kind === 'Punct' && token.value === '}') break;
      if (token.kind === 'Eof') {
        const opened = this.cursor.source.location(open.span.start);
        this.cursor.unexpected(token, "'}'", [`the block opened at line ${opened.line}, column ${opened.column} is never closed`]);
      }
      const statement = this.parseStatement();
      statements.push(statement);
      if (!ENDS_WITH_BLOCK.has(statement.kind)) this.expectStatementEnd();
    }
    this.cursor.next();
    return { kind: 'Block', span: span(open.span.start, this.cursor.lastEnd), statements };
  }

  private expectStatementEnd(): void {
    if (this.cursor.eatPunct(';') || this.cursor.isPunct('}')) return;
    this.cursor.unexpected(this.cursor.peek(), "';' or '}' after statement", [], DiagnosticCode.MissingStatementEnd);
  }

  private parseStatement(): Statement {
    const token = this.cursor.peek();
    if (token.kind === 'Punct' && token.value === '{') return this.parseBlock();
    if (token.kind === 'Keyword') {
      switch (token.value) {
        case 'if':
          return this.parseIf();
        case 'unroll': {
          this.cursor.next();
          const count = this.expressions.parseExpression();
          const body = this.parseBlock();
          return { kind: 'Unroll', span: joinSpans(token.span, body.span), count, body };
        }
        case 'while': {
          this.cursor.next();
          const condition = this.expressions.parseExpression();
          const body = this.parseBlock();
          return { kind: 'While', span: joinSpans(token.span, body.span), condition, body };
        }
        case 'for':
          return this.parseFor();
        case 'break':
          this.cursor.next();
          return { kind: 'Break', span: token.span };
        case 'continue':
          this.cursor.next();
          return { kind: 'Continue', span: token.span };
        case 'return': {
          this.cursor.next();
          const value = this.cursor.isPunct(';') || this.cursor.isPunct('}') ? null : this.expressions.parseExpression();
          return { kind: 'Return', span: span(token.span.start, this.cursor.lastEnd), value };
        }
        case 'let':
          return this.parseLet();
        default:
          break;
      }
    }
    return this.parseSimpleStatement();
  }

  /** An expression, or an assignment when an assignment operator follows it. */
  private parseSimpleStatement(): Statement {
    const expr = this.expressions.parseExpression();
    const operator = this.cursor.peek();
    if (operator.kind !== 'Punct' || !ASSIGN_OPERATORS.has(operator.value)) {
      return { kind: 'ExprStatement', span: expr.span, expr };
    }
    if (!isAssignTarget(expr)) {
      this.cursor.fail(DiagnosticCode.InvalidAssignmentTarget, 'cannot assign to this expression', expr.span, [
        'only scratch variables ($x) and maps (@x, @x[key]) can be assigned',
      ]);
    }
    this.cursor.next();
    const value = this.expressions.parseExpression();
    return {
      kind: 'Assignment', span: joinSpans(expr.span, value.span), operator: operator.value as AssignOperator, operatorSpan: operator.span,
      target: expr, value,
    };
  }

  private parseIf(): If {
    const keyword = this.cursor.next();
    const condition = this.expressions.parseExpression();
    const then = this.parseBlock();
    let otherwise: Block | If | null = null;
    if (this.cursor.eatKeyword('else')) {
      otherwise = this.cursor.isKeyword('if') ? this.parseIf() : this.parseBlock();
    }
    return { kind: 'If', span: span(keyword.span.start, this.cursor.lastEnd), condition, then, else: otherwise };
  }

  private parseFor(): For {
    const keyword = this.cursor.next();
    this.cursor.expectPunct('(', "after 'for'");
    const variable = this.cursor.peek();
    if (variable.kind !== 'Variable') return this.cursor.unexpected(variable, "a $variable after 'for ('");
    this.cursor.next();
    this.cursor.expectPunct(':', 'after the loop variable');
    const map = this.cursor.peek();
    let iterable: For['iterable'];
    if (map.kind === 'Map' && this.cursor.isPunct(')', 1)) {
      this.cursor.next();
      iterable = { kind: 'Map', span: map.span, name: map.value };
    } else {
      const start = this.expressions.parseExpression();
      this.cursor.expectPunct('..', 'in the range (write start..end), or a map to iterate over');
      const end = this.expressions.parseExpression();
      iterable = { kind: 'Range', span: joinSpans(start.span, end.span), start, end };
    }
    this.cursor.expectPunct(')', "to close the 'for' header");
    const body = this.parseBlock();
    return {
      kind: 'For',
      span: joinSpans(keyword.span, body.span),
      variable: { kind: 'Variable', span: variable.span, name: variable.value },
      iterable,
      body,
    };
  }

  private parseLet(): VarDecl {
    const keyword = this.cursor.next();
    const variable = this.cursor.peek();
    if (variable.kind !== 'Variable') return this.cursor.unexpected(variable, "a $variable after 'let'");
    this.cursor.next();
    const type = this.cursor.eatPunct(':') ? this.expressions.parseType() : null;
    let value: Expr | null = null;
    if (this.cursor.eatPunct('=')) value = this.expressions.parseExpression();
    return {
      kind: 'VarDecl',
      span: span(keyword.span.start, this.cursor.lastEnd),
      variable: { kind: 'Variable', span: variable.span, name: variable.value },
      type,
      value,
    };
  }
}
