// Start-up (issue 3 (a)), whole processes launched as a user would, bpftrace and bpfscope alternately:
//  - wall time of `BEGIN { exit() }`, and of a getppid tracepoint count that exits on its first event;
//  - for a one-probe script and two tool-sized scripts reading `args` fields: the moment the tool
//    prints "Attaching N probes...", and the moment the first probe output appears — the truer
//    "attached", since it needs the program loaded, attached and its output delivered; then, for the
//    scripts that keep printing, how long the tool takes to exit after a SIGINT sent at that moment
//    (detaching dominates it). bpftrace 0.17 sleeps through a SIGINT until its next output, which the
//    runqlat-sized script never makes again.
// A background workload (getppid, open/close of /dev/null, a 250 µs sleep, repeated) makes the probes
// fire within a fraction of a millisecond of being attached.
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './result.js';
import { sideBySide, type Figure } from './side-by-side.js';
import { ATTACHING, withRun, type Script, type Tool } from './tool-run.js';
import { Trickle, WORKLOAD_COMM } from './workload.js';

/** Medians of 15: the machine is shared, and a few runs under someone else's burst move a median of 7. */
const RUNS = 15;
const TRICKLE_PAUSE_US = 250;

const scriptFile = (name: string): Script => ({ file: fileURLToPath(new URL(`./scripts/${name}`, import.meta.url)) });

/** Whole process, spawn to exit, for a script that ends by itself. */
function wholeProcess(script: Script): (tool: Tool) => Promise<number[]> {
  return (tool) => withRun(tool, script, [], async (run) => [(await run.finished()).at]);
}

/** Spawn to "Attaching", spawn to the first line matching `firstEvent`; with `interrupt`, SIGINT to exit. */
function untilAttached(script: Script, firstEvent: RegExp, interrupt: boolean): (tool: Tool) => Promise<number[]> {
  return (tool) => withRun(tool, script, [], async (run) => {
    const attached = await Promise.all([run.waitFor(ATTACHING), run.waitFor(firstEvent)]);
    return interrupt ? [...attached, await run.interrupt()] : attached;
  });
}

function attachFigures(what: string, target: string, interrupt: boolean): Figure[] {
  return [
    { name: `${what}: spawn to "Attaching N probes..."`, unit: 'ms' },
    { name: `${what}: spawn to first probe output`, unit: 'ms', target },
    ...interrupt ? [{ name: `${what}: SIGINT to exit`, unit: 'ms' }] : [],
  ];
}

export async function startupBench(): Promise<BenchResult[]> {
  const trickle = await Trickle.start(TRICKLE_PAUSE_US);
  try {
    return [
      ...await sideBySide(
        [{ name: 'whole process, `BEGIN { exit() }`', unit: 'ms', target: '≤ 0.33' }],
        RUNS, wholeProcess({ inline: 'BEGIN { exit() }' }),
      ),
      ...await sideBySide(
        [{ name: 'whole process, getppid count that exits on its first event', unit: 'ms', target: '≤ 0.33' }],
        RUNS, wholeProcess({ inline: 'tracepoint:syscalls:sys_enter_getppid { @ = count(); exit(); }' }),
      ),
      ...await sideBySide(
        attachFigures('one probe (sys_enter_getppid printf)', '≤ 1', true),
        RUNS, untilAttached({ inline: 'tracepoint:syscalls:sys_enter_getppid { printf("fired\\n"); }' }, /^fired$/, true),
      ),
      ...await sideBySide(
        attachFigures('opensnoop-sized script (bench/scripts/opensnoop-shaped.bt)', '≤ 0.5', true),
        RUNS, untilAttached(scriptFile('opensnoop-shaped.bt'), new RegExp(` ${WORKLOAD_COMM} `), true),
      ),
      ...await sideBySide(
        attachFigures('runqlat-sized script (bench/scripts/runqlat-shaped.bt)', '≤ 0.5', false),
        RUNS, untilAttached(scriptFile('runqlat-shaped.bt'), /^first$/, false),
      ),
    ];
  } finally {
    await trickle.stop();
  }
}
