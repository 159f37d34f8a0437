// Preprocessing tokens (C11 6.4): the unit the macro expander and the constant evaluator work on.
// Tokens carry the set of macro names that produced them (the "hide set"), which is what stops a
// self-referential macro such as glibc's `#define SOCK_STREAM SOCK_STREAM` from expanding forever.

export type PpTokenKind = 'identifier' | 'number' | 'char' | 'string' | 'punctuator' | 'other';

export interface PpToken {
  readonly kind: PpTokenKind;
  readonly text: string;
  /** Whitespace preceded the token; `#` stringizing and `F (x)` vs `F(x)` depend on it. */
  readonly spaced: boolean;
  readonly hide?: ReadonlySet<string>;
}

// Punctuators longest first, so `<<=` wins over `<<` and `<`.
const PUNCTUATORS = ['...', '<<=', '>>=', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '|=', '^=', '##'];
const SINGLE_PUNCTUATORS = new Set('-+*/%<>=!~&|^?:;,.()[]{}#');

// Hand-written rather than one regular expression with named groups: this runs on every #if
// line and typedef of every included header, and start-up time counts.
export function tokenize(text: string): PpToken[] {
  const tokens: PpToken[] = [];
  const length = text.length;
  let spaced = false;
  let at = 0;
  while (at < length) {
    const code = text.charCodeAt(at);
    if (code === 32 || (code >= 9 && code <= 13)) {
      spaced = true;
      at++;
      continue;
    }
    const start = at;
    let kind: PpTokenKind;
    const quote = literalQuote(text, at);
    if (quote >= 0) {
      at = endOfLiteral(text, quote);
      kind = text.charCodeAt(quote) === 34 ? 'string' : 'char';
    } else if (isIdentifierStart(code)) {
      do at++;
      while (at < length && isIdentifierPart(text.charCodeAt(at)));
      kind = 'identifier';
    } else if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(at + 1)))) {
      at++;
      while (at < length) {
        const next = text.charCodeAt(at);
        const exponent = (next | 32) === 101 || (next | 32) === 112;
        if (exponent && (text[at + 1] === '+' || text[at + 1] === '-')) at += 2;
        else if (isIdentifierPart(next) || next === 46) at++;
        else break;
      }
      kind = 'number';
    } else {
      const punctuator = PUNCTUATORS.find((candidate) => text.startsWith(candidate, at));
      at += punctuator?.length ?? 1;
      kind = punctuator !== undefined || SINGLE_PUNCTUATORS.has(text[start]) ? 'punctuator' : 'other';
    }
    tokens.push({ kind, text: text.slice(start, at), spaced });
    spaced = false;
  }
  return tokens;
}

/** The index of the opening quote if a string or character literal (maybe prefixed) starts here, else -1. */
function literalQuote(text: string, at: number): number {
  for (const prefix of ['', 'L', 'u', 'U', 'u8']) {
    if (!text.startsWith(prefix, at)) continue;
    const quote = text.charCodeAt(at + prefix.length);
    if (quote === 34 || (quote === 39 && prefix !== 'u8')) return at + prefix.length;
  }
  return -1;
}

/** Index just after the literal opened at `quote`; an unclosed literal ends at the line's end. */
function endOfLiteral(text: string, quote: number): number {
  const delimiter = text.charCodeAt(quote);
  let at = quote + 1;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === 92) at += 2;
    else if (code === delimiter) return at + 1;
    else if (code === 10) return at;
    else at++;
  }
  return Math.min(at, text.length);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentifierStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || isDigit(code);
}

// Comments become a space (C11 5.1.1.2 phase 3); string and character literals are matched first so
// that `"/*"` inside a literal is not mistaken for a comment. Line breaks inside block comments are
// kept so line numbers in messages stay right.
const COMMENT_OR_LITERAL = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g;

export function stripComments(text: string): string {
  return text.replace(COMMENT_OR_LITERAL, (match) => {
    if (match.startsWith('//')) return ' ';
    if (match.startsWith('/*')) return match.includes('\n') ? ' ' + '\n'.repeat(match.split('\n').length - 1) : ' ';
    return match;
  });
}

export function tokensToText(tokens: readonly PpToken[]): string {
  return tokens.map((token, index) => (index > 0 && token.spaced ? ' ' : '') + token.text).join('');
}
