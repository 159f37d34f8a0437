// bpftrace's command line, read (argv.ts, getopt-style) into one typed object. Short options take
// their value as the next word or the rest of their own (`-e 'prog'`, `-p 123`, `-p123`); booleans
// group (`-lv`, `-qv`). Words after the script are its positional parameters ($1…); one that starts
// with `-` needs `--` before it, as with bpftrace.
import { ArgvError, readArgv, type OptionSpec } from './argv.js';

export type DumpStage = 'ast' | 'ir' | 'asm' | 'verifier';
export const DUMP_STAGES: readonly DumpStage[] = ['ast', 'ir', 'asm', 'verifier'];

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'info'; readonly json: boolean }
  | { readonly kind: 'list'; readonly pattern: string | undefined; readonly verbose: boolean; readonly pid?: number }
  | { readonly kind: 'run'; readonly run: RunOptions };

export interface RunOptions {
  /** `-e PROGRAM`, or the script file's text. */
  readonly script: { readonly from: 'inline'; readonly text: string } | { readonly from: 'file'; readonly path: string };
  readonly params: readonly string[];
  readonly pid?: number;
  readonly command?: string;
  readonly format: 'text' | 'json';
  readonly outputFile?: string;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly dumps: readonly DumpStage[];
  readonly dryRun: boolean;
  readonly unsafe: boolean;
}

/** The command line could not be understood: exit status 2 and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage: bpfscope [options] FILE [ARG ...]
       bpfscope [options] -e PROGRAM [ARG ...]
       bpfscope -l [PATTERN]            list probes (-lv: with their arguments)
       bpfscope info [--json]           what this kernel lets bpfscope do

Runs bpftrace scripts: compiles them to eBPF in-process and prints what bpftrace prints.

options:
  -e PROGRAM      the program text, instead of FILE
  -l [PATTERN]    list probes matching PATTERN (e.g. 'tracepoint:syscalls:*open*'); -lv adds details
  -p PID          trace only process PID where a probe can be scoped (uprobes)
  -c CMD          run CMD once the probes are attached; cpid is its pid; stop when it exits
  -f text|json    output format (json: bpftrace's NDJSON records)
  -o FILE         write the script's output to FILE
  -q              do not print "Attaching N probes..."
  -v              verbose: timings of each stage, and the causes of an error
  -d STAGE        dump a stage to stderr: ast, ir, asm, or verifier (the verifier's full log);
                  may be repeated
  --dry-run       compile and load into the kernel, attach nothing
  --unsafe        allow system(), cat() and signal()
  --info          same as the info command
  --version       print the version
  -h, --help      print this help

Positional parameters follow the script: $1, $2, ... and $# (their count). Put -- before any that
starts with a dash.`;

const OPTIONS = {
  expression: { type: 'string', short: 'e' },
  list: { type: 'boolean', short: 'l' },
  pid: { type: 'string', short: 'p' },
  command: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  dump: { type: 'string', short: 'd', multiple: true },
  'dry-run': { type: 'boolean' },
  unsafe: { type: 'boolean' },
  info: { type: 'boolean' },
  json: { type: 'boolean' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

function parsePid(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0 || Number(text) > 0x3fffffff) {
    throw new UsageError(`-p needs a process id (a positive integer), not '${text}'`);
  }
  return Number(text);
}

function parseFormat(text: string | undefined): 'text' | 'json' {
  if (text === undefined || text === 'text') return 'text';
  if (text === 'json') return 'json';
  throw new UsageError(`-f accepts text or json, not '${text}'`);
}

function parseDumps(stages: readonly string[] | undefined): DumpStage[] {
  return (stages ?? []).map((stage) => {
    const known = DUMP_STAGES.find((s) => s === stage);
    if (known === undefined) throw new UsageError(`-d accepts ${DUMP_STAGES.join(', ')}, not '${stage}'`);
    return known;
  });
}

export function parseCommandLine(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = readArgv(argv, OPTIONS);
  } catch (error) {
    if (error instanceof ArgvError) throw new UsageError(error.message);
    throw error;
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const pid = values.pid === undefined ? undefined : parsePid(values.pid);
  if (values.info === true || (values.expression === undefined && values.list !== true && positionals[0] === 'info')) {
    if (positionals.length > (values.info === true ? 0 : 1)) throw new UsageError('info takes no arguments');
    return { kind: 'info', json: values.json === true };
  }
  if (values.list === true) {
    if (values.expression !== undefined) throw new UsageError('-l lists probes; it cannot be combined with -e');
    if (positionals.length > 1) throw new UsageError('-l takes at most one pattern');
    return { kind: 'list', pattern: positionals[0], verbose: values.verbose === true, ...(pid === undefined ? {} : { pid }) };
  }
  if (values.json === true) throw new UsageError('--json goes with info; for script output use -f json');
  let script: RunOptions['script'];
  let params: string[];
  if (values.expression !== undefined) {
    script = { from: 'inline', text: values.expression };
    params = positionals;
  } else {
    const [path, ...rest] = positionals;
    if (path === undefined) throw new UsageError('no program given: name a script FILE or use -e PROGRAM');
    script = { from: 'file', path };
    params = rest;
  }
  if (pid !== undefined && values.command !== undefined) throw new UsageError('-p and -c cannot be used together');
  return {
    kind: 'run',
    run: {
      script,
      params,
      ...(pid === undefined ? {} : { pid }),
      ...(values.command === undefined ? {} : { command: values.command }),
      format: parseFormat(values.format),
      ...(values.output === undefined ? {} : { outputFile: values.output }),
      quiet: values.quiet === true,
      verbose: values.verbose === true,
      dumps: parseDumps(values.dump),
      dryRun: values['dry-run'] === true,
      unsafe: values.unsafe === true,
    },
  };
}
