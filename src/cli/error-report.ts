// Every failure as the user should read it, never as a JavaScript stack trace: compile errors, and
// probes the kernel refused at load or attach time, as located diagnostics (file:line:col, the source
// line, a caret); everything else as `bpfscope: ` and one message (which for system calls names the
// errno and a hint), plus the error's hint if it has one. With -v, the chain of causes underneath follows.
import { CompileError, formatDiagnostic, formatDiagnostics } from '../lang/index.js';
import { ProbeRefusedError } from '../runtime/index.js';

function hintOf(error: Error): string | undefined {
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === 'string' && hint !== '' ? hint : undefined;
}

function causes(error: Error): Error[] {
  const chain: Error[] = [];
  let cause: unknown = error.cause;
  while (cause instanceof Error && chain.length < 8) {
    chain.push(cause);
    cause = cause.cause;
  }
  return chain;
}

/**
 * The hint of an error the message quotes (a ProbeError inside an AttachError, say). An error the
 * chain reworded (a SyscallError under an UnsupportedFeatureError) was explained already.
 */
function quotedHint(error: Error): string | undefined {
  const quoted = [error, ...causes(error).filter((cause) => error.message.includes(cause.message))];
  return quoted.map(hintOf).find((h) => h !== undefined && !error.message.includes(h));
}

function reportLines(error: Error): string[] {
  const hint = quotedHint(error);
  if (error instanceof ProbeRefusedError && error.location !== undefined) {
    const { source, span } = error.location;
    const { diagnosticCode: code, headline: message, details } = error;
    return [formatDiagnostic(source, { code, severity: 'error', message, span, details, hints: hint === undefined ? [] : [hint] })];
  }
  return [`bpfscope: ${error.message}`, ...(hint === undefined ? [] : [`hint: ${hint}`])];
}

export function describeError(error: unknown, verbose: boolean): string {
  if (error instanceof CompileError) return `${formatDiagnostics(error.source, error.diagnostics)}\n`;
  if (!(error instanceof Error)) return `bpfscope: ${String(error)}\n`;
  const lines = reportLines(error);
  if (verbose) {
    for (const cause of causes(error)) lines.push(`  caused by ${cause.name}: ${cause.message}`);
  }
  return `${lines.join('\n')}\n`;
}
