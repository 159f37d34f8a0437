// Runs the CLI from its TypeScript sources as users run the built one: a separate process, argv in,
// exit status and both streams out.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process; `result` settles when it exits. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly result: Promise<CliResult>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => { this.stdout += chunk; });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => { this.stderr += chunk; });
    this.result = once(this.child, 'close').then(([status, signal]) => ({
      status: status as number | null,
      signal: signal as NodeJS.Signals | null,
      stdout: this.stdout,
      stderr: this.stderr,
    }));
  }

  /** Resolves once stdout contains `text`, or rejects if the process ends first. */
  async waitForStdout(text: string): Promise<void> {
    const ended = this.result.then(() => 'ended' as const);
    while (!this.stdout.includes(text)) {
      const next = await Promise.race([once(this.child.stdout, 'data').then(() => 'data' as const), ended]);
      if (next === 'ended' && !this.stdout.includes(text)) throw new Error(`the CLI exited before printing '${text}': ${this.stderr}`);
    }
  }
}

export function runCli(...args: string[]): Promise<CliResult> {
  return new CliProcess(args).result;
}

/** What a JavaScript stack trace looks like in stderr. */
export const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
