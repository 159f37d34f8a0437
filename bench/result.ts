/** One measured figure; `ratio` compares bpfscope with a reference tool measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The reference tool's figure for the same measurement, when there is one. */
  reference?: { tool: string; value: number };
}
