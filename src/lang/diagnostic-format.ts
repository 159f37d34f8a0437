// Renders diagnostics the way compilers users already know do: `file:line:col: severity: message`,
// the offending source line, a caret line (`^` for one character, `^~~~` for longer spans), then
// details (lines quoted from the kernel) and hints.
import type { Diagnostic } from './diagnostics.js';
import type { Source } from './source.js';

export function formatDiagnostic(source: Source, diagnostic: Diagnostic): string {
  const { line, column } = source.location(diagnostic.span.start);
  const lineText = source.lineText(line);
  const lines = [
    `${source.name}:${line}:${column}: ${diagnostic.severity}: ${diagnostic.message}`,
    lineText,
    caretLine(lineText, column, underlineWidth(source, diagnostic, line, column, lineText)),
    ...(diagnostic.details ?? []),
  ];
  for (const hint of diagnostic.hints) lines.push(`hint: ${hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(source: Source, diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => formatDiagnostic(source, d)).join('\n');
}

/** How many columns to underline: the span, clipped to the first line it touches, at least one. */
function underlineWidth(source: Source, diagnostic: Diagnostic, line: number, column: number, lineText: string): number {
  const end = source.location(diagnostic.span.end);
  const lastColumn = end.line === line ? end.column : lineText.length + 1;
  return Math.max(1, lastColumn - column);
}

function caretLine(lineText: string, column: number, width: number): string {
  // Tabs are copied so the caret lines up however the terminal expands them.
  let padding = '';
  for (let i = 0; i < column - 1; i++) padding += lineText[i] === '\t' ? '\t' : ' ';
  return padding + '^' + '~'.repeat(width - 1);
}
