// A script's text plus the line table needed to turn byte offsets into the 1-based line:column
// positions users see in diagnostics. Offsets are UTF-16 code-unit indexes into `text`, which is what
// every String method uses, so the scanner never has to convert.

/** A half-open range of offsets into a Source's text: `start` is included, `end` is not. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Location {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units from the start of the line. */
  readonly column: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** The smallest span covering both arguments; used to give a node the extent of its children. */
export function joinSpans(first: Span, last: Span): Span {
  return { start: Math.min(first.start, last.start), end: Math.max(first.end, last.end) };
}

export class Source {
  readonly name: string;
  readonly text: string;
  /** Offset at which each line begins; lineStarts[0] is always 0. */
  readonly lineStarts: readonly number[];

  /** `name` is what diagnostics print: the script path, or `stdin` for a program given with -e. */
  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  location(offset: number): Location {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    // Binary search for the last line that starts at or before the offset.
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - this.lineStarts[low] + 1 };
  }

  /** The text of a 1-based line without its line terminator (a trailing `\r` is dropped too). */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    const text = this.text.slice(start, end);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }

  slice(range: Span): string {
    return this.text.slice(range.start, range.end);
  }
}
