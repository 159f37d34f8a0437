// Diagnostics as plain data. Codes are stable so tests, docs and users can refer to a problem even if
// its wording improves; E01xx belong to the scanner, E02xx to the parser, E03xx to semantic analysis and
// E04xx to code generation (both in src/compiler), E05xx to the kernel refusing a probe at load or
// attach time (src/runtime). Rendering lives in
// diagnostic-format.ts so this file stays free of presentation choices.
import type { Source, Span } from './source.js';

export const DiagnosticCode = {
  InvalidCharacter: 'E0101',
  UnterminatedString: 'E0102',
  UnknownEscape: 'E0103',
  InvalidHexEscape: 'E0104',
  OctalEscapeOutOfRange: 'E0105',
  InvalidInteger: 'E0106',
  IntegerOverflow: 'E0107',
  UnterminatedComment: 'E0108',
  MissingVariableName: 'E0109',
  UnterminatedAttachPoint: 'E0110',

  UnexpectedToken: 'E0201',
  ExpectedExpression: 'E0202',
  MissingStatementEnd: 'E0203',
  ExpectedAttachPoint: 'E0204',
  UnclosedPredicate: 'E0205',
  InvalidAssignmentTarget: 'E0206',
  InvalidUpdateTarget: 'E0207',
  ExpectedType: 'E0208',
  InvalidCDefinition: 'E0209',
  MisplacedPreamble: 'E0210',
  InvalidDirective: 'E0211',
  InvalidTupleIndex: 'E0212',

  // E03xx: semantic analysis (src/compiler), E04xx: code generation limits.
  UnknownProbe: 'E0301',
  UnknownFunction: 'E0302',
  WrongArgumentCount: 'E0303',
  WrongArgumentType: 'E0304',
  UnknownField: 'E0305',
  UnknownMap: 'E0306',
  UnknownVariable: 'E0307',
  TypeMismatch: 'E0308',
  UnknownBuiltin: 'E0309',
  BuiltinNotAvailable: 'E0310',
  UnsafeFunction: 'E0311',
  UnknownType: 'E0312',
  InvalidOperation: 'E0313',
  InvalidFormat: 'E0314',
  MisplacedStatement: 'E0315',
  NotConstant: 'E0316',
  Unsupported: 'E0317',
  StackLimit: 'E0401',

  // E05xx: the kernel refused a compiled probe.
  ProgramRejected: 'E0501',
  AttachFailed: 'E0502',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly hints: readonly string[];
  /** Lines shown under the caret, before the hints: what the kernel said (a verifier's summary). */
  readonly details?: readonly string[];
}

export function error(code: DiagnosticCode, message: string, at: Span, hints: readonly string[] = []): Diagnostic {
  return { code, severity: 'error', message, span: at, hints };
}

/**
 * Thrown when a program cannot be compiled. It carries the source so a caller holding only the error
 * can still render carets; `message` is the one-line form of the first diagnostic for logs and stack
 * traces.
 */
export class CompileError extends Error {
  readonly source: Source;
  readonly diagnostics: readonly Diagnostic[];

  constructor(source: Source, diagnostics: readonly Diagnostic[], options?: ErrorOptions) {
    const first = diagnostics[0];
    const summary =
      first === undefined ? 'compilation failed' : `${describePosition(source, first.span)}: ${first.message}`;
    super(summary, options);
    this.name = 'CompileError';
    this.source = source;
    this.diagnostics = diagnostics;
  }
}

function describePosition(source: Source, at: Span): string {
  const { line, column } = source.location(at.start);
  return `${source.name}:${line}:${column}`;
}
