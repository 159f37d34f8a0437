// One interface for the runtime to call whatever the output format, so no caller branches on `-f`.
// Every method returns the exact bytes (as text) to write to stdout; nothing here writes by itself.
import { formatMapJson, formatMessageJson, formatValueJson, jsonLine } from './json-format.js';
import { formatPrintf } from './printf.js';
import { localTimeZone, strftime, type TimeZone } from './strftime.js';
import { formatMapText } from './text-format.js';
import { formatValueText } from './value-text.js';
import type { MapSnapshot, PrintMapOptions, Value } from './value.js';

/** Output of cat(), join() and system(); printf and time have their own methods. */
export type MessageKind = 'cat' | 'join' | 'syscall';

export interface OutputFormatter {
  printf(format: string, args: readonly Value[]): string;
  /** time(fmt): the wall-clock instant formatted with strftime. */
  time(format: string, epochNanos: bigint): string;
  message(kind: MessageKind, text: string): string;
  /** print(@m, top, div), or one map of the exit dump with no options. */
  map(map: MapSnapshot, options?: PrintMapOptions): string;
  /** print(value) of something that is not a map. */
  value(value: Value): string;
  lostEvents(count: number | bigint): string;
  attachedProbes(count: number): string;
  /** Every map at exit: see exitDump below. */
  exitDump(maps: readonly MapSnapshot[]): string;
}

export interface FormatterOptions {
  /** Zone for strftime() values and time(); the process's local zone unless given. */
  readonly timeZone?: TimeZone;
}

/**
 * The exit dump: two newlines (written even in JSON mode by bpftrace 0.17, so not JSON), then every map
 * in name order, as bpftrace 0.17 keeps its maps in a std::map keyed by name.
 */
function exitDump(formatter: OutputFormatter, maps: readonly MapSnapshot[]): string {
  const byName = [...maps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `\n\n${byName.map((map) => formatter.map(map)).join('')}`;
}

// Only join() gets a newline added in text mode; cat() and system() output carry their own.
const TEXT_NEWLINE: Readonly<Record<MessageKind, boolean>> = { cat: false, join: true, syscall: false };

export class TextFormatter implements OutputFormatter {
  private readonly zone: TimeZone;

  constructor(options: FormatterOptions = {}) {
    this.zone = options.timeZone ?? localTimeZone;
  }

  printf(format: string, args: readonly Value[]): string {
    return formatPrintf(format, args, this.zone);
  }

  time(format: string, epochNanos: bigint): string {
    return strftime(format, epochNanos, this.zone);
  }

  message(kind: MessageKind, text: string): string {
    return TEXT_NEWLINE[kind] ? `${text}\n` : text;
  }

  map(map: MapSnapshot, options: PrintMapOptions = {}): string {
    return formatMapText(map, options, this.zone);
  }

  value(value: Value): string {
    return `${formatValueText(value, this.zone)}\n`;
  }

  lostEvents(count: number | bigint): string {
    return `Lost ${count} events\n`;
  }

  attachedProbes(count: number): string {
    return `Attaching ${count} ${count === 1 ? 'probe' : 'probes'}...\n`;
  }

  exitDump(maps: readonly MapSnapshot[]): string {
    return exitDump(this, maps);
  }
}

export class JsonFormatter implements OutputFormatter {
  private readonly zone: TimeZone;

  constructor(options: FormatterOptions = {}) {
    this.zone = options.timeZone ?? localTimeZone;
  }

  printf(format: string, args: readonly Value[]): string {
    return formatMessageJson('printf', formatPrintf(format, args, this.zone));
  }

  time(format: string, epochNanos: bigint): string {
    return formatMessageJson('time', strftime(format, epochNanos, this.zone));
  }

  message(kind: MessageKind, text: string): string {
    return formatMessageJson(kind, text);
  }

  map(map: MapSnapshot, options: PrintMapOptions = {}): string {
    return formatMapJson(map, options, this.zone);
  }

  value(value: Value): string {
    return jsonLine('value', formatValueJson(value, this.zone));
  }

  lostEvents(count: number | bigint): string {
    return jsonLine('lost_events', `{"events": ${count}}`);
  }

  attachedProbes(count: number): string {
    return jsonLine('attached_probes', `{"probes": ${count}}`);
  }

  exitDump(maps: readonly MapSnapshot[]): string {
    return exitDump(this, maps);
  }
}

export function createFormatter(format: 'text' | 'json', options: FormatterOptions = {}): OutputFormatter {
  return format === 'json' ? new JsonFormatter(options) : new TextFormatter(options);
}
