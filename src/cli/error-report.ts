// Every failure as the user should read it, never as a JavaScript stack trace: compile errors as
// located diagnostics (file:line:col, the source line, a caret), everything else as `bpfscope: ` and
// one message (which for system calls names the errno and a hint), plus the error's hint if it has
// one. With -v, the chain of causes underneath follows.
import { CompileError, formatDiagnostics } from '../lang/index.js';

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

export function describeError(error: unknown, verbose: boolean): string {
  if (error instanceof CompileError) return `${formatDiagnostics(error.source, error.diagnostics)}\n`;
  if (!(error instanceof Error)) return `bpfscope: ${String(error)}\n`;
  const lines = [`bpfscope: ${error.message}`];
  // Hints of the errors the message quotes (a ProbeError inside an AttachError, say). An error the
  // chain reworded (a SyscallError under an UnsupportedFeatureError) was explained already.
  const quoted = [error, ...causes(error).filter((cause) => error.message.includes(cause.message))];
  const hint = quoted.map(hintOf).find((h) => h !== undefined && !error.message.includes(h));
  if (hint !== undefined) lines.push(`hint: ${hint}`);
  if (verbose) {
    for (const cause of causes(error)) lines.push(`  caused by ${cause.name}: ${cause.message}`);
  }
  return `${lines.join('\n')}\n`;
}
