// Turns source text into tokens on demand. The scanner is stateless: `scan(offset, mode)` returns the
// token starting at the first non-blank character at or after `offset`, so the parser can look ahead,
// back up, and switch modes simply by scanning again from an offset it remembered.
//
// Two modes exist because probe headers are not made of ordinary tokens: `uprobe:/lib/libc.so.6:malloc`
// or `kprobe:vfs_*` would be a dozen operators in body mode. Only the parser knows where a header may
// start (beginning of the program or after a probe's closing `}`, once the C preamble is over), so it
// asks for `header` mode exactly there and gets the whole attach point back as one token.
import { CompileError, DiagnosticCode, error } from './diagnostics.js';
import { decodeInteger, isIntegerProblem } from './integer-literal.js';
import { span, type Source, type Span } from './source.js';
import { isKeyword, PUNCTUATORS, type Token } from './tokens.js';

export type ScanMode = 'body' | 'header';

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['n', '\n'], ['t', '\t'], ['r', '\r'], ['a', '\x07'], ['b', '\b'], ['f', '\f'], ['v', '\v'],
  ['\\', '\\'], ['"', '"'], ["'", "'"], ['?', '?'],
]);

export class Scanner {
  readonly source: Source;
  private readonly text: string;

  constructor(source: Source) {
    this.source = source;
    this.text = source.text;
  }

  scan(offset: number, mode: ScanMode): Token {
    const start = this.skipLayout(offset);
    if (start >= this.text.length) return { kind: 'Eof', text: '', span: span(start, start) };
    if (this.text[start] === '#') return this.scanDirective(start);
    if (mode === 'header') {
      const end = this.attachPointEnd(start);
      // Nothing that can begin an attach point here: hand back the ordinary token so the parser can
      // say what it found instead.
      if (end > start) return { kind: 'AttachPoint', text: this.text.slice(start, end), span: span(start, end) };
    }
    return this.scanBodyToken(start);
  }

