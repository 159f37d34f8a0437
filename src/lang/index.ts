// lang: the pure front end of the bpftrace-compatible language — source text, scanning, parsing into
// the AST, and diagnostics with stable codes and source spans. It performs no I/O and touches no
// kernel: it must not import anything outside src/lang (in particular not sys, kernel, providers or
// runtime), so the compiler can run unprivileged in tests and dry runs.
import type { Program } from './ast.js';
import { parseProgram } from './parser.js';
import type { Source } from './source.js';

export type * from './ast.js';
export { Source, span, joinSpans, type Span, type Location } from './source.js';
export { CompileError, DiagnosticCode, error, type Diagnostic, type Severity } from './diagnostics.js';
export { formatDiagnostic, formatDiagnostics } from './diagnostic-format.js';
export { Scanner, type ScanMode } from './scanner.js';
export { describeToken, KEYWORDS, PUNCTUATORS, type Keyword, type Punctuator, type Token, type TokenKind } from './tokens.js';
export { splitAttachPoint } from './parser.js';
export { isBuiltinName, isKnownTypeName } from './names.js';
export { printExpr, printStatement, printType } from './ast-printer.js';

/** Parses a whole program. Throws CompileError carrying the diagnostic of the first syntax error. */
export function parse(source: Source): Program {
  return parseProgram(source);
}
