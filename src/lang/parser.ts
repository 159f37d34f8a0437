// The program level: C preamble first, then probes. This is the one place that decides when the
// scanner is in header mode — at the start of every top-level item and after each ',' between attach
// points — because only the grammar knows where an attach point can begin.
import type { AttachPoint, PreambleItem, Probe, Program } from './ast.js';
import { DiagnosticCode } from './diagnostics.js';
import { ExpressionParser } from './expression-parser.js';
import { CDefinitionParser, parseDirective } from './preamble-parser.js';
import { span, type Source } from './source.js';
import { StatementParser } from './statement-parser.js';
import { TokenCursor } from './token-cursor.js';
import type { Token } from './tokens.js';

const PROBE_HINT = 'a probe starts with an attach point such as BEGIN, kprobe:vfs_read or tracepoint:syscalls:sys_enter_openat';

export function parseProgram(source: Source): Program {
  return new ProgramParser(source).parse();
}

class ProgramParser {
  private readonly cursor: TokenCursor;
  private readonly expressions: ExpressionParser;
  private readonly statements: StatementParser;
  private readonly definitions: CDefinitionParser;

  constructor(source: Source) {
    this.cursor = new TokenCursor(source);
    this.expressions = new ExpressionParser(this.cursor);
    this.statements = new StatementParser(this.cursor, this.expressions);
    this.definitions = new CDefinitionParser(this.cursor, this.expressions);
  }

  parse(): Program {
    const preamble: PreambleItem[] = [];
    const probes: Probe[] = [];
    for (;;) {
      const token = this.cursor.peekHeader();
      if (token.kind === 'Eof') break;
      if (token.kind === 'Directive') {
        this.cursor.nextHeader();
        // A shebang line makes a script executable; it is not part of the language.
        if (token.span.start === 0 && token.text.startsWith('#!')) continue;
        this.rejectLatePreamble(probes, token);
        preamble.push(parseDirective(this.cursor, token));
      } else if (token.kind === 'AttachPoint' && (token.text === 'struct' || token.text === 'union' || token.text === 'enum')) {
        this.rejectLatePreamble(probes, token);
        preamble.push(this.definitions.parseDefinition());
      } else if (token.kind === 'AttachPoint') {
        probes.push(this.parseProbe());
      } else {
        this.cursor.unexpected(token, 'an attach point', [PROBE_HINT], DiagnosticCode.ExpectedAttachPoint);
      }
    }
    return { kind: 'Program', span: span(0, this.cursor.source.text.length), preamble, probes };
  }

  /** bpftrace hands the preamble to a C parser as one unit, so it must all come before the probes. */
  private rejectLatePreamble(probes: readonly Probe[], token: Token): void {
    if (probes.length === 0) return;
    this.cursor.fail(DiagnosticCode.MisplacedPreamble, 'C definitions and preprocessor directives must come before the first probe', token.span);
  }

  private parseProbe(): Probe {
    const attachPoints = [this.parseAttachPoint()];
    while (this.cursor.eatPunct(',')) {
      // A trailing comma before the predicate or body is tolerated, as bpftrace does.
      if (this.cursor.peekHeader().kind !== 'AttachPoint') break;
      attachPoints.push(this.parseAttachPoint());
    }
    const predicate = this.parsePredicate();
    const body = this.statements.parseBlock();
    return { kind: 'Probe', span: span(attachPoints[0].span.start, body.span.end), attachPoints, predicate, body };
  }

  private parseAttachPoint(): AttachPoint {
    const token = this.cursor.nextHeader();
    if (token.kind !== 'AttachPoint') {
      return this.cursor.unexpected(token, 'an attach point', [PROBE_HINT], DiagnosticCode.ExpectedAttachPoint);
    }
    const [provider, ...parts] = splitAttachPoint(token.text);
    return { kind: 'AttachPoint', span: token.span, raw: token.text, provider, parts };
  }

  private parsePredicate(): Probe['predicate'] {
    const open = this.cursor.eatPunct('/');
    if (!open) return null;
    const predicate = this.expressions.parsePredicate();
    const close = this.cursor.peek();
    if (!(close.kind === 'Punct' && close.value === '/')) {
      const opened = this.cursor.source.location(open.span.start);
      return this.cursor.unexpected(close, "'/' to end the predicate", [`the predicate starts at line ${opened.line}, column ${opened.column}`], DiagnosticCode.UnclosedPredicate);
    }
    this.cursor.next();
    return predicate;
  }
}

/** Splits on `:` outside double quotes and drops the quotes: `uprobe:"/a b":f` → [uprobe, /a b, f]. */
export function splitAttachPoint(raw: string): [string, ...string[]] {
  const parts: [string, ...string[]] = [''];
  let quoted = false;
  for (const c of raw) {
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) parts.push('');
    else parts[parts.length - 1] += c;
  }
  return parts;
}