  /** Skips blanks and comments; a block comment left open is an error at its opening `/*`. */
  private skipLayout(offset: number): number {
    let i = offset;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
        i++;
      } else if (c === '/' && this.text[i + 1] === '/') {
        const newline = this.text.indexOf('\n', i);
        i = newline === -1 ? this.text.length : newline + 1;
      } else if (c === '/' && this.text[i + 1] === '*') {
        const close = this.text.indexOf('*/', i + 2);
        if (close === -1) this.fail(DiagnosticCode.UnterminatedComment, 'unterminated comment', span(i, i + 2));
        i = close + 2;
      } else {
        break;
      }
    }
    return i;
  }

  /** A preprocessor line runs to the end of the line, extended by a trailing backslash as in C. */
  private scanDirective(start: number): Token {
    let end = start;
    for (;;) {
      const newline = this.text.indexOf('\n', end);
      if (newline === -1) {
        end = this.text.length;
        break;
      }
      const line = this.text.slice(end, newline).replace(/\r$/, '');
      if (!line.endsWith('\\')) {
        end = newline;
        break;
      }
      end = newline + 1;
    }
    const text = this.text.slice(start, end).replace(/\r$/, '');
    return { kind: 'Directive', text, span: span(start, start + text.length) };
  }

  private attachPointEnd(start: number): number {
    let i = start;
    let segmentStart = start;
    while (i < this.text.length) {
      const c = this.text[i];
      if (/\s/.test(c) || c === '{' || c === '}' || c === ',') break;
      if (c === '/' && !this.slashContinuesAttachPoint(segmentStart, i)) break;
      if (c === ':') segmentStart = i + 1;
      if (c === '"') {
        const close = this.text.indexOf('"', i + 1);
        const newline = this.text.indexOf('\n', i + 1);
        if (close === -1 || (newline !== -1 && newline < close)) {
          this.fail(DiagnosticCode.UnterminatedAttachPoint, 'unterminated quoted attach point', span(i, i + 1));
        }
        i = close + 1;
        continue;
      }
      i++;
    }
    return i;
  }

  /**
   * `/` belongs to a path segment (`uprobe:/bin/bash:readline`, `uprobe:./a.out:f`); anywhere else it
   * opens a predicate, as in `kprobe:f/pid == 1/`, or a comment.
   */
  private slashContinuesAttachPoint(segmentStart: number, at: number): boolean {
    if (segmentStart === at) return this.text[at + 1] !== '/' && this.text[at + 1] !== '*';
    const first = this.text[segmentStart];
    return first === '/' || first === '.';
  }

  private scanBodyToken(start: number): Token {
    const c = this.text[start];
    if (c === '"') return this.scanString(start);
    if (isDigit(c)) return this.scanNumber(start);
    if (isIdentifierStart(c)) {
      const end = this.identifierEnd(start);
      const word = this.text.slice(start, end);
      const at = span(start, end);
      return isKeyword(word)
        ? { kind: 'Keyword', value: word, text: word, span: at }
        : { kind: 'Identifier', value: word, text: word, span: at };
    }
    if (c === '$') return this.scanDollar(start);
    if (c === '@') {
      const end = isIdentifierStart(this.text[start + 1] ?? '') ? this.identifierEnd(start + 1) : start + 1;
      const text = this.text.slice(start, end);
      return { kind: 'Map', value: text, text, span: span(start, end) };
    }
    for (const p of PUNCTUATORS) {
      if (this.text.startsWith(p, start)) return { kind: 'Punct', value: p, text: p, span: span(start, start + p.length) };
    }
    const codePoint = this.text.codePointAt(start) ?? 0;
    const shown = codePoint < 0x20 || codePoint === 0x7f ? `\\x${codePoint.toString(16).padStart(2, '0')}` : String.fromCodePoint(codePoint);
    return this.fail(DiagnosticCode.InvalidCharacter, `invalid character '${shown}'`, span(start, start + (codePoint > 0xffff ? 2 : 1)));
  }

  private scanDollar(start: number): Token {
    const next = this.text[start + 1] ?? '';
    if (next === '#') return { kind: 'ParamCount', text: '$#', span: span(start, start + 2) };
    if (isDigit(next)) {
      let end = start + 1;
      while (isDigit(this.text[end] ?? '')) end++;
      const text = this.text.slice(start, end);
      return { kind: 'Positional', value: Number(text.slice(1)), text, span: span(start, end) };
    }
    if (isIdentifierStart(next)) {
      const end = this.identifierEnd(start + 1);
      const text = this.text.slice(start, end);
      return { kind: 'Variable', value: text, text, span: span(start, end) };
    }
    return this.fail(DiagnosticCode.MissingVariableName, "expected a variable name or parameter number after '$'", span(start, start + 1), [
      'variables are written $name, positional parameters $1, $2, … and their count $#',
    ]);
  }

  private scanNumber(start: number): Token {
    // Take every identifier character so `10ms`, `0xffUL` and mistakes like `12ab` arrive whole.
    const end = this.identifierEnd(start);
    const text = this.text.slice(start, end);
    const decoded = decodeInteger(text);
    if (isIntegerProblem(decoded)) return this.fail(decoded.code, decoded.message, span(start, end));
    return { kind: 'Integer', value: decoded.value, suffix: decoded.suffix, text, span: span(start, end) };
  }

  private scanString(start: number): Token {
    let value = '';
    let i = start + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined || c === '\n') {
        const lineEnd = c === undefined ? i : i - (this.text[i - 1] === '\r' ? 1 : 0);
        return this.fail(DiagnosticCode.UnterminatedString, 'unterminated string literal', span(start, Math.max(lineEnd, start + 1)), [
          'a string must end on the line it starts; write \\n for a newline inside it',
        ]);
      }
      if (c === '"') break;
      if (c !== '\\') {
        value += c;
        i++;
        continue;
      }
      const escape = this.decodeEscape(i);
      value += escape.value;
      i = escape.end;
    }
    const end = i + 1;
    return { kind: 'String', value, text: this.text.slice(start, end), span: span(start, end) };
  }

  /** Decodes the escape sequence whose backslash is at `at`. */
  private decodeEscape(at: number): { value: string; end: number } {
    const c = this.text[at + 1] ?? '';
    const simple = SIMPLE_ESCAPES.get(c);
    if (simple !== undefined) return { value: simple, end: at + 2 };
    if (c >= '0' && c <= '7') {
      let end = at + 1;
      while (end < at + 4 && /[0-7]/.test(this.text[end] ?? '')) end++;
      const digits = this.text.slice(at + 1, end);
      const code = parseInt(digits, 8);
      if (code > 0xff) {
        this.fail(DiagnosticCode.OctalEscapeOutOfRange, `octal escape sequence '\\${digits}' is out of range`, span(at, end), [
          'an octal escape names one byte, at most \\377',
        ]);
      }
      return { value: String.fromCharCode(code), end };
    }
    if (c === 'x' || c === 'X') {
      let end = at + 2;
      while (end < at + 4 && /[0-9a-fA-F]/.test(this.text[end] ?? '')) end++;
      if (end === at + 2) {
        this.fail(DiagnosticCode.InvalidHexEscape, "'\\x' must be followed by hexadecimal digits", span(at, at + 2));
      }
      return { value: String.fromCharCode(parseInt(this.text.slice(at + 2, end), 16)), end };
    }
    if (c === '' || c === '\n') return { value: '', end: at + 1 };
    return this.fail(DiagnosticCode.UnknownEscape, `unknown escape sequence '\\${c}'`, span(at, at + 2), [
      'supported escapes: \\n \\t \\r \\a \\b \\f \\v \\\\ \\" \\\' \\? \\NNN (octal) \\xHH (hex); write \\\\ for a backslash',
    ]);
  }

  private identifierEnd(start: number): number {
    let i = start;
    while (i < this.text.length && isIdentifierPart(this.text[i])) i++;
    return i;
  }

  private fail(code: DiagnosticCode, message: string, at: Span, hints: readonly string[] = []): never {
    throw new CompileError(this.source, [error(code, message, at, hints)]);
  }
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function isIdentifierStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentifierPart(c: string): boolean {
  return isIdentifierStart(c) || isDigit(c);
}
