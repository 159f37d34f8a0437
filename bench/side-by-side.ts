// Runs one measurement for bpftrace and bpfscope alternately, so drift in the machine's load hits
// both alike, and turns the medians into BenchResults with bpftrace as the reference. A tool that fails
// stops being run and its figures read "failed: <reason>"; the other tool's figures still count.
import type { BenchResult, Failed } from './result.js';
import { BPFSCOPE, BPFTRACE, type Tool } from './tool-run.js';

export interface Figure {
  name: string;
  unit: string;
  target?: string;
}

/** One run of the measurement for one tool: a value per figure, in the figures' order. */
export type MeasureOnce = (tool: Tool) => Promise<number[]>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 240);
}

/** Medians per figure for one tool, or the reason it failed. */
type Outcome = number[] | Failed;

/**
 * `runs` rounds, each one run of bpftrace then `oursPerRound` of bpfscope: where a bpftrace run is
 * costly (the wildcard's takes ~25 s to detach), more runs of bpfscope keep one stray slow run from
 * deciding its median.
 */
export async function sideBySide(figures: readonly Figure[], runs: number, measure: MeasureOnce, oursPerRound = 1): Promise<BenchResult[]> {
  const tools = [BPFTRACE, BPFSCOPE];
  const round = [BPFTRACE, ...Array<Tool>(oursPerRound).fill(BPFSCOPE)];
  const samples = new Map<Tool, number[][]>(tools.map((tool) => [tool, []]));
  const failures = new Map<Tool, Failed>();
  for (let run = 0; run < runs; run++) {
    for (const tool of round) {
      if (failures.has(tool)) continue;
      try {
        samples.get(tool)?.push(await measure(tool));
      } catch (error) {
        failures.set(tool, { failed: reason(error) });
        console.error(`  ${tool.name} failed: ${reason(error)}`);
      }
    }
  }
  const outcome = (tool: Tool): Outcome => {
    const failure = failures.get(tool);
    if (failure !== undefined) return failure;
    const runsOf = samples.get(tool) ?? [];
    return figures.map((_, i) => median(runsOf.map((values) => values[i] ?? NaN)));
  };
  const ours = outcome(BPFSCOPE);
  const theirs = outcome(BPFTRACE);
  const pick = (o: Outcome, i: number): number | Failed => (Array.isArray(o) ? (o[i] ?? NaN) : o);
  return figures.map((figure, i) => ({
    ...figure,
    value: pick(ours, i),
    reference: { tool: BPFTRACE.name, value: pick(theirs, i) },
  }));
}
