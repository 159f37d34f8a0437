// Wildcard attach and detach (issue 3 (d)): `tracepoint:syscalls:sys_enter_*` (hundreds of probes)
// counting by probe, plus a getppid probe listed after it that prints a line. Timed from spawn: the
// "Attaching N probes..." line and the first line from that last-listed probe, fed by the background
// workload's getppid calls; bpftrace attaches in script order, so that line means all are attached.
// Detach: SIGINT to process exit, which includes printing the count map.
//
// Detaching a tracepoint is slow on this kernel — closing its perf event waits for an RCU grace
// period, serialised by the kernel (25–70 ms each here, see the kernel-layer benchmark), so bpftrace's
// ~360 probes take ~25 s whether closed one by one or by process exit — hence only three runs of
// bpftrace, each followed by three of bpfscope, whose runs are cheap: with so few runs a single slow
// start (this VM has them, for both tools) would otherwise decide a median.
// bpfscope serves the wildcard from raw_syscalls (src/providers/syscall-dispatch.ts): two
// tracepoints in all, with the getppid probe.
import type { BenchResult } from './result.js';
import { sideBySide } from './side-by-side.js';
import { ATTACHING, withRun, type Tool } from './tool-run.js';
import { Trickle } from './workload.js';

const RUNS = 3;
const OURS_PER_RUN = 3;
const TRICKLE_PAUSE_US = 250;
const SCRIPT = {
  inline: 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); }\n' +
    'tracepoint:syscalls:sys_enter_getppid { printf("fired\\n"); }',
};

async function oneRun(tool: Tool): Promise<number[]> {
  return withRun(tool, SCRIPT, [], async (run) => {
    const [attaching, fired] = await Promise.all([run.waitFor(ATTACHING), run.waitFor(/^fired$/)]);
    const detach = await run.interrupt();
    return [attaching, fired, detach];
  });
}

export async function wildcardBench(): Promise<BenchResult[]> {
  const trickle = await Trickle.start(TRICKLE_PAUSE_US);
  try {
    return await sideBySide([
      { name: 'spawn to "Attaching N probes..."', unit: 'ms' },
      { name: 'spawn to first output of the probe listed last (all attached)', unit: 'ms', target: '≤ 0.1' },
      { name: 'SIGINT to process exit (detach)', unit: 'ms', target: '≤ 0.1' },
    ], RUNS, oneRun, OURS_PER_RUN);
  } finally {
    await trickle.stop();
  }
}
