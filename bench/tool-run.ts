// One run of a tracing tool as a user would start it, with the moments that matter timed from the
// instant before spawn(): when a line matching a pattern appears (on either stream — bpftrace 0.17
// prints "Attaching N probes..." on stdout), when the process exits, and how long SIGINT takes to end
// it. Output lines are counted as they stream, so even floods of printf lines are never stored.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';

export interface Tool {
  name: string;
  command: string;
}

/** Through the launcher, as a user runs it: bash, a freshness check, then the built bundle. */
export const BPFSCOPE: Tool = { name: 'bpfscope', command: fileURLToPath(new URL('../bpfscope', import.meta.url)) };
export const BPFTRACE: Tool = { name: 'bpftrace 0.17', command: '/usr/bin/bpftrace' };

/** A script given inline (`-e`) or as a file path. */
export type Script = { inline: string } | { file: string };

export interface Exit {
  /** Milliseconds from just before spawn() to the process's exit. */
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The line both tools print before attaching; bpftrace 0.17 prints it on stdout. */
export const ATTACHING = /^Attaching \d+ probes?\.\.\./;

const DEFAULT_TIMEOUT_MS = 30_000;
/** Lines kept for failure messages. */
const TAIL = 5;

export class ToolRun {
  readonly exit: Promise<Exit>;
  private readonly started = performance.now();
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly watchers: Array<{ pattern: RegExp; resolve: (at: number) => void }> = [];
  private readonly tail: string[] = [];
  private readonly lineHandlers: Array<(line: string) => void> = [];
  private exited: Exit | undefined;

  private constructor(readonly tool: Tool, script: Script, args: readonly string[]) {
    const scriptArgs = 'inline' in script ? ['-e', script.inline] : [script.file];
    this.child = spawn(tool.command, [...scriptArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exit = new Promise<Exit>((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        this.exited = { at: this.elapsed(), code, signal };
        resolve(this.exited);
      });
    });
    this.scan(this.child.stdout);
    this.scan(this.child.stderr);
  }

  static start(tool: Tool, script: Script, args: readonly string[] = []): ToolRun {
    return new ToolRun(tool, script, args);
  }

  /** The tool's process (the launcher execs Node, so for bpfscope this is the runtime itself). */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.tool.name} has no pid`);
    return this.child.pid;
  }

  /** CPU time (user + system) the tool's process has used so far, in milliseconds (10 ms steps). */
  cpuMs(): number {
    // /proc/PID/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second here);
    // the command name (field 2) is in parentheses and may contain spaces, so count after it.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  /** Calls `handler` for every output line from now on (both streams). */
  onLine(handler: (line: string) => void): void {
    this.lineHandlers.push(handler);
  }

  /**
   * Milliseconds from spawn to the first line matching `pattern` seen from now on. Rejects, naming
   * the tool's last words, if it exits or the timeout passes first.
   */
  waitFor(pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const watcher = { pattern, resolve: (at: number) => { clearTimeout(timer); resolve(at); } };
      this.watchers.push(watcher);
      void this.exit.then((exit) => {
        clearTimeout(timer);
        reject(this.failure(`exited (${exit.signal ?? `code ${exit.code}`}) before printing a line matching ${pattern}`));
      }, reject);
    });
  }

  /**
   * Sends SIGINT and resolves with the milliseconds until the process had exited. bpftrace 0.17 can
   * sleep through a SIGINT that lands while it handles output (its flag is checked before a blocking
   * epoll_wait) until the next event arrives; `nudge`, called each second while the tool lives on,
   * should cause one.
   */
  async interrupt(options: { timeoutMs?: number; nudge?: () => Promise<void> } = {}): Promise<number> {
    const timeoutMs = options.timeoutMs ?? 120_000;
    const sent = performance.now();
    this.child.kill('SIGINT');
    const killer = setTimeout(() => this.kill(), timeoutMs);
    const nudger = options.nudge === undefined ? undefined : setInterval(() => void options.nudge?.(), 1000);
    const exit = await this.exit;
    clearTimeout(killer);
    clearInterval(nudger);
    if (exit.signal === 'SIGKILL') throw this.failure(`still running ${timeoutMs} ms after SIGINT`);
    return exit.at - (sent - this.started);
  }

  /** Waits for the tool to exit by itself; rejects on a non-zero status or after the timeout. */
  async finished(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Exit> {
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const exit = await this.exit;
    clearTimeout(timer);
    if (exit.code !== 0) throw this.failure(`exited with ${exit.signal ?? `code ${exit.code}`}`);
    return exit;
  }

  /** Stops (SIGSTOP) or continues (SIGCONT) the tool, to play a consumer that falls behind. */
  stall(stopped: boolean): void {
    this.child.kill(stopped ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Ends the tool for good (used when a measurement failed); a no-op once it has exited. */
  kill(): void {
    if (this.exited === undefined) this.child.kill('SIGKILL');
  }

  private elapsed(): number {
    return performance.now() - this.started;
  }

  private failure(what: string): Error {
    const said = this.tail.filter((line) => !/RLIMIT_MEMLOCK|^ERROR: ?$|^: ?$|^$/.test(line)).join(' / ');
    return new Error(`${this.tool.name} ${what}${said === '' ? '' : `: ${said}`}`);
  }

  private scan(stream: Readable): void {
    stream.setEncoding('utf8');
    let partial = '';
    stream.on('data', (chunk: string) => {
      const at = this.elapsed();
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.line(line, at);
    });
    stream.on('end', () => {
      if (partial !== '') this.line(partial, this.elapsed());
    });
  }

  private line(line: string, at: number): void {
    this.tail.push(line);
    if (this.tail.length > TAIL) this.tail.shift();
    for (const handler of this.lineHandlers) handler(line);
    for (let i = this.watchers.length - 1; i >= 0; i--) {
      const watcher = this.watchers[i];
      if (watcher !== undefined && watcher.pattern.test(line)) {
        this.watchers.splice(i, 1);
        watcher.resolve(at);
      }
    }
  }
}

/**
 * Runs `body` against a started tool and makes sure the tool is gone afterwards, however body ended:
 * a tool still running when body returns gets SIGKILL, which is how measurements that do not time the
 * tool's exit end it (the kernel releases its perf events and programs with its file descriptors).
 */
export async function withRun<T>(
  tool: Tool, script: Script, args: readonly string[], body: (run: ToolRun) => Promise<T>,
): Promise<T> {
  const run = ToolRun.start(tool, script, args);
  try {
    return await body(run);
  } finally {
    run.kill();
    await run.exit.catch(() => undefined);
  }
}
