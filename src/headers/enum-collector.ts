// Enumeration constants in header text. glibc declares many well-known constants as enumerators and
// adds a self-referential macro so `#ifdef` works (`SOCK_STREAM = 1, #define SOCK_STREAM SOCK_STREAM`),
// so a macro table without enumerators would lose SOCK_STREAM, MSG_*, IPPROTO_*. Only the shape
// `enum [tag] { NAME [= expr], … }` is recognised; everything else in the text is skipped cheaply.
import type { DefinitionSite } from './header-file.js';
import { tokenize, type PpToken } from './pp-token.js';

export interface Enumerator {
  readonly name: string;
  /** Null when the value is implicit: the previous enumerator's plus one, or 0 for the first. */
  readonly expression: readonly PpToken[] | null;
  readonly previous: string | null;
  readonly site: DefinitionSite;
}

type State = 'idle' | 'tag' | 'body' | 'name' | 'value';

export class EnumCollector {
  private state: State = 'idle';
  private tagged = false;
  private previous: string | null = null;
  private pending: { name: string; site: DefinitionSite; tokens: PpToken[] | null } | undefined;
  private depth = 0;

  constructor(private readonly sink: (enumerator: Enumerator) => void) {}

  /** One logical line of active, non-directive text. */
  feed(text: string, site: DefinitionSite): void {
    // Most header text is declarations of functions and structs: skip it without tokenizing.
    if (this.state === 'idle' && !text.includes('enum')) return;
    for (const token of tokenize(text)) this.step(token, site);
  }

  private step(token: PpToken, site: DefinitionSite): void {
    switch (this.state) {
      case 'idle':
        if (token.text === 'enum') {
          this.state = 'tag';
          this.tagged = false;
        }
        return;
      case 'tag':
        if (token.text === '{') {
          this.state = 'body';
          this.previous = null;
        } else if (token.kind === 'identifier' && !this.tagged) {
          this.tagged = true;
        } else {
          this.state = 'idle';
        }
        return;
      case 'body':
        if (token.text === '}') this.state = 'idle';
        else if (token.kind === 'identifier') {
          this.pending = { name: token.text, site, tokens: null };
          this.state = 'name';
        }
        return;
      case 'name':
        if (token.text === '=') {
          this.state = 'value';
          this.depth = 0;
          if (this.pending) this.pending.tokens = [];
        } else if (token.text === ',' || token.text === '}') {
          this.finish(token.text);
        }
        return;
      case 'value':
        if (token.text === '(') this.depth++;
        if (token.text === ')') this.depth--;
        if ((token.text === ',' || token.text === '}') && this.depth <= 0) this.finish(token.text);
        else this.pending?.tokens?.push(token);
        return;
    }
  }

  private finish(terminator: string): void {
    if (this.pending) {
      const { name, site, tokens } = this.pending;
      this.sink({ name, expression: tokens, previous: this.previous, site });
      this.previous = name;
      this.pending = undefined;
    }
    this.state = terminator === '}' ? 'idle' : 'body';
  }
}
