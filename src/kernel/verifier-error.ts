// The verifier refused a program. Its log can run to thousands of lines of register states; users need
// the line that says what is wrong and the instruction it is about, and the rest only on request
// (`-d verifier`), so the error keeps both a short summary and the full log.
import type { SyscallError } from '../sys/index.js';

/** Lines the kernel appends after the verdict: statistics, not the reason for the rejection. */
const STATISTICS = [/^processed \d+ insns/, /^verification time \d+/, /^stack depth /];
/** An instruction as the verifier prints it: "12: (79) r1 = *(u64 *)(r1 +8)". */
const INSTRUCTION = /^\d+: \([0-9a-f]{2}\) /;
/** At most this many lines from the last instruction to the error, in case states are interleaved. */
const MAX_SUMMARY_LINES = 4;

export interface VerifierSummary {
  /** The last meaningful lines, ending with the verifier's reason. */
  lines: string[];
  /** Meaningful lines of the log not in `lines`. */
  omitted: number;
}

/**
 * The reason and the instruction it concerns: the log's meaningful lines from the last printed
 * instruction to the end, or the last two lines when the rejection came before any instruction
 * was checked (a malformed program, a bad function signature).
 */
export function summarizeVerifierLog(log: string): VerifierSummary {
  const meaningful = log
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !STATISTICS.some((pattern) => pattern.test(line)));
  let start = Math.max(0, meaningful.length - 2);
  for (let i = meaningful.length - 1; i >= 0; i--) {
    if (INSTRUCTION.test(meaningful[i] ?? '')) {
      start = i;
      break;
    }
  }
  start = Math.max(start, meaningful.length - MAX_SUMMARY_LINES);
  return { lines: meaningful.slice(start), omitted: start };
}

export class VerifierError extends Error {
  override name = 'VerifierError';
  readonly errno: number;
  /** Errno name: EACCES for most rejections, EINVAL for malformed programs, ENOSPC for a truncated log. */
  readonly code: string;
  readonly summary: VerifierSummary;

  constructor(
    readonly programName: string,
    cause: SyscallError,
    readonly fullLog: string,
    /** The log did not fit the largest buffer tried; `fullLog` is its tail. */
    readonly truncated = false,
  ) {
    const summary = summarizeVerifierLog(fullLog);
    const reason = summary.lines.at(-1) ?? 'no reason given';
    super(`the verifier rejected program ${programName} (${cause.code}): ${reason}`, { cause });
    this.errno = cause.errno;
    this.code = cause.code;
    this.summary = summary;
  }

  /** The summary; with `full`, the whole log instead. */
  override toString(full = false): string {
    const head = `${this.name}: the verifier rejected program ${this.programName} (${this.code})`;
    if (full) return `${head}\n${this.fullLog.trimEnd()}${this.truncated ? '\n(log truncated)' : ''}`;
    const { omitted: count } = this.summary;
    const omitted = count > 0 ? [`(${count} ${count === 1 ? 'line' : 'lines'} omitted)`] : [];
    return [head, ...omitted, ...this.summary.lines.map((line) => `  ${line}`)].join('\n');
  }
}
