// Load-and-attach cost of the kernel layer alone, in-process (issue 2): Program.load of a small
// TRACEPOINT program, attachTracepoint on syscalls:sys_enter_getppid, then detach and close — each step
// timed separately, median of many rounds. The first round is reported on its own: it pays for tracefs
// lookups and the FFI's first calls, which is what a one-shot CLI run pays too.
//
// There is no bpftrace figure for this: bpftrace cannot be timed around these steps alone. Its
// whole-process equivalent (time until one probe is attached) is in the start-up benchmark.
import { performance } from 'node:perf_hooks';
import { Assembler, Helper, R0, encode } from '../src/asm/index.js';
import { attachTracepoint } from '../src/kernel/links/tracepoint-link.js';
import { Program } from '../src/kernel/program.js';
import { ProgramType, linuxSys } from '../src/sys/index.js';
import type { BenchResult } from './result.js';
import { median } from './side-by-side.js';

const ROUNDS = 50;

/** What a one-probe script compiles to at least: read something from the kernel, return 0. */
function instructions(): Uint8Array {
  const b = new Assembler().call(Helper.ktime_get_ns).mov64(R0, 0).exit();
  return encode(b.instructions()).bytes;
}

interface Round {
  load: number;
  attach: number;
  detach: number;
  close: number;
}

function round(bytes: Uint8Array): Round {
  const sys = linuxSys();
  const t0 = performance.now();
  const program = Program.load({ name: 'bench_tp', type: ProgramType.TRACEPOINT, instructions: bytes, license: 'GPL' });
  const t1 = performance.now();
  const link = attachTracepoint(sys, program, 'syscalls', 'sys_enter_getppid');
  const t2 = performance.now();
  link.detach();
  const t3 = performance.now();
  program.close();
  const t4 = performance.now();
  return { load: t1 - t0, attach: t2 - t1, detach: t3 - t2, close: t4 - t3 };
}

export function kernelAttachBench(): BenchResult[] {
  const bytes = instructions();
  const first = round(bytes);
  const rounds = Array.from({ length: ROUNDS }, () => round(bytes));
  const typical = (step: keyof Round) => median(rounds.map((r) => r[step]));
  const result = (name: string, value: number): BenchResult => ({ name, value, unit: 'ms' });
  return [
    result('first load + attach in the process (Program.load, tracepoint link)', first.load + first.attach),
    result(`load (Program.load), median of ${ROUNDS}`, typical('load')),
    result(`attach (perf event + SET_BPF + enable), median of ${ROUNDS}`, typical('attach')),
    result(`load + attach, median of ${ROUNDS}`, median(rounds.map((r) => r.load + r.attach))),
    result(`detach, median of ${ROUNDS}`, typical('detach')),
    result(`close program, median of ${ROUNDS}`, typical('close')),
  ];
}
