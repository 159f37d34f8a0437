// The differential suite's table: programs that bpftrace 0.17 and bpfscope must run with the same
// command line and print the same output for (see run.ts for what is compared). Cases are grouped by
// what they exercise; every one is deterministic, so its recorded bpftrace output is its expectation.
import { LANGUAGE_CASES } from './language-cases.js';
import { MAP_CASES } from './map-cases.js';
import { WORKLOAD_CASES } from './workload-cases.js';

export interface DifferentialCase {
  /** Unique; names the test and the entry in the recording. */
  readonly name: string;
  /** The program, passed with -e; `{workload}` stands for the workload binary's path. */
  readonly script: string;
  /** Positional parameters after the program: $1, $2, … and $#. */
  readonly args?: readonly string[];
  /** The workload's action and arguments, run with -c (which sets cpid; the run ends when it exits). */
  readonly workload?: readonly string[];
  /** Run with `-f json`. */
  readonly json?: boolean;
  /**
   * Where bpftrace 0.17 prints the wrong thing: why, and the stdout a correct implementation prints.
   * bpfscope is held to this stdout (stderr and exit status still come from bpftrace), and the suite
   * checks that bpftrace's recorded stdout really differs from it.
   */
  readonly expectFromBpftraceBug?: { readonly reason: string; readonly stdout: string };
}

export const CASES: readonly DifferentialCase[] = [...LANGUAGE_CASES, ...MAP_CASES, ...WORKLOAD_CASES];

/**
 * Cases bpfscope does not pass yet, reported as `todo` with their diff instead of failing the run.
 * Burn this list down: a listed case that passes fails the suite until it is removed from here.
 */
export const KNOWN_FAILING: ReadonlySet<string> = new Set<string>([]);
