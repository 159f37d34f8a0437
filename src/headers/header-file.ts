// One header's text split into logical lines: directives parsed into records, other lines kept as
// text for the enum collector. Parsing is per file and cached for the life of the process, so a
// header reached through several includes (or several scripts) is read and split once. Macro
// bodies stay text until a lookup needs them (see MacroDefinition.body).
import { readFileSync } from 'node:fs';
import { stripComments, tokenize, type PpToken } from './pp-token.js';

export type HeaderLine =
  | { readonly kind: 'define'; readonly line: number; readonly definition: MacroDefinition }
  | { readonly kind: 'undef'; readonly line: number; readonly name: string }
  | { readonly kind: 'include'; readonly line: number; readonly next: boolean; readonly target: string }
  | { readonly kind: 'if' | 'elif'; readonly line: number; readonly condition: string }
  | { readonly kind: 'ifdef' | 'ifndef'; readonly line: number; readonly name: string }
  | { readonly kind: 'else' | 'endif' | 'once'; readonly line: number }
  | { readonly kind: 'error'; readonly line: number; readonly message: string }
  | { readonly kind: 'text'; readonly line: number; readonly text: string };

export interface HeaderFile {
  readonly path: string;
  readonly lines: readonly HeaderLine[];
}

/** Where a definition came from: a header path, `<script>`, or a built-in table's name. */
export interface DefinitionSite {
  readonly file: string;
  readonly line: number;
}

export class MacroDefinition {
  private tokens: PpToken[] | undefined;

  constructor(
    readonly name: string,
    /** Null for an object-like macro. A variadic macro's last parameter is `__VA_ARGS__`. */
    readonly params: readonly string[] | null,
    readonly bodyText: string,
    readonly site: DefinitionSite,
  ) {}

  get body(): readonly PpToken[] {
    this.tokens ??= tokenize(this.bodyText);
    return this.tokens;
  }
}

const DIRECTIVE = /^\s*#\s*([A-Za-z_]\w*)?\s*([\s\S]*)$/;
const DEFINE = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*([\s\S]*)$/;
const NAME = /^([A-Za-z_]\w*)/;

/** Parses one logical line: a directive record, `text` for other lines, null for ignored directives. */
export function parseDirectiveLine(text: string, site: DefinitionSite): HeaderLine | null {
  const match = DIRECTIVE.exec(text);
  if (!match) return { kind: 'text', line: site.line, text };
  const [, keyword = '', rest] = match;
  const line = site.line;
  switch (keyword) {
    case 'define': {
      const define = DEFINE.exec(rest);
      if (!define) return null;
      const [, name, paramList, params, body] = define;
      return { kind: 'define', line, definition: new MacroDefinition(name, paramList === undefined ? null : parseParams(params), body.trim(), site) };
    }
    case 'undef':
    case 'ifdef':
    case 'ifndef': {
      const name = NAME.exec(rest)?.[1];
      return name === undefined ? null : { kind: keyword, line, name };
    }
    case 'include':
    case 'include_next':
      return { kind: 'include', line, next: keyword === 'include_next', target: rest.trim() };
    case 'if':
    case 'elif':
      return { kind: keyword, line, condition: rest };
    case 'else':
    case 'endif':
      return { kind: keyword, line };
    case 'error':
      return { kind: 'error', line, message: rest.trim() };
    case 'pragma':
      return rest.trim() === 'once' ? { kind: 'once', line } : null;
    default:
      // #warning, #line, #ident, #sccs and the null directive do not affect macro values.
      return null;
  }
}

function parseParams(list: string): string[] {
  return list
    .split(',')
    .map((param) => param.trim())
    .filter((param) => param !== '')
    .map((param) => (param === '...' ? '__VA_ARGS__' : param.replace(/\.\.\.$/, '')));
}

/** Splits header text into logical lines (comments removed, backslash continuations joined). */
export function parseHeaderText(path: string, text: string): HeaderFile {
  const physical = stripComments(text).split('\n');
  const lines: HeaderLine[] = [];
  for (let index = 0; index < physical.length; index++) {
    const first = index + 1;
    let logical = physical[index];
    while (logical.endsWith('\\') && index + 1 < physical.length) {
      logical = logical.slice(0, -1) + physical[++index];
    }
    if (logical.trim() === '') continue;
    const parsed = parseDirectiveLine(logical, { file: path, line: first });
    if (parsed) lines.push(parsed);
  }
  return { path, lines };
}

const fileCache = new Map<string, HeaderFile | null>();

/** The parsed header at `path`, or null if it cannot be read. Cached per process, misses included. */
export function loadHeaderFile(path: string): HeaderFile | null {
  let cached = fileCache.get(path);
  if (cached === undefined) {
    cached = readHeader(path);
    fileCache.set(path, cached);
  }
  return cached;
}

function readHeader(path: string): HeaderFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return null;
  }
  return parseHeaderText(path, text.replace(/\r\n?/g, '\n'));
}
