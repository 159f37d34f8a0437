// printf streaming (issue 3 (c)): every getppid() of the workload is traced by a printf of its pid, at
// rising paced rates and then as fast as the loop goes, plus a run whose consumer is stopped (SIGSTOP)
// while the loop runs. For each step, from the tool's own output:
//   delivered  — output lines carrying the workload's pid (other processes' getppid calls are ignored);
//   lost       — the sum of the tool's "Lost N events" reports;
//   unreported — generated − delivered − lost: events that vanished without a word;
//   slowdown   — the loop's own run time traced ÷ untraced (median of untraced runs).
// After the loop ends the tool gets time to catch up (until every event is delivered or output stops
// for a while) before SIGINT, so a slow consumer is not mistaken for a lossy one.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchResult } from './result.js';
import { median, sideBySide, type Figure } from './side-by-side.js';
import { withRun, type Tool } from './tool-run.js';
import { HeldLoop } from './workload.js';

interface Step {
  label: string;
  calls: number;
  /** Calls per second; as fast as possible when absent. */
  rate?: number;
  /** Keep the consumer stopped while the loop runs. */
  stalled?: boolean;
}

const STEPS: readonly Step[] = [
  { label: '10k/s', calls: 10_000, rate: 10_000 },
  { label: '100k/s', calls: 100_000, rate: 100_000 },
  { label: '400k/s', calls: 400_000, rate: 400_000 },
  { label: 'as fast as possible', calls: 1_000_000 },
  { label: 'as fast as possible, consumer stopped during the loop', calls: 1_000_000, stalled: true },
];
const UNTRACED_RUNS = 3;
const SETTLE_MS = 250;
/** Catching up is over when no event arrived for this long. */
const QUIET_MS = 1000;
const CATCH_UP_LIMIT_MS = 30_000;
const SCRIPT = { inline: 'BEGIN { printf("ready\\n"); }\ntracepoint:syscalls:sys_enter_getppid { printf("%d\\n", pid); }' };

async function loopTime(step: Step): Promise<number> {
  const loop = await HeldLoop.start(step.calls, step.rate);
  return loop.release();
}

/** One getppid() from a process whose lines are not counted: wakes a consumer waiting for output. */
async function oneTracedCall(): Promise<void> {
  await (await HeldLoop.start(1)).release();
}

function figures(step: Step): Figure[] {
  const fastest = step.rate === undefined && step.stalled !== true;
  return [
    { name: `${step.label}: delivered`, unit: 'events' },
    { name: `${step.label}: delivered per second of the loop`, unit: 'events/s', target: fastest ? '≥ 3' : undefined },
    { name: `${step.label}: reported lost`, unit: 'events' },
    { name: `${step.label}: unreported (generated − delivered − lost)`, unit: 'events', target: '= 0' },
    { name: `${step.label}: traced loop's slowdown`, unit: '×', target: fastest ? '< 1' : undefined },
  ];
}

function oneRun(step: Step, untracedNs: number): (tool: Tool) => Promise<number[]> {
  return async (tool) => {
    const loop = await HeldLoop.start(step.calls, step.rate);
    const pid = String(loop.pid);
    let delivered = 0;
    let lost = 0;
    let lastEventAt = 0;
    try {
      return await withRun(tool, SCRIPT, [], async (run) => {
        run.onLine((line) => {
          if (line === pid) {
            delivered++;
            lastEventAt = performance.now();
            return;
          }
          const report = /Lost (\d+) events/.exec(line);
          if (report !== null) lost += Number(report[1]);
        });
        await run.waitFor(/^ready$/);
        await sleep(SETTLE_MS);
        if (step.stalled === true) run.stall(true);
        const tracedNs = await loop.release();
        if (step.stalled === true) run.stall(false);
        const deadline = performance.now() + CATCH_UP_LIMIT_MS;
        lastEventAt = performance.now();
        while (delivered < step.calls && performance.now() - lastEventAt < QUIET_MS && performance.now() < deadline) {
          await sleep(50);
        }
        await run.interrupt({ nudge: oneTracedCall });
        return [delivered, delivered / (tracedNs / 1e9), lost, step.calls - delivered - lost, tracedNs / untracedNs];
      });
    } finally {
      loop.abandon();
    }
  };
}

export async function streamingBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const step of STEPS) {
    const untraced: number[] = [];
    for (let i = 0; i < UNTRACED_RUNS; i++) untraced.push(await loopTime(step));
    results.push(...await sideBySide(figures(step), 1, oneRun(step, median(untraced))));
  }
  return results;
}
