// bpfscope as a library: compile a bpftrace script and run it from a Node program, receiving its
// printf() output and its maps as typed values instead of text.
//
//   const tracing = run('tracepoint:syscalls:sys_enter_openat { printf("%s\\n", comm); }');
//   for await (const event of tracing.printfs) console.log(event.args[0]);
//   await tracing.stop();
//
// Probes stay attached until the script calls exit(), stop() is called, or the process ends (the
// cleanup registry detaches everything on exit, signals and crashes). Unlike the CLI, a library run
// installs no signal handlers: the embedding program decides what Ctrl-C means.
import { compile as compileProgram, type CompiledScript } from './compiler/index.js';
import { possibleCpus } from './kernel/index.js';
import { parse, Source } from './lang/index.js';
import { formatPrintf, type MapSnapshot, type PrintMapOptions, type Value } from './output/index.js';
import { defaultProviders } from './providers/index.js';
import { EventQueue, LazyBtf, Session, type RunEvent, type RunSink, type RunSummary } from './runtime/index.js';

export type { CompiledScript } from './compiler/index.js';
export { CompileError, formatDiagnostics } from './lang/index.js';
export type { MapSnapshot, PrintMapOptions, Value } from './output/index.js';
export {
  AttachError, MapCreateError, ProbeLoadError, ProbeRefusedError, RunOptionError, type ScriptLocation,
} from './runtime/index.js';
export type { RunEvent, RunSummary, StopReason } from './runtime/index.js';

export interface CompileOptions {
  /** The name diagnostics give the script (default `script.bt`). */
  readonly name?: string;
  /** `$1`…`$N`. */
  readonly params?: readonly string[];
  /** Scope uprobes to this process. */
  readonly pid?: number;
  /** The value of `cpid`. */
  readonly cpid?: number;
  /** Allow system(), cat() and signal(). */
  readonly unsafe?: boolean;
}

/** Parses and compiles a script for this machine. Throws CompileError with located diagnostics. */
export function compile(text: string, options: CompileOptions = {}): CompiledScript {
  const source = new Source(options.name ?? 'script.bt', text);
  const registry = defaultProviders();
  return compileProgram(parse(source), {
    source,
    providers: (name) => registry.lookup(name),
    btf: new LazyBtf(),
    ncpus: possibleCpus,
    ...(options.params === undefined ? {} : { params: options.params }),
    ...(options.pid === undefined ? {} : { pid: options.pid }),
    ...(options.cpid === undefined ? {} : { cpid: options.cpid }),
    unsafe: options.unsafe === true,
  });
}

export interface PrintfEvent {
  readonly format: string;
  readonly args: readonly Value[];
  /** What bpftrace would print for it. */
  readonly text: string;
}

export interface MapEvent {
  /** `print`: the script called print(@m); `exit`: the run ended and every map is reported. */
  readonly reason: 'print' | 'exit';
  readonly map: MapSnapshot;
  readonly options: PrintMapOptions;
}

export type RunOptions = CompileOptions;

export interface RunningScript {
  /** printf() output, in order. Ends when the run ends. */
  readonly printfs: AsyncIterable<PrintfEvent>;
  /** print(@m) snapshots as they happen, then every map once the run ends. */
  readonly maps: AsyncIterable<MapEvent>;
  /** Everything the run produced (including lost-record reports and warnings), in order. */
  readonly events: AsyncIterable<RunEvent>;
  /** Resolves when the run has ended and everything is detached. */
  readonly done: Promise<RunSummary>;
  /** Ends the run (END runs, maps are reported) and resolves once everything is detached. */
  stop(): Promise<RunSummary>;
}

/** Routes a run's events into the three streams. */
class StreamSink implements RunSink {
  readonly printfs = new EventQueue<PrintfEvent>();
  readonly maps = new EventQueue<MapEvent>();
  readonly events = new EventQueue<RunEvent>();

  event(event: RunEvent): void {
    this.events.push(event);
    if (event.kind === 'printf') {
      this.printfs.push({ format: event.format, args: event.args, text: formatPrintf(event.format, event.args) });
    } else if (event.kind === 'print-map') {
      this.maps.push({ reason: 'print', map: event.map, options: event.options });
    } else if (event.kind === 'exit-maps') {
      for (const map of event.maps) this.maps.push({ reason: 'exit', map, options: {} });
    }
  }

  flush(): void {
    // Streams hand each event over as it comes; there is nothing to batch.
  }

  end(): void {
    this.printfs.end();
    this.maps.end();
    this.events.end();
  }
}

/**
 * Compiles (when given text), loads and attaches a script, runs BEGIN, and returns the running
 * script. Throws CompileError, ProbeLoadError, AttachError… with nothing left attached.
 */
export function run(script: CompiledScript | string, options: RunOptions = {}): RunningScript {
  const compiled = typeof script === 'string' ? compile(script, options) : script;
  const sink = new StreamSink();
  const registry = defaultProviders();
  const session = Session.load(compiled, {
    sink,
    attachers: (name) => registry.lookup(name),
    ...(options.pid === undefined ? {} : { pid: options.pid }),
    unsafe: options.unsafe === true,
  });
  try {
    session.start();
  } catch (error) {
    session.close();
    throw error;
  }
  const done = session.run().finally(() => sink.end());
  return {
    printfs: sink.printfs,
    maps: sink.maps,
    events: sink.events,
    done,
    stop: () => {
      session.stop('stopped');
      return done;
    },
  };
}
