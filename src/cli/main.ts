// bpfscope's command line: reads argv and hands over to a command. Kept thin: each command lives in
// its own file. Failures print a located diagnostic or one line (`bpfscope: ...`) and exit non-zero,
// never a stack trace.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, USAGE, UsageError, type CliCommand } from './cli-options.js';
import { describeError } from './error-report.js';
import { runInfo } from './info.js';
import { listProbeNames } from './list-probes.js';
import { runScript } from './run-script.js';

const SEE_HELP = "run 'bpfscope --help' for usage";

/** Exit status for a command line that could not be understood, as opposed to a command that failed. */
const USAGE_ERROR = 2;

/**
 * The version in package.json, found by walking up from this file: the sources (src/cli/) and the
 * bundle (dist/) sit at different depths below it.
 */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++, dir = dirname(dir)) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const { name, version } = manifest as { name?: unknown; version?: unknown };
      if (name === 'bpfscope' && typeof version === 'string') return version;
    } catch {
      continue;
    }
  }
  return 'unknown';
}

async function dispatch(command: CliCommand): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`bpfscope ${packageVersion()}\n`);
      return 0;
    case 'info':
      runInfo({ json: command.json });
      return 0;
    case 'list':
      listProbeNames(command);
      return 0;
    case 'run':
      return runScript(command.run);
  }
}

/** Runs one command line and resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bpfscope: ${error.message}\n${SEE_HELP}\n`);
    return USAGE_ERROR;
  }
  try {
    return await dispatch(command);
  } catch (error) {
    process.stderr.write(describeError(error, command.kind === 'run' && command.run.verbose));
    return 1;
  }
}

// Scripts see the tracer as `comm` (BEGIN and END run in this process) and filter it out by name, as
// they do `bpftrace`; the kernel's name for this process would otherwise be "node".
process.title = 'bpfscope';

// Exiting explicitly: a finished run may still have an epoll wait parked on a worker thread for a
// fraction of a second, and nothing is left to wait for (output is written synchronously).
main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(describeError(error, false));
    process.exit(1);
  },
);
