// Written types, shared by casts, sizeof/offsetof, `let` annotations and C member declarations. The
// pieces are separate functions because a C declarator puts the member name between the pointer
// stars and the array dimensions (`char *argv[4]`), while a cast has no name at all (`(int8[8])`).
import type { Expr, TypeExpr } from './ast.js';
import { DiagnosticCode } from './diagnostics.js';
import { C_BASE_TYPE_WORDS, C_QUALIFIERS } from './names.js';
import { span } from './source.js';
import type { TokenCursor } from './token-cursor.js';

export interface TypeName {
  readonly tag: 'struct' | 'union' | 'enum' | null;
  readonly name: string;
  readonly start: number;
}

/** `struct task_struct`, `unsigned long`, `uint8`, `pid_t`; qualifiers around it are skipped. */
export function parseTypeName(cursor: TokenCursor): TypeName {
  skipQualifiers(cursor);
  const first = cursor.peek();
  const start = first.span.start;
  if (first.kind === 'Keyword' && (first.value === 'struct' || first.value === 'union' || first.value === 'enum')) {
    cursor.next();
    const name = cursor.expectIdentifier(`a ${first.value} name after '${first.value}'`);
    skipQualifiers(cursor);
    return { tag: first.value, name: name.value, start };
  }
  if (first.kind !== 'Identifier') {
    return cursor.unexpected(first, 'a type name', [], DiagnosticCode.ExpectedType);
  }
  cursor.next();
  const words = [first.value];
  if (C_BASE_TYPE_WORDS.has(first.value)) {
    for (;;) {
      skipQualifiers(cursor);
      const word = cursor.peek();
      if (word.kind !== 'Identifier' || !C_BASE_TYPE_WORDS.has(word.value)) break;
      words.push(cursor.next().text);
    }
  }
  skipQualifiers(cursor);
  return { tag: null, name: words.join(' '), start };
}

export function parsePointerDepth(cursor: TokenCursor): number {
  let depth = 0;
  while (cursor.eatPunct('*')) {
    depth++;
    skipQualifiers(cursor);
  }
  return depth;
}

/** `[4][N]` → two dimensions; `[]` yields null for an unsized array. */
export function parseArrayDims(cursor: TokenCursor, parseExpr: () => Expr): (Expr | null)[] {
  const dims: (Expr | null)[] = [];
  while (cursor.eatPunct('[')) {
    dims.push(cursor.isPunct(']') ? null : parseExpr());
    cursor.expectPunct(']', 'to close the array dimension');
  }
  return dims;
}

/** A complete type with no declarator name: what casts, sizeof and `let $x: T` use. */
export function parseType(cursor: TokenCursor, parseExpr: () => Expr): TypeExpr {
  const head = parseTypeName(cursor);
  const pointerDepth = parsePointerDepth(cursor);
  const arrayDims = parseArrayDims(cursor, parseExpr);
  return {
    kind: 'Type',
    span: span(head.start, cursor.lastEnd),
    tag: head.tag,
    name: head.name,
    record: null,
    pointerDepth,
    arrayDims,
  };
}

function skipQualifiers(cursor: TokenCursor): void {
  for (;;) {
    const token = cursor.peek();
    if (token.kind !== 'Identifier' || !C_QUALIFIERS.has(token.value)) return;
    cursor.next();
  }
}
