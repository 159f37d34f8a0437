/** Why a figure could not be measured (for instance, a language feature bpfscope does not have yet). */
export interface Failed {
  failed: string;
}

/** One measured figure; `ratio` compares bpfscope with a reference tool measured in the same run. */
export interface BenchResult {
  name: string;
  value: number | Failed;
  unit: string;
  /** The reference tool's figure for the same measurement, when there is one. */
  reference?: { tool: string; value: number | Failed };
  /** The goal from the issue, as a bound on the ratio (e.g. "≤ 0.33"). */
  target?: string;
}
