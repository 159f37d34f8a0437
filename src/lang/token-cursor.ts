// The parser's view of the token stream: body-mode lookahead buffered from the end of the last
// consumed token, header-mode tokens scanned on request, and cheap backtracking by offset (the
// scanner is stateless, so rewinding is just forgetting the buffer).
import { CompileError, DiagnosticCode, error } from './diagnostics.js';
import { Scanner } from './scanner.js';
import type { Source, Span } from './source.js';
import { describeToken, type Keyword, type Punctuator, type Token } from './tokens.js';

export class TokenCursor {
  readonly source: Source;
  private readonly scanner: Scanner;
  /** End offset of the last consumed token: where scanning resumes. */
  private offset = 0;
  private lookahead: Token[] = [];

  constructor(source: Source) {
    this.source = source;
    this.scanner = new Scanner(source);
  }

  /** End of the last consumed token, for closing a node's span. */
  get lastEnd(): number {
    return this.offset;
  }

  peek(distance = 0): Token {
    while (this.lookahead.length <= distance) {
      const last = this.lookahead[this.lookahead.length - 1];
      const from = last === undefined ? this.offset : last.span.end;
      this.lookahead.push(this.scanner.scan(from, 'body'));
    }
    return this.lookahead[distance];
  }

  next(): Token {
    const token = this.peek();
    this.consume(token);
    return token;
  }

  /** The next token scanned as part of a probe header; see scanner.ts for why headers differ. */
  peekHeader(): Token {
    return this.scanner.scan(this.offset, 'header');
  }

  nextHeader(): Token {
    const token = this.peekHeader();
    this.consume(token);
    return token;
  }

  mark(): number {
    return this.offset;
  }

  reset(mark: number): void {
    this.offset = mark;
    this.lookahead = [];
  }

  isPunct(value: Punctuator, distance = 0): boolean {
    const token = this.peek(distance);
    return token.kind === 'Punct' && token.value === value;
  }

  isKeyword(value: Keyword, distance = 0): boolean {
    const token = this.peek(distance);
    return token.kind === 'Keyword' && token.value === value;
  }

  eatPunct(value: Punctuator): Token | null {
    return this.isPunct(value) ? this.next() : null;
  }

  eatKeyword(value: Keyword): Token | null {
    return this.isKeyword(value) ? this.next() : null;
  }

  /** Consumes `value` or fails with "unexpected X, expected 'value' <context>". */
  expectPunct(value: Punctuator, context = ''): Token {
    const token = this.peek();
    if (token.kind === 'Punct' && token.value === value) return this.next();
    return this.unexpected(token, `'${value}'${context ? ' ' + context : ''}`);
  }

  expectIdentifier(what: string): Token & { kind: 'Identifier' } {
    const token = this.peek();
    if (token.kind === 'Identifier') {
      this.next();
      return token;
    }
    return this.unexpected(token, what);
  }

  unexpected(token: Token, expected: string, hints: readonly string[] = [], code: DiagnosticCode = DiagnosticCode.UnexpectedToken): never {
    return this.fail(code, `unexpected ${describeToken(token)}, expected ${expected}`, token.span, hints);
  }

  fail(code: DiagnosticCode, message: string, at: Span, hints: readonly string[] = []): never {
    throw new CompileError(this.source, [error(code, message, at, hints)]);
  }

  private consume(token: Token): void {
    this.offset = token.span.end;
    if (this.lookahead[0] === token) this.lookahead.shift();
    else this.lookahead = [];
  }
}
