// The sink the CLI runs with: formats each RunEvent as bpftrace does (text or JSON, through src/output)
// and writes it. Script output is collected per batch and written with one call at each flush, so a
// burst of records costs one write and a pipe still sees every batch as soon as it was handled.
//
// Streams, where bpfscope deliberately parts from bpftrace 0.17 (which writes everything to stdout):
// in text mode, "Attaching N probes..." and "Lost N events" go to stderr, so stdout holds only what the
// script printed. In JSON mode they stay on stdout as `attached_probes` and `lost_events` records,
// because JSON consumers read them from the one NDJSON stream. Warnings always go to stderr.
import type { OutputFormatter } from '../output/index.js';
import type { RunEvent, RunSink } from './run-events.js';

export interface OutputWriterOptions {
  readonly formatter: OutputFormatter;
  readonly format: 'text' | 'json';
  /** -q: no "Attaching N probes...". */
  readonly quiet?: boolean;
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
}

/**
 * Pieces of output collected before they are written even though the batch goes on: one write per
 * few thousand lines costs next to nothing, and a reader sees a long batch (a full ring takes tens of
 * milliseconds to format) arrive as it is handled, with the memory it holds bounded.
 */
const MAX_PENDING = 4096;

export class OutputWriter implements RunSink {
  private pending: string[] = [];

  constructor(private readonly options: OutputWriterOptions) {}

  event(event: RunEvent): void {
    const { formatter } = this.options;
    switch (event.kind) {
      case 'printf':
        if (this.pending.push(formatter.printf(event.format, event.args)) >= MAX_PENDING) this.flush();
        return;
      case 'print-map':
        this.pending.push(formatter.map(event.map, event.options));
        return;
      case 'print-value':
        this.pending.push(formatter.value(event.value));
        return;
      case 'time':
        this.pending.push(formatter.time(event.format, event.epochNanos));
        return;
      case 'message':
        this.pending.push(formatter.message(event.type, event.text));
        return;
      case 'exit-maps':
        this.pending.push(formatter.exitDump(event.maps));
        return;
      case 'attached':
        if (this.options.quiet === true) return;
        this.notice(formatter.attachedProbes(event.probes));
        return;
      case 'lost':
        this.notice(formatter.lostEvents(event.count));
        return;
      case 'warning':
        this.toStderr(`bpfscope: warning: ${event.message}\n`);
        return;
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.options.writeOut(text);
  }

  /** Run notices: stderr in text mode, part of the NDJSON stream in JSON mode. */
  private notice(text: string): void {
    if (this.options.format === 'json') this.pending.push(text);
    else this.toStderr(text);
  }

  /** Output already produced goes first, so a terminal shows both streams in the order of events. */
  private toStderr(text: string): void {
    this.flush();
    this.options.writeErr(text);
  }
}
