// bpfscope's command line: reads argv and hands over to a command. Kept thin: each command lives in
// its own file. Failures print one line (`bpfscope: ...`) and exit non-zero, never a stack trace.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInfo } from './info.js';

const USAGE = `usage: bpfscope info [--json]     what this kernel lets bpfscope do
       bpfscope --info [--json]
       bpfscope --version
       bpfscope -h | --help`;

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

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
      info: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}

/** Runs one command line and returns the exit status. */
export function main(argv: string[]): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`bpfscope: ${error instanceof Error ? error.message : String(error)}\n${SEE_HELP}\n`);
    return USAGE_ERROR;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version === true) {
    process.stdout.write(`bpfscope ${packageVersion()}\n`);
    return 0;
  }
  if ((values.info === true && command === undefined) || (command === 'info' && rest.length === 0)) {
    runInfo({ json: values.json === true });
    return 0;
  }
  const problem = command === undefined ? 'no command given' : `unknown command: ${positionals.join(' ')}`;
  process.stderr.write(`bpfscope: ${problem}\n${SEE_HELP}\n`);
  return USAGE_ERROR;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bpfscope: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
