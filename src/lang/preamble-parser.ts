// The C preamble that may precede the probes: preprocessor lines and struct/union/enum definitions
// that give the type checker layouts for casts. Only declarations that describe data are understood;
// anything needing a real C compiler (function pointers, expressions in macros) is kept as text or
// rejected with a clear message.
import type { CEnum, CEnumValue, CMember, CRecord, Define, Directive, Include, TypeExpr } from './ast.js';
import { DiagnosticCode } from './diagnostics.js';
import type { ExpressionParser } from './expression-parser.js';
import { span } from './source.js';
import type { TokenCursor } from './token-cursor.js';
import type { Token } from './tokens.js';
import { parseArrayDims, parsePointerDepth, parseTypeName } from './type-parser.js';

const INCLUDE = /^#\s*include\s*(?:<([^>\n]*)>|"([^"\n]*)")/;
const DEFINE = /^#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?([\s\S]*)$/;
const DIRECTIVE_NAME = /^#\s*(\w*)/;

export function parseDirective(cursor: TokenCursor, token: Token & { kind: 'Directive' }): Include | Define | Directive {
  const text = token.text.replace(/\\\r?\n/g, ' ');
  const name = DIRECTIVE_NAME.exec(text)?.[1] ?? '';
  if (name === 'include') {
    const match = INCLUDE.exec(text);
    if (!match) {
      cursor.fail(DiagnosticCode.InvalidDirective, "expected <file> or \"file\" after '#include'", token.span);
    }
    const system = match[1] !== undefined;
    return { kind: 'Include', span: token.span, path: system ? match[1] : match[2], system };
  }
  if (name === 'define') {
    const match = DEFINE.exec(text);
    if (!match) cursor.fail(DiagnosticCode.InvalidDirective, "expected a macro name after '#define'", token.span);
    const params = match[2] === undefined ? null : match[3].split(',').map((p) => p.trim()).filter((p) => p !== '');
    return { kind: 'Define', span: token.span, name: match[1], params, value: match[4].trim() };
  }
  return { kind: 'Directive', span: token.span, name, text };
}

export class CDefinitionParser {
  private readonly cursor: TokenCursor;
  private readonly expressions: ExpressionParser;

  constructor(cursor: TokenCursor, expressions: ExpressionParser) {
    this.cursor = cursor;
    this.expressions = expressions;
  }

  /** `struct X { … };`, `union U { … };` or `enum E { … };` — the trailing `;` is optional. */
  parseDefinition(): CRecord | CEnum {
    const keyword = this.cursor.next();
    if (keyword.kind !== 'Keyword' || !(keyword.value === 'struct' || keyword.value === 'union' || keyword.value === 'enum')) {
      return this.cursor.unexpected(keyword, "'struct', 'union' or 'enum'");
    }
    const definition = keyword.value === 'enum' ? this.parseEnumBody(keyword) : this.parseRecordBody(keyword, keyword.value);
    this.cursor.eatPunct(';');
    return definition;
  }

  private parseRecordBody(keyword: Token, tag: 'struct' | 'union'): CRecord {
    const name = this.cursor.peek().kind === 'Identifier' ? this.cursor.next().text : '';
    this.cursor.expectPunct('{', `to open the ${tag} definition`);
    const members: CMember[] = [];
    while (!this.cursor.eatPunct('}')) {
      const token = this.cursor.peek();
      if (token.kind === 'Eof') this.cursor.unexpected(token, `'}' to close the ${tag} definition`);
      members.push(...this.parseMemberDeclaration());
    }
    return { kind: 'CRecord', span: span(keyword.span.start, this.cursor.lastEnd), tag, name, members };
  }

  /** One declaration may declare several members: `int a, *b, c[4];`. */
  private parseMemberDeclaration(): CMember[] {
    const start = this.cursor.peek().span.start;
    const head = this.parseMemberTypeHead();
    const members: CMember[] = [];
    if (head.record !== null && this.cursor.eatPunct(';')) {
      return [{ kind: 'CMember', span: span(start, this.cursor.lastEnd), type: head, name: '', bitWidth: null }];
    }
    do {
      const pointerDepth = parsePointerDepth(this.cursor);
      if (this.cursor.isPunct('(')) {
        this.cursor.fail(DiagnosticCode.InvalidCDefinition, 'function pointer members are not supported', this.cursor.peek().span, [
          "declare the member as a plain pointer instead, e.g. 'void *callback;'",
        ]);
      }
      const name = this.cursor.expectIdentifier('a member name');
      const arrayDims = parseArrayDims(this.cursor, () => this.expressions.parseExpression());
      const bitWidth = this.cursor.eatPunct(':') ? this.expressions.parseExpression() : null;
      const type: TypeExpr = { ...head, span: span(head.span.start, this.cursor.lastEnd), pointerDepth, arrayDims };
      members.push({ kind: 'CMember', span: span(start, this.cursor.lastEnd), type, name: name.value, bitWidth });
    } while (this.cursor.eatPunct(','));
    this.cursor.expectPunct(';', 'after the member declaration');
    return members;
  }

  /** The type before a declarator, possibly an inline record: `struct { int a; } u;`. */
  private parseMemberTypeHead(): TypeExpr {
    const first = this.cursor.peek();
    const inlineRecord =
      first.kind === 'Keyword' &&
      (first.value === 'struct' || first.value === 'union') &&
      (this.cursor.isPunct('{', 1) || (this.cursor.peek(1).kind === 'Identifier' && this.cursor.isPunct('{', 2)));
    if (inlineRecord) {
      this.cursor.next();
      const record = this.parseRecordBody(first, first.value as 'struct' | 'union');
      return { kind: 'Type', span: record.span, tag: record.tag, name: record.name, record, pointerDepth: 0, arrayDims: [] };
    }
    const head = parseTypeName(this.cursor);
    return { kind: 'Type', span: span(head.start, this.cursor.lastEnd), tag: head.tag, name: head.name, record: null, pointerDepth: 0, arrayDims: [] };
  }

  private parseEnumBody(keyword: Token): CEnum {
    const name = this.cursor.peek().kind === 'Identifier' ? this.cursor.next().text : '';
    this.cursor.expectPunct('{', 'to open the enum definition');
    const values: CEnumValue[] = [];
    while (!this.cursor.eatPunct('}')) {
      const constant = this.cursor.expectIdentifier("an enumerator name or '}'");
      const value = this.cursor.eatPunct('=') ? this.expressions.parseExpression() : null;
      values.push({ kind: 'CEnumValue', span: span(constant.span.start, this.cursor.lastEnd), name: constant.value, value });
      if (!this.cursor.eatPunct(',')) {
        this.cursor.expectPunct('}', 'to close the enum definition');
        break;
      }
    }
    return { kind: 'CEnum', span: span(keyword.span.start, this.cursor.lastEnd), name, values };
  }
}
