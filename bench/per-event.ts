// Per-event cost (issue 3 (b)): nanoseconds a tracing script adds to each system call. The workload
// makes CALLS getppid() calls in a tight C loop and times the loop itself; the cost is
// (traced − untraced) / CALLS, with the untraced figure the median of runs without any tracer.
// The tool is started first and the loop released only after the script's BEGIN output — bpftrace
// runs BEGIN once every probe is attached — plus a short settling pause.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchResult } from './result.js';
import { median, sideBySide } from './side-by-side.js';
import { withRun, type Script, type Tool } from './tool-run.js';
import { HeldLoop } from './workload.js';

const CALLS = 1_000_000;
const RUNS = 5;
const UNTRACED_RUNS = 7;
const SETTLE_MS = 250;
const READY = 'BEGIN { printf("ready\\n"); }\n';

const COUNT_BY_COMM: Script = { inline: `${READY}tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }` };
const LATENCY_BY_TID: Script = {
  inline: `${READY}tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; }
tracepoint:raw_syscalls:sys_exit /@start[tid]/ { @ns = hist(nsecs - @start[tid]); delete(@start[tid]); }
END { clear(@start); }`,
};

async function untracedLoop(): Promise<number> {
  const loop = await HeldLoop.start(CALLS);
  return loop.release();
}

/** Nanoseconds the script adds per call, from one traced run. */
function tracedCost(script: Script, untracedNs: number): (tool: Tool) => Promise<number[]> {
  return async (tool) => {
    const loop = await HeldLoop.start(CALLS);
    try {
      const tracedNs = await withRun(tool, script, [], async (run) => {
        await run.waitFor(/^ready$/);
        await sleep(SETTLE_MS);
        return loop.release();
      });
      return [(tracedNs - untracedNs) / CALLS];
    } finally {
      loop.abandon();
    }
  };
}

export async function perEventBench(): Promise<BenchResult[]> {
  await untracedLoop(); // warm-up: page cache, CPU frequency
  const untraced: number[] = [];
  for (let i = 0; i < UNTRACED_RUNS; i++) untraced.push(await untracedLoop());
  const untracedNs = median(untraced);
  return [
    { name: `getppid() untraced (median of ${UNTRACED_RUNS} loops of ${CALLS.toLocaleString('en-US')})`, value: untracedNs / CALLS, unit: 'ns/call' },
    ...await sideBySide(
      [{ name: 'added by `raw_syscalls:sys_enter { @[comm] = count(); }`', unit: 'ns/call', target: '≤ 1' }],
      RUNS, tracedCost(COUNT_BY_COMM, untracedNs),
    ),
    ...await sideBySide(
      [{ name: 'added by a tid-keyed latency hist (sys_enter stores nsecs, sys_exit hist of the delta)', unit: 'ns/call', target: '≤ 1' }],
      RUNS, tracedCost(LATENCY_BY_TID, untracedNs),
    ),
  ];
}
