// What a run produces, in order, before any formatting: the CLI turns these into bpftrace's text or
// JSON, the library API hands them to the embedding program as typed values.
import type { MapSnapshot, MessageKind, PrintMapOptions, Value } from '../output/index.js';

export type RunEvent =
  /** printf(): the format and its decoded arguments. */
  | { readonly kind: 'printf'; readonly format: string; readonly args: readonly Value[] }
  /** print(@m, top, div). */
  | { readonly kind: 'print-map'; readonly map: MapSnapshot; readonly options: PrintMapOptions }
  /** print(value) of something that is not a map. */
  | { readonly kind: 'print-value'; readonly value: Value }
  /** time(fmt), at the wall-clock instant user space handled it. */
  | { readonly kind: 'time'; readonly format: string; readonly epochNanos: bigint }
  /** Output of cat(), join() and system(). */
  | { readonly kind: 'message'; readonly type: MessageKind; readonly text: string }
  /** Probes are about to be attached: bpftrace's "Attaching N probes...". */
  | { readonly kind: 'attached'; readonly probes: number }
  /** Records the kernel could not deliver since the last report (the ring buffer was full). */
  | { readonly kind: 'lost'; readonly count: bigint }
  /** Something the user must know that is not the script's output (records that could not be decoded, a cat() that failed). */
  | { readonly kind: 'warning'; readonly message: string }
  /** Every user map at the end of the run, for the exit dump. */
  | { readonly kind: 'exit-maps'; readonly maps: readonly MapSnapshot[] };

/** Receives a run's events in order. */
export interface RunSink {
  event(event: RunEvent): void;
  /** The end of a batch of events (one wake-up's worth): the moment to write out what was buffered. */
  flush(): void;
}

export type StopReason =
  /** exit() in the script. */
  | 'exit'
  /** stop() was called: Ctrl-C, SIGTERM, the embedding program. */
  | 'stopped'
  /** The -c command exited. */
  | 'command-exited'
  /** The reader of our output went away (EPIPE). */
  | 'output-closed';

export interface RunSummary {
  readonly reason: StopReason;
  /** Records the kernel dropped because the ring buffer was full, over the whole run. */
  readonly lost: bigint;
  /** Records that arrived but could not be decoded (each was also reported as a warning). */
  readonly undecodable: number;
}
