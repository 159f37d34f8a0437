// Running a script from the command line: read → parse → compile → load → attach → BEGIN → events
// → END → maps → detach, with the -c command released once the probes are on, Ctrl-C / SIGTERM /
// SIGHUP ending the run the way exit() does, and -d dumps and -v timings on stderr (stdout carries
// only the script's output, so `-f json` stays parseable).
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { compile, dumpScript, type CompiledScript } from '../compiler/index.js';
import { ElfFile, KernelSymbols, cgroupId, possibleCpus, type BpfMap } from '../kernel/index.js';
import { formatDiagnostics, parse, Source, type Program } from '../lang/index.js';
import { createFormatter } from '../output/index.js';
import { defaultProviders } from '../providers/index.js';
import { LazyBtf, OutputWriter, PremadeMaps, ProbeLoadError, Session, type SessionOptions } from '../runtime/index.js';
import type { RunOptions } from './cli-options.js';
import { FdWriter } from './fd-writer.js';
import type { SuspendedCommand } from './suspended-command.js';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function readScript(options: RunOptions): Source {
  if (options.script.from === 'inline') return new Source('-e', options.script.text);
  const { path } = options.script;
  try {
    return new Source(path, readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === undefined ? String(error) : `${code} (${READ_FAILURES[code] ?? 'see errno'})`;
    throw new Error(`cannot read the script ${path}: ${why}`);
  }
}

const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file; a program given on the command line goes after -e',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/** Where the script's output goes: stdout, or the -o file. */
interface OutputTarget {
  write(text: string): void;
  close(): void;
}

function openOutput(path: string | undefined, onClosed: () => void): OutputTarget {
  if (path === undefined) {
    // A reader that went away (`| head`) ends the run quietly.
    const stdout = new FdWriter(1, { fallback: () => stdoutStream(onClosed), onClosed });
    return { write: (text) => stdout.write(text), close: () => undefined };
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new Error(`cannot write to ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { write: (text) => void writeSync(fd, text), close: () => closeSync(fd) };
}

/** process.stdout, for a non-blocking stdout; without an 'error' listener an EPIPE would throw. */
function stdoutStream(onClosed: () => void): NodeJS.WriteStream {
  return process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') onClosed();
  });
}

/** -v step timings, on the monotonic clock (the `performance` global would load perf_hooks: ~1 ms). */
class Timings {
  private last = process.hrtime.bigint();
  private readonly steps: string[] = [];

  constructor(private readonly enabled: boolean) {}

  mark(step: string): void {
    const now = process.hrtime.bigint();
    this.steps.push(`${step} ${(Number(now - this.last) / 1e6).toFixed(1)} ms`);
    this.last = now;
  }

  report(): void {
    if (this.enabled && this.steps.length > 0) process.stderr.write(`bpfscope: ${this.steps.join(', ')}\n`);
    this.steps.length = 0;
  }
}

function dump(options: RunOptions, stage: 'ast' | 'ir' | 'asm', program: Program, script: CompiledScript | undefined): void {
  if (options.dumps.includes(stage)) process.stderr.write(`${dumpScript(stage, program, script)}\n`);
}

/** kaddr() symbols: /proc/kallsyms is read only when a script asks for one. */
function lazyKernelSymbols(): { address(name: string): bigint | undefined } {
  let symbols: KernelSymbols | undefined;
  return { address: (name) => (symbols ??= KernelSymbols.fromProcfs()).address(name) };
}

function elfSymbol(path: string, name: string): { address: bigint; size: bigint } | undefined {
  const symbol = ElfFile.open(path).findSymbol(name);
  return symbol === undefined ? undefined : { address: symbol.value, size: symbol.size };
}

/** Runs the script and resolves with the exit status; throws for anything that stops it early. */
export async function runScript(options: RunOptions): Promise<number> {
  const timings = new Timings(options.verbose);
  if (options.pid !== undefined && !existsSync(`/proc/${options.pid}`)) throw new Error(`-p ${options.pid}: no such process`);
  // Maps are made on worker threads while the script is read, parsed and compiled.
  const premade = new PremadeMaps();
  premade.startEventsRing();
  try {
    return await compileAndExecute(options, timings, premade);
  } finally {
    await premade.close();
  }
}

async function compileAndExecute(options: RunOptions, timings: Timings, premade: PremadeMaps): Promise<number> {
  const source = readScript(options);
  const program = parse(source);
  timings.mark('parsed in');
  dump(options, 'ast', program, undefined);

  // Spawned before compiling so `cpid` is known; it never runs unless released (a dry run never is).
  // Imported only for -c: node:child_process brings in net, dgram and streams (~7 ms of start-up).
  const command = options.command === undefined
    ? undefined
    : await (await import('./suspended-command.js')).SuspendedCommand.spawn(options.command);
  try {
    const registry = defaultProviders();
    const script = compile(program, {
      source,
      providers: (name) => registry.lookup(name),
      params: options.params,
      btf: new LazyBtf(),
      kernelSymbols: lazyKernelSymbols(),
      userSymbols: { symbol: (path, name) => elfSymbol(path, name) },
      cgroupIds: cgroupId,
      ncpus: possibleCpus,
      ...(options.pid === undefined ? {} : { pid: options.pid }),
      ...(command === undefined ? {} : { cpid: command.pid }),
      unsafe: options.unsafe,
      onMaps: (maps) => premade.startMaps(maps),
    });
    timings.mark('compiled in');
    if (script.warnings !== undefined && script.warnings.length > 0) process.stderr.write(`${formatDiagnostics(source, script.warnings)}\n`);
    dump(options, 'ir', program, script);
    dump(options, 'asm', program, script);
    return await execute(script, options, registry, command, timings, await premade.ready());
  } finally {
    command?.terminate();
  }
}

/** With -d verifier, a rejected program's whole log is shown before the error's summary. */
function loadSession(script: CompiledScript, options: RunOptions, sessionOptions: SessionOptions): Session {
  try {
    return Session.load(script, sessionOptions);
  } catch (error) {
    if (options.dumps.includes('verifier') && error instanceof ProbeLoadError && error.verifierLog !== undefined) {
      process.stderr.write(`; verifier log of ${error.probe}\n${error.verifierLog}\n`);
    }
    throw error;
  }
}

async function execute(
  script: CompiledScript, options: RunOptions, registry: ReturnType<typeof defaultProviders>,
  command: SuspendedCommand | undefined, timings: Timings, premade: ReadonlyMap<string, BpfMap>,
): Promise<number> {
  let session: Session | undefined;
  const output = openOutput(options.outputFile, () => session?.stop('output-closed'));
  const stderr = new FdWriter(2, { fallback: () => process.stderr });
  const sink = new OutputWriter({
    formatter: createFormatter(options.format),
    format: options.format,
    quiet: options.quiet,
    writeOut: (text) => output.write(text),
    writeErr: (text) => stderr.write(text),
  });
  const stop = (): void => session?.stop('stopped');
  try {
    session = loadSession(script, options, {
      sink,
      attachers: (name) => registry.lookup(name),
      ...(options.pid ?? command?.pid) === undefined ? {} : { pid: options.pid ?? command?.pid },
      unsafe: options.unsafe,
      verifierLog: options.dumps.includes('verifier'),
      premade,
    });
    timings.mark(`loaded ${session.programs.length} ${session.programs.length === 1 ? 'program' : 'programs'} in`);
    if (options.dumps.includes('verifier')) {
      for (const { compiled, program } of session.programs) {
        process.stderr.write(`; verifier log of ${compiled.name} (${compiled.targets.map((t) => t.name).join(', ')})\n${program.verifierLog ?? ''}\n`);
      }
    }
    if (options.dryRun) {
      timings.report();
      return 0;
    }
    for (const signal of STOP_SIGNALS) process.on(signal, stop);
    session.start();
    timings.mark('attached in');
    timings.report();
    if (command !== undefined) {
      command.release();
      void command.exited.then(() => session?.stop('command-exited'));
    }
    await session.run();
    return 0;
  } finally {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, stop);
    session?.close();
    output.close();
  }
}
