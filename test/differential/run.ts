// Runs one differential case under a tracer (bpftrace or bpfscope, same command line) and compares
// two outcomes. Only two things are normalised away, on both sides:
// - the "Attaching N probes..." line, a progress message rather than program output: bpftrace 0.17
//   prints it first on stdout (in JSON as an `attached_probes` record), bpfscope on stderr, which
//   keeps stdout for the program's own output;
// - the RLIMIT_MEMLOCK warning bpftrace 0.17 prints on stderr on kernels that account BPF memory to
//   the cgroup (every 6.x kernel).
// Everything else — stdout byte for byte, the rest of stderr, the exit status — must match.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DifferentialCase } from './cases.js';
import { unifiedDiff } from './unified-diff.js';

/** Stands for the workload binary's path in scripts and command lines; it differs between builds. */
export const WORKLOAD_PLACEHOLDER = '{workload}';

export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What one run of a tracer left: its output and how it ended (exit code, or the signal's name). */
export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | string;
}

/** A guard against a tracer that never exits, not a timing assertion: every case ends by itself. */
const RUN_LIMIT_MS = 60_000;
const KILL_GRACE_MS = 5_000;

// On stdout they come first, before anything the program prints; on stderr, anywhere.
const ATTACHING_LINE = /^Attaching \d+ probes?\.\.\.\n/;
const ATTACHED_PROBES_RECORD = /^\{"type": ?"attached_probes".*\}\n/;
const ATTACHING_LINE_ANYWHERE = /^Attaching \d+ probes?\.\.\.\n/m;
const MEMLOCK_WARNING = /^.*couldn't set RLIMIT_MEMLOCK for bpftrace.*\n/gm;

/**
 * The tracer's arguments for a case, with the workload still as {@link WORKLOAD_PLACEHOLDER}: this
 * template is what the recording stores, so a case edited after recording is noticed.
 */
export function commandLine(testCase: DifferentialCase): string[] {
  const argv: string[] = [];
  if (testCase.json === true) argv.push('-f', 'json');
  if (testCase.workload !== undefined) argv.push('-c', [WORKLOAD_PLACEHOLDER, ...testCase.workload].join(' '));
  argv.push('-e', testCase.script, ...(testCase.args ?? []));
  return argv;
}

export function instantiate(argv: readonly string[], workloadPath: string): string[] {
  return argv.map((arg) => arg.replaceAll(WORKLOAD_PLACEHOLDER, workloadPath));
}

/** The command that runs bpftrace: `$BPFTRACE` (one path) or `bpftrace` from PATH. */
export function bpftraceCommand(): string[] {
  return [process.env.BPFTRACE ?? 'bpftrace'];
}

/**
 * The command that runs bpfscope: `$BPFSCOPE` (one path, e.g. the built `./bpfscope`) or the CLI
 * straight from the TypeScript sources, which needs no build step.
 */
export function bpfscopeCommand(): string[] {
  const override = process.env.BPFSCOPE;
  if (override !== undefined) return [override];
  return [process.execPath, '--import', 'tsx', join(REPOSITORY_ROOT, 'src', 'cli', 'main.ts')];
}

/** Runs `command argv` from the repository root with stdin closed and collects what it printed. */
export function runTool(command: readonly string[], argv: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), ...argv], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    // SIGINT first, as a user would press Ctrl-C, so the tracer can detach and clean up.
    const interrupt = setTimeout(() => {
      timedOut = true;
      child.kill('SIGINT');
    }, RUN_LIMIT_MS);
    const kill = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS + KILL_GRACE_MS);
    child.on('error', (error) => {
      clearTimeout(interrupt);
      clearTimeout(kill);
      reject(new Error(`cannot run ${command.join(' ')}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(interrupt);
      clearTimeout(kill);
      const limit = timedOut ? `\n[still running after ${RUN_LIMIT_MS / 1000} s: interrupted]\n` : '';
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + limit,
        status: code ?? signal ?? 'unknown',
      });
    });
  });
}

/** Drops the Attaching line (or record) and the RLIMIT_MEMLOCK warning; see the top of this file. */
export function normalise(outcome: Outcome): Outcome {
  return {
    stdout: outcome.stdout.replace(ATTACHING_LINE, '').replace(ATTACHED_PROBES_RECORD, ''),
    stderr: outcome.stderr.replace(MEMLOCK_WARNING, '').replace(ATTACHING_LINE_ANYWHERE, ''),
    status: outcome.status,
  };
}

/**
 * '' when the outcomes agree; otherwise a report with a unified diff for each stream that differs
 * (expected on the `---` side) and both exit statuses if they differ.
 */
export function compareOutcomes(expected: Outcome, actual: Outcome, expectedLabel: string, actualLabel: string): string {
  const parts: string[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    const diff = unifiedDiff(expected[stream], actual[stream], `${expectedLabel} ${stream}`, `${actualLabel} ${stream}`);
    if (diff !== '') parts.push(diff);
  }
  if (expected.status !== actual.status) {
    parts.push(`exit status: ${expectedLabel} ${expected.status}, ${actualLabel} ${actual.status}\n`);
  }
  return parts.join('\n');
}
