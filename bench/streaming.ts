// printf streaming (issue 3 (c)): every getppid() of the workload is traced by a printf of its pid, at
// rising paced rates and then as fast as the loop goes, plus a run whose consumer is stopped (SIGSTOP)
// while the loop runs. For each step, from the tool's own output:
//   delivered  — output lines carrying the workload's pid (other processes' getppid calls are ignored);
//   lost       — the sum of the tool's "Lost N events" reports;
//   unreported — generated − delivered − lost: events that vanished without a word;
//   slowdown   — the time spent inside the getppid() calls, traced ÷ untraced (median of untraced
//                runs): the whole loop when it runs as fast as possible; when paced, the calls alone,
//                so what the tracer adds to each call (a wake-up of its reader included) shows even
//                though the loop's length is set by its pace;
//   irq_work   — IRQ work interrupts on all CPUs during the loop (/proc/interrupts IWI): how the ring
//                buffer (and bpftrace's perf buffers) wake their reader, each one taken by the traced
//                thread; other activity on the machine adds a few;
//   tool CPU   — the tool's CPU time from "ready" until it caught up, per delivered event.
// After the loop ends the tool gets time to catch up (until every event is delivered or output stops
// for a while) before SIGINT, so a slow consumer is not mistaken for a lossy one.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchResult } from './result.js';
import { readFileSync } from 'node:fs';
import { median, sideBySide, type Figure } from './side-by-side.js';
import { withRun, type Tool } from './tool-run.js';
import { HeldLoop, WORKLOAD_COMM } from './workload.js';

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
/** Traced runs per step and tool, medians reported: single runs swing with whatever else the machine does. */
const TRACED_RUNS = 3;
const SETTLE_MS = 250;
/** Catching up is over when no event arrived for this long. */
const QUIET_MS = 1000;
const CATCH_UP_LIMIT_MS = 30_000;
// Only the workload's calls: lost events cannot be told apart by pid, so other processes' getppid()
// calls would blur "unreported".
const SCRIPT = {
  inline: `BEGIN { printf("ready\\n"); }\ntracepoint:syscalls:sys_enter_getppid /comm == "${WORKLOAD_COMM}"/ { printf("%d\\n", pid); }`,
};

async function timeInsideCalls(step: Step): Promise<number> {
  const loop = await HeldLoop.start(step.calls, step.rate);
  return (await loop.releaseTimed()).insideCallsNs;
}

/** IRQ work interrupts so far, summed over CPUs. */
function irqWorkInterrupts(): number {
  const line = readFileSync('/proc/interrupts', 'utf8').split('\n').find((l) => l.trimStart().startsWith('IWI:')) ?? '';
  return line.trim().split(/\s+/).slice(1).filter((field) => /^\d+$/.test(field)).reduce((sum, count) => sum + Number(count), 0);
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
    { name: `${step.label}: traced calls' slowdown`, unit: '×', target: fastest ? '< 1' : undefined },
    { name: `${step.label}: irq_work interrupts during the loop`, unit: 'interrupts' },
    { name: `${step.label}: tool's CPU time per delivered event`, unit: 'µs' },
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
        const cpuBefore = run.cpuMs();
        const interruptsBefore = irqWorkInterrupts();
        if (step.stalled === true) run.stall(true);
        const traced = await loop.releaseTimed();
        if (step.stalled === true) run.stall(false);
        const interrupts = irqWorkInterrupts() - interruptsBefore;
        const deadline = performance.now() + CATCH_UP_LIMIT_MS;
        lastEventAt = performance.now();
        while (delivered < step.calls && performance.now() - lastEventAt < QUIET_MS && performance.now() < deadline) {
          await sleep(50);
        }
        const cpuMs = run.cpuMs() - cpuBefore;
        await run.interrupt({ nudge: oneTracedCall });
        return [
          delivered, delivered / (traced.elapsedNs / 1e9), lost, step.calls - delivered - lost,
          traced.insideCallsNs / untracedNs, interrupts, (cpuMs * 1000) / delivered,
        ];
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
    for (let i = 0; i < UNTRACED_RUNS; i++) untraced.push(await timeInsideCalls(step));
    results.push(...await sideBySide(figures(step), TRACED_RUNS, oneRun(step, median(untraced))));
  }
  return results;
}
