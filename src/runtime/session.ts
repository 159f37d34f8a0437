// A run of a compiled script, from loading to detaching:
//   load (maps, programs) → start (attach every target, run BEGIN) → run (wait on the ring buffer on a
//   worker thread — a tick while records stream, until the first record when idle — then drain and
//   dispatch each record) → stop (exit() by its record or its control word, stop(), the -c command exiting) →
//   finish (detach, drain what is left, run END, report lost records, dump every user map, close).
// Once exit() is seen, records after it are dropped until END runs, as bpftrace 0.17 drops them.
// Output leaves as RunEvents through a RunSink, flushed once per drained batch, so output stays in the
// order the kernel produced it and a pipe sees each batch as soon as it was handled.
import type { CompiledScript, ScriptMap } from '../compiler/compiled-script.js';
import { CONTROL_WORDS, wakeUpThreshold } from '../abi/index.js';
import { KernelSymbols, MappedArray, RingBufferReader, UserSymbolizer, type BpfMap } from '../kernel/index.js';
import { linuxSys, progTestRunRawTracepoint, type Sys } from '../sys/index.js';
import { Attachment, probeCount, specialPrograms, type AttacherLookup, type DetachFailure } from './attachment.js';
import { ValueDecoder } from './decode.js';
import { RunOptionError } from './errors.js';
import { LoadedScript, probeLabel, type LoadedProgram } from './loaded-script.js';
import { MapReader, isUserMap } from './map-reader.js';
import { RecordDispatcher } from './record-dispatch.js';
import type { RunSink, RunSummary, StopReason } from './run-events.js';
import { StackMaps } from './stack-maps.js';
import { Usernames } from './usernames.js';

export interface SessionOptions {
  readonly sink: RunSink;
  /** The probe providers' attach side, by provider name. */
  readonly attachers: AttacherLookup;
  /** -p PID / -c CMD: the process per-process probes are scoped to, and usym() resolves in. */
  readonly pid?: number;
  /** Allow system(), cat() and signal(). */
  readonly unsafe?: boolean;
  /** Keep every program's verifier log (`-d verifier`). */
  readonly verifierLog?: boolean;
  /** Maps made ahead of loading, taken over by the session (see PremadeMaps). */
  readonly premade?: ReadonlyMap<string, BpfMap>;
  readonly sys?: Sys;
  /** Symbol sources; defaults read /proc/kallsyms, /proc/PID/maps and /etc/passwd on first use. */
  readonly kernelSymbols?: KernelSymbols;
  readonly userSymbols?: UserSymbolizer;
  readonly usernames?: Usernames;
}

/**
 * Between drains while records keep coming. Producers submit without waking us (abi/events.ts), so a
 * stream is drained once per tick: a few dozen wake-ups a second instead of one per record, and output
 * still appears well within what a person notices (~100 ms) and in step with a terminal's refresh.
 */
const TICK_MS = 25;
/**
 * Longest sleep on an empty ring, woken by the first record: it bounds how long the worker thread's
 * epoll_wait outlives a stop(), and how late a control word set without a record (exit() finding the
 * ring full) is seen.
 */
const IDLE_MS = 200;
/** How often the kernel's lost-record counter is read while the run goes on. */
const LOST_CHECK_MS = 1000;
/** BEGIN/END programs are raw-tracepoint programs; their context is one unused u64 argument. */
const SPECIAL_CONTEXT = new BigUint64Array(1);

function findMap(script: CompiledScript, name: string): ScriptMap {
  const spec = script.maps.find((map) => map.name === name || map.bpfName === name);
  if (spec === undefined) throw new Error(`the compiled script has no map named ${name}`);
  return spec;
}

export class Session {
  private readonly sys: Sys;
  private readonly attachment = new Attachment();
  private readonly ring: RingBufferReader;
  private readonly wakeUpThreshold: number;
  /** The control words (abi CONTROL_WORDS), when the programs have them. */
  private readonly control: MappedArray | undefined;
  private readonly dispatcher: RecordDispatcher;
  private readonly reader: MapReader;
  private readonly lostMap: BpfMap;
  private stopReason: StopReason | undefined;
  /**
   * exit() was seen and END has not run yet: records are dropped unhandled. bpftrace 0.17's event
   * callback returns at once once exit() asked it to finalize, so a busy probe that calls exit()
   * prints one line, not every record already in the buffer. Dropped records are not lost ones.
   */
  private exited = false;
  private wakeStopped: () => void = () => undefined;
  private readonly stopped: Promise<void>;
  private lostReported = 0n;
  private lastLostCheck = 0;
  private undecodable = 0;
  private started = false;
  private closed = false;

