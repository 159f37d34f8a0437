// Token shapes shared by the scanner and the parser.
import type { Span } from './source.js';

/** Operators and punctuation, longest first so the scanner can take the first prefix that matches. */
export const PUNCTUATORS = [
  '<<=', '>>=',
  '==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '++', '--', '->', '..',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '<', '>', '=', '?', ':', ';', ',', '.',
  '(', ')', '[', ']', '{', '}',
] as const;

export type Punctuator = (typeof PUNCTUATORS)[number];

export const KEYWORDS = [
  'if', 'else', 'unroll', 'while', 'for', 'break', 'continue', 'return', 'let',
  'sizeof', 'offsetof', 'struct', 'union', 'enum', 'true', 'false',
] as const;

export type Keyword = (typeof KEYWORDS)[number];

const keywordSet: ReadonlySet<string> = new Set(KEYWORDS);

export function isKeyword(word: string): word is Keyword {
  return keywordSet.has(word);
}

interface TokenBase {
  readonly span: Span;
  /** The exact source text of the token. */
  readonly text: string;
}

export type Token =
  | (TokenBase & { readonly kind: 'Punct'; readonly value: Punctuator })
  | (TokenBase & { readonly kind: 'Keyword'; readonly value: Keyword })
  /** Builtins (`pid`, `comm`, `arg0`), function names, type names and field names alike. */
  | (TokenBase & { readonly kind: 'Identifier'; readonly value: string })
  /** `$name`; value keeps the sigil, as users write it. */
  | (TokenBase & { readonly kind: 'Variable'; readonly value: string })
  /** `@name` or the bare `@`; value keeps the sigil. */
  | (TokenBase & { readonly kind: 'Map'; readonly value: string })
  /** `$1`, `$2`, …: the command-line argument index. */
  | (TokenBase & { readonly kind: 'Positional'; readonly value: number })
  /** `$#`: the number of command-line arguments. */
  | (TokenBase & { readonly kind: 'ParamCount' })
  | (TokenBase & { readonly kind: 'Integer'; readonly value: bigint; readonly suffix: string })
  /** value is the decoded string, escapes resolved. */
  | (TokenBase & { readonly kind: 'String'; readonly value: string })
  /** A whole `#...` line of the C preamble, backslash continuations included. */
  | (TokenBase & { readonly kind: 'Directive' })
  /** A probe attach point such as `uprobe:/bin/bash:readline`, only produced in header mode. */
  | (TokenBase & { readonly kind: 'AttachPoint' })
  | (TokenBase & { readonly kind: 'Eof' });

export type TokenKind = Token['kind'];

/** How a token is named in "unexpected …" messages. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'Punct':
    case 'Keyword':
      return `'${token.value}'`;
    case 'Identifier':
      return `identifier '${token.text}'`;
    case 'Variable':
      return `variable '${token.text}'`;
    case 'Map':
      return `map '${token.text}'`;
    case 'Positional':
    case 'ParamCount':
      return `positional parameter '${token.text}'`;
    case 'Integer':
      return `integer '${token.text}'`;
    case 'String':
      return 'string literal';
    case 'Directive':
      return 'preprocessor directive';
    case 'AttachPoint':
      return `attach point '${token.text}'`;
    case 'Eof':
      return 'end of input';
  }
}
