// Shared pieces of the links' kernel tests: a state map read back from user space, programs that
// count events of one process, and child processes held at a "ready" line until the probes are on.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { Assembler, Helper, R0, R1, R2, R6, encode } from '../../asm/index.js';
import { MapType, type AttachType, type ProgramType } from '../../sys/index.js';
import { BpfMap } from '../map.js';
import { Program } from '../program.js';

/** The state value: the tgid to watch, then three counters the programs add to. */
export const STATE = { tgid: 0, count: 8, first: 16, second: 24, size: 32 } as const;
const KEY = new Uint8Array(4);

export function createStateMap(): BpfMap {
  return BpfMap.create({ name: 'links_test', type: MapType.ARRAY, keySize: 4, valueSize: STATE.size, maxEntries: 1 });
}

export function watchProcess(map: BpfMap, pid: number): void {
  const value = new Uint8Array(STATE.size);
  new DataView(value.buffer).setBigUint64(STATE.tgid, BigInt(pid), true);
  map.update(KEY, value);
}

export interface StateCounters {
  count: bigint;
  first: bigint;
  second: bigint;
}

export function readState(map: BpfMap): StateCounters {
  const value = map.lookup(KEY);
  if (value === undefined) throw new Error('the state map has no entry 0');
  const view = new DataView(value.buffer, value.byteOffset);
  return {
    count: view.getBigUint64(STATE.count, true),
    first: view.getBigUint64(STATE.first, true),
    second: view.getBigUint64(STATE.second, true),
  };
}

export interface CounterProgram {
  name: string;
  type: ProgramType;
  expectedAttachType?: AttachType;
  attachBtfId?: number;
  /** Runs first with the context in R6; jumps to 'out' to ignore the event. */
  filter?: (b: Assembler) => void;
  /** Runs for events of the watched process with the state value's address in R1 and context in R6. */
  record?: (b: Assembler) => void;
}

/**
 * A program that adds 1 to `count` for events of the watched tgid (helper get_current_pid_tgid: tgid
 * in the upper half), after the given filter, and lets `record` add more. The state is reached
 * by direct value access (Linux 5.2), since an array map of one entry has a fixed address.
 */
export function loadCounter(map: BpfMap, spec: CounterProgram): Program {
  const b = new Assembler().mov64(R6, R1);
  spec.filter?.(b);
  b.call(Helper.get_current_pid_tgid)
    .rsh64(R0, 32)
    .ldMapValue(R1, 'state', 0)
    .ldx('dw', R2, R1, STATE.tgid)
    .jmp('ne', R2, R0, 'out')
    .mov64(R2, 1)
    .atomic('add', 'dw', R1, STATE.count, R2);
  spec.record?.(b);
  b.label('out').mov64(R0, 0).exit();
  const { bytes } = encode(b.instructions(), () => map.fd);
  return Program.load({
    name: spec.name,
    type: spec.type,
    instructions: bytes,
    license: 'GPL',
    expectedAttachType: spec.expectedAttachType,
    attachBtfId: spec.attachBtfId,
  });
}

/** Adds the 64-bit context field at `ctxOffset` to the state field at `stateOffset`. */
export function addContextField(ctxOffset: number, stateOffset: number): (b: Assembler) => void {
  return (b) => b.ldx('dw', R2, R6, ctxOffset).atomic('add', 'dw', R1, stateOffset, R2);
}

/**
 * A child that prints a line once started and then waits for a line on stdin, so probes can be
 * attached (and its pid written to the state map) before it does what the test counts.
 */
export class HeldChild {
  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    private readonly exited: Promise<number | null>,
    readonly readyLine: string,
  ) {}

  static async start(command: string, args: readonly string[]): Promise<HeldChild> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    let output = '';
    child.stdout.setEncoding('utf8');
    const readyLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const end = output.indexOf('\n');
        if (end >= 0) resolve(output.slice(0, end));
      });
      child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready`)));
      child.once('error', reject);
    });
    return new HeldChild(child, exited, readyLine);
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error('the child has no pid');
    return this.process.pid;
  }

  /** Lets the child go on and waits for it to exit; resolves with its exit code. */
  async release(): Promise<number | null> {
    this.process.stdin.end('go\n');
    return this.exited;
  }
}

/** python3 that prints "ready", waits for a line, then runs `body`. */
export function heldPython(body: string): Promise<HeldChild> {
  return HeldChild.start('python3', ['-c', `import os, sys, time\nprint('ready', flush=True)\nsys.stdin.readline()\n${body}`]);
}