  private constructor(readonly loaded: LoadedScript, private readonly options: SessionOptions) {
    this.sys = options.sys ?? linuxSys();
    const { script } = loaded;
    const events = findMap(script, script.eventsMap);
    this.lostMap = loaded.map(findMap(script, script.lostMap));
    this.ring = new RingBufferReader(loaded.map(events).fd, events.maxEntries, this.sys);
    this.wakeUpThreshold = wakeUpThreshold(events.maxEntries);
    try {
      const control = script.controlMap === undefined ? undefined : findMap(script, script.controlMap);
      this.control = control === undefined ? undefined : new MappedArray(loaded.map(control).fd, control.valueSize, this.sys);
    } catch (error) {
      this.ring.close();
      throw error;
    }
    const decoder = new ValueDecoder({
      kernelSymbols: options.kernelSymbols ?? KernelSymbols.fromProcfs(),
      userSymbols: options.userSymbols ?? new UserSymbolizer(),
      usernames: options.usernames ?? new Usernames(),
      stacks: new StackMaps(script.maps, (spec) => loaded.map(spec)),
      usymPid: options.pid,
    });
    this.reader = new MapReader(decoder);
    this.dispatcher = new RecordDispatcher({
      script,
      decoder,
      reader: this.reader,
      liveMap: (spec) => loaded.map(spec),
      emit: (event) => options.sink.event(event),
      requestExit: () => this.exit(),
    });
    this.stopped = new Promise((resolve) => {
      this.wakeStopped = resolve;
    });
  }

  /** Creates the maps and loads the programs; nothing is attached yet. */
  static load(script: CompiledScript, options: SessionOptions): Session {
    if (script.unsafe && options.unsafe !== true) {
      for (const map of options.premade?.values() ?? []) map.close();
      throw new RunOptionError('this script uses system(), cat() or signal(), which run only with --unsafe');
    }
    const loaded = LoadedScript.load(script, { sys: options.sys, verifierLog: options.verifierLog, attachers: options.attachers, premade: options.premade });
    try {
      return new Session(loaded, options);
    } catch (error) {
      loaded.close();
      throw error;
    }
  }

  get programs(): readonly LoadedProgram[] {
    return this.loaded.programs;
  }

  /** Announces and attaches every probe, then runs BEGIN. Throws with nothing left attached. */
  start(): void {
    if (this.started) throw new Error('the session was already started');
    this.started = true;
    this.options.sink.event({ kind: 'attached', probes: probeCount(this.loaded.programs) });
    this.markStartTime();
    this.attachment.attachAll(this.loaded.script, this.loaded.programs, this.options.attachers, { pid: this.options.pid });
    this.runSpecial('begin');
    this.drain();
  }

  /**
   * `elapsed` counts from here: the compiler's `.elapsed` array holds the start time in
   * CLOCK_MONOTONIC nanoseconds, the clock of both bpf_ktime_get_ns and Node's hrtime.
   */
  private markStartTime(): void {
    const spec = this.loaded.script.maps.find((map) => map.name === '.elapsed');
    if (spec === undefined) return;
    const start = new Uint8Array(8);
    new DataView(start.buffer).setBigUint64(0, process.hrtime.bigint(), true);
    this.loaded.map(spec).update(new Uint8Array(4), start);
  }

  /** Handles records until the run stops, then finishes it. Resolves with what happened. */
  async run(): Promise<RunSummary> {
    if (!this.started) this.start();
    let delivered = 0;
    while (this.stopReason === undefined) {
      await Promise.race([this.nextBatch(delivered > 0), this.stopped]);
      delivered = this.drain();
      if (Date.now() - this.lastLostCheck >= LOST_CHECK_MS) this.reportLost();
    }
    return this.finish(this.stopReason);
  }

  /**
   * Waits until the next drain is due. Behind (a threshold's worth unread): at once, after letting
   * I/O, timers and signals in. Streaming (the last drain found records): a tick, or less if the ring
   * fills up. Idle: until the first record, which programs then send with a wake-up.
   */
  private async nextBatch(streaming: boolean): Promise<void> {
    if (this.ring.pending() >= this.wakeUpThreshold) {
      await new Promise((resolve) => setImmediate(resolve));
    } else if (streaming || this.control === undefined) {
      await this.ring.waitForWakeUp(TICK_MS);
    } else {
      this.control.words[CONTROL_WORDS.ARMED] = 1n;
      await this.ring.waitForData(IDLE_MS);
    }
  }

