// `-c CMD`: the command exists (so its pid can be compiled in as `cpid` and probes scoped to it) but
// does not run until the probes are attached. It is started as a shell that waits on a private pipe
// and then execs the command in place, keeping its pid. If bpfscope dies before releasing it, the
// pipe closes without the go-ahead and the shell exits instead of running the command untraced.
//
// As in bpftrace, CMD is split on whitespace (no shell quoting) and found through PATH.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * fd 4 is closed to say "about to wait" (so the shell's own start-up system calls are all done before
 * any probe is attached); fd 3 brings the go-ahead; then the command replaces the shell.
 */
const GATE = 'exec 4>&-; read -r gate <&3 && [ "$gate" = go ] || exit 125; exec 3<&-; exec "$@"';

/** A -c command that cannot be started; the message says why. */
export class CommandError extends Error {
  override name = 'CommandError';
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The program's path as execvp would find it, or a CommandError. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string {
  if (name.includes('/')) {
    if (isExecutableFile(name)) return name;
    throw new CommandError(`cannot run ${name}: no such executable file`);
  }
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir === '' ? '.' : dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new CommandError(`cannot run ${name}: not found in PATH`);
}

export class SuspendedCommand {
  /** Resolves with the exit code, or 128 + signal number when a signal ended it. */
  readonly exited: Promise<number>;
  private running = true;

  private constructor(private readonly child: ChildProcess, private readonly gate: Writable, readonly pid: number) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.running = false;
        resolve(code ?? 128 + (signal === null ? 0 : osConstants.signals[signal]));
      });
    });
  }

  /** Starts the shell and resolves once it is waiting for the go-ahead. */
  static async spawn(commandLine: string): Promise<SuspendedCommand> {
    const words = commandLine.trim().split(/\s+/).filter((word) => word !== '');
    const [program, ...args] = words;
    if (program === undefined) throw new CommandError('-c needs a command to run');
    const executable = findExecutable(program);
    const child = spawn('/bin/sh', ['-c', GATE, program, executable, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'] });
    const gate = child.stdio[3];
    const waiting = child.stdio[4];
    if (child.pid === undefined || !gate || !('write' in gate) || !waiting || !('read' in waiting)) {
      child.kill('SIGKILL');
      throw new CommandError(`cannot start ${program}`);
    }
    // The child's exit is reported through `exited`; a failed write to its gate only means it is gone.
    gate.on('error', () => undefined);
    const command = new SuspendedCommand(child, gate, child.pid);
    waiting.resume();
    await Promise.race([once(waiting, 'end'), command.exited]);
    return command;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Lets the command run. */
  release(): void {
    this.gate.end('go\n');
  }

  /** Ends the command: before release it never runs; after, it gets SIGTERM as bpftrace sends. */
  terminate(): void {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    this.gate.destroy();
  }
}
