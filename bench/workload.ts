// The C syscall workload (bench/workloads/bench-syscalls.c), compiled once per bench run with `cc -O2`.
// test/fixtures' buildFixture only builds sources from test/fixtures, so the benchmark builds its own.
import { execFile, spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The workload's comm, which scripts print and the harness filters on. */
export const WORKLOAD_COMM = 'bench-syscalls';

const source = fileURLToPath(new URL('./workloads/bench-syscalls.c', import.meta.url));
let binary: Promise<string> | undefined;

function workloadBinary(): Promise<string> {
  if (binary === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'bpfscope-bench-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const output = join(dir, WORKLOAD_COMM);
    binary = promisify(execFile)('cc', ['-O2', '-o', output, source]).then(() => output);
  }
  return binary;
}

type Piped = ChildProcessByStdio<Writable, Readable, null>;

function lines(child: Piped): AsyncIterator<string> {
  child.stdout.setEncoding('utf8');
  let buffered = '';
  const chunks = child.stdout[Symbol.asyncIterator]() as AsyncIterator<string>;
  return {
    async next(): Promise<IteratorResult<string>> {
      for (;;) {
        const end = buffered.indexOf('\n');
        if (end >= 0) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          return { value: line, done: false };
        }
        const chunk = await chunks.next();
        if (chunk.done === true) return { value: undefined, done: true };
        buffered += chunk.value;
      }
    },
  };
}

export interface LoopTimes {
  readonly elapsedNs: number;
  /** Inside the getppid() calls: the whole loop without a rate, the calls alone when paced. */
  readonly insideCallsNs: number;
}

/**
 * A `loop` or `paced` run held at "ready" until `release()`, so a tracer can attach to the system
 * before the measured loop starts. The loop times itself, leaving process start-up out of the figure.
 */
export class HeldLoop {
  private released = false;

  private constructor(
    private readonly child: Piped,
    private readonly output: AsyncIterator<string>,
  ) {}

  /** `calls` getppid() calls, paced at `rate` per second, or as fast as possible without a rate. */
  static async start(calls: number, rate?: number): Promise<HeldLoop> {
    const args = rate === undefined ? ['loop', String(calls)] : ['paced', String(calls), String(rate)];
    const child = spawn(await workloadBinary(), args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const output = lines(child);
    const first = await output.next();
    if (first.done === true || first.value !== 'ready') throw new Error(`workload did not start: ${String(first.value)}`);
    return new HeldLoop(child, output);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the workload has no pid');
    return this.child.pid;
  }

  /** Starts the loop and resolves with its elapsed time in nanoseconds once it is done. */
  async release(): Promise<number> {
    return (await this.releaseTimed()).elapsedNs;
  }

  /** Starts the loop and resolves with its elapsed time and the time spent inside its calls. */
  async releaseTimed(): Promise<LoopTimes> {
    const exited = once(this.child, 'exit');
    this.released = true;
    this.child.stdin.end('go\n');
    const elapsed = await this.output.next();
    const inside = await this.output.next();
    await exited;
    if (elapsed.done === true || inside.done === true) throw new Error('workload exited without a result');
    return { elapsedNs: Number(elapsed.value), insideCallsNs: Number(inside.value) };
  }

  /** Ends a loop that was never released (its tracer failed): closing stdin makes it exit. */
  abandon(): void {
    if (!this.released) this.child.stdin.end();
  }
}

/**
 * `trickle`: getppid(), open/close of /dev/null and a short sleep, repeated in the background so that
 * probes on those syscalls (and the scheduler) fire soon after they are attached.
 */
export class Trickle {
  private constructor(private readonly child: ChildProcess) {}

  static async start(pauseMicroseconds: number): Promise<Trickle> {
    const child = spawn(await workloadBinary(), ['trickle', String(pauseMicroseconds)], { stdio: ['pipe', 'ignore', 'inherit'] });
    await once(child, 'spawn');
    return new Trickle(child);
  }

  async stop(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.stdin?.end();
    await exited;
  }
}