  /** Ends the run after the records already delivered; the first reason given is the one reported. */
  stop(reason: StopReason = 'stopped'): void {
    this.stopReason ??= reason;
    this.wakeStopped();
    // Frees the worker thread of a wait still parked on an idle ring: exiting waits for it.
    this.ring.interrupt();
  }

  /** exit(), by its record or by its control word. */
  private exit(): void {
    this.exited = true;
    this.stop('exit');
  }

  /** Releases everything without the end-of-run steps: for dry runs and runs that failed to start. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.attachment.detachAll();
    this.ring.close();
    this.control?.close();
    this.loaded.close();
  }

  private async finish(reason: StopReason): Promise<RunSummary> {
    const { sink } = this.options;
    // Once the programs have stopped the maps are final. Releasing their perf events takes the kernel
    // longer (FdLink), and goes on while the output goes out.
    const detaching = this.attachment.detachConcurrently();
    this.warnDetachFailures(await detaching.stopped);
    this.drain();
    if (reason !== 'output-closed') {
      this.exited = false;
      this.runSpecial('end');
      this.drain();
    }
    this.reportLost();
    if (this.undecodable > 1) sink.event({ kind: 'warning', message: `${this.undecodable} records in all could not be decoded` });
    if (reason !== 'output-closed') sink.event({ kind: 'exit-maps', maps: this.snapshotUserMaps() });
    sink.flush();
    this.warnDetachFailures(await detaching.detached);
    this.close();
    return { reason, lost: this.lostReported, undecodable: this.undecodable };
  }

  private warnDetachFailures(failures: readonly DetachFailure[]): void {
    for (const failure of failures) {
      const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
      this.options.sink.event({ kind: 'warning', message: `could not detach ${failure.probe}: ${message}` });
    }
  }

  private runSpecial(which: 'begin' | 'end'): void {
    for (const { program, compiled } of specialPrograms(this.loaded.programs, which)) {
      try {
        progTestRunRawTracepoint(this.sys, program.fd, SPECIAL_CONTEXT);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.options.sink.event({ kind: 'warning', message: `could not run ${probeLabel(compiled)}: ${message}` });
      }
    }
  }

  /** Hands every record in the ring to the dispatcher, then lets the sink write the batch out. */
  private drain(): number {
    const delivered = this.ring.drain((record) => {
      if (this.exited) return;
      try {
        this.dispatcher.handle(record);
      } catch (error) {
        // A record that cannot be handled is reported, never dropped silently, and never stops the
        // drain: the ring's consumer position must move past it.
        this.undecodable++;
        if (this.undecodable === 1) {
          const message = error instanceof Error ? error.message : String(error);
          this.options.sink.event({ kind: 'warning', message: `a record could not be decoded: ${message}` });
        }
      }
    });
    this.options.sink.flush();
    if (this.control !== undefined) {
      // Awake: records need not wake us until we sleep on an empty ring again. Written only when set,
      // as every store takes the cache line the producers read from under them.
      if (this.control.words[CONTROL_WORDS.ARMED] !== 0n) this.control.words[CONTROL_WORDS.ARMED] = 0n;
      // exit() whose EXIT record found the ring full. The word stays set: once the run is stopping
      // it is old news, and END's records must not be dropped for it.
      if (this.control.words[CONTROL_WORDS.EXIT] === 1n && this.stopReason === undefined) this.exit();
    }
    return delivered;
  }

  /** Reads the per-CPU counter of records the ring buffer refused, and reports any new ones. */
  private reportLost(): void {
    this.lastLostCheck = Date.now();
    let total = 0n;
    for (const [, value] of this.lostMap.entries()) {
      const slots = this.lostMap.isPerCpu ? this.lostMap.splitPerCpu(value) : [value];
      for (const slot of slots) total += new DataView(slot.buffer, slot.byteOffset, 8).getBigUint64(0, true);
    }
    if (total > this.lostReported) {
      this.options.sink.event({ kind: 'lost', count: total - this.lostReported });
      this.lostReported = total;
    }
  }

  private snapshotUserMaps(): ReturnType<MapReader['snapshot']>[] {
    return this.loaded.script.maps.filter(isUserMap).map((spec) => this.reader.snapshot(spec, this.loaded.map(spec)));
  }
}
