// One ring-buffer record → what it asks for: output to print (printf, print, time, cat, system), a
// map to clear or zero, or the end of the run. Records are laid out as abi/events.ts says: an 8-byte
// header (u32 kind, u32 id) and a payload whose layout the compiled script describes.
import { readFileSync } from 'node:fs';
import { EVENT_HEADER_SIZE, EventKind } from '../abi/index.js';
import type { CompiledScript, FormatSpec, JoinSpec, ScriptMap } from '../compiler/compiled-script.js';
import type { BpfMap } from '../kernel/index.js';
import { formatPrintf } from '../output/index.js';
import { readCString, type ValueDecoder } from './decode.js';
import { isUserMap, zeroMap, type MapReader } from './map-reader.js';
import type { RunEvent } from './run-events.js';

/** A record whose kind or id this script does not know, or whose payload is too short. */
export class UndecodableRecordError extends Error {
  override name = 'UndecodableRecordError';
}

export interface DispatchContext {
  readonly script: CompiledScript;
  readonly decoder: ValueDecoder;
  readonly reader: MapReader;
  readonly liveMap: (spec: ScriptMap) => BpfMap;
  readonly emit: (event: RunEvent) => void;
  /** exit() was called: the run ends, and the records after this one are dropped until END. */
  readonly requestExit: () => void;
  /** Wall-clock time now, in nanoseconds since the epoch (injectable for tests). */
  readonly now?: () => bigint;
}

function entryOf<T>(table: readonly T[], id: number, what: string): T {
  const entry = table[id];
  if (entry === undefined) throw new UndecodableRecordError(`a record refers to ${what} ${id}, which the script does not have`);
  return entry;
}

/** The header's little-endian u32s, read without allocating a DataView for every record. */
function u32At(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function wallClockNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * The shell's output, whatever its exit status: bpftrace prints what the command wrote either way.
 * node:child_process is loaded here, on first use, rather than imported: it brings in net, dgram and
 * streams, ~7 ms of start-up that only scripts calling system() need.
 */
function runShell(command: string): string {
  const { execFileSync } = process.getBuiltinModule('node:child_process');
  try {
    return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    const output = (error as { stdout?: unknown }).stdout;
    return typeof output === 'string' ? output : '';
  }
}

export class RecordDispatcher {
  constructor(private readonly context: DispatchContext) {}

  handle(record: Uint8Array): void {
    if (record.byteLength < EVENT_HEADER_SIZE) throw new UndecodableRecordError(`a record of ${record.byteLength} bytes is shorter than its header`);
    const kind = u32At(record, 0);
    const id = u32At(record, 4);
    const { script, emit } = this.context;
    // printf, by far the most frequent record, is decoded in place: no view of its payload is made.
    if (kind === EventKind.PRINTF) {
      const spec = entryOf(script.printfs, id, 'printf format');
      emit({ kind: 'printf', format: spec.format, args: this.arguments(spec, record, EVENT_HEADER_SIZE) });
      return;
    }
    const payload = record.subarray(EVENT_HEADER_SIZE);
    switch (kind) {
      case EventKind.PRINT_MAP: {
        const map = this.userMap(id);
        const view = this.payloadView(payload, 16);
        const top = Number(view.getBigUint64(0, true));
        const div = Number(view.getBigUint64(8, true));
        emit({ kind: 'print-map', map: this.context.reader.snapshot(map, this.context.liveMap(map)), options: { top, div } });
        return;
      }
      case EventKind.PRINT_VALUE: {
        const type = entryOf(script.printedValues, id, 'printed value');
        emit({ kind: 'print-value', value: this.context.decoder.decode(type, payload) });
        return;
      }
      case EventKind.CLEAR_MAP:
        this.context.liveMap(this.userMap(id)).clear();
        return;
      case EventKind.ZERO_MAP:
        zeroMap(this.context.liveMap(this.userMap(id)));
        return;
      case EventKind.EXIT:
        this.context.requestExit();
        return;
      case EventKind.TIME:
        emit({ kind: 'time', format: entryOf(script.timeFormats, id, 'time format'), epochNanos: (this.context.now ?? wallClockNanos)() });
        return;
      case EventKind.SYSTEM:
        this.system(entryOf(script.commands, id, 'command'), payload);
        return;
      case EventKind.CAT:
        this.cat(entryOf(script.commands, id, 'command'), payload);
        return;
      case EventKind.JOIN:
        emit({ kind: 'message', type: 'join', text: this.join(entryOf(script.joins, id, 'join()'), payload) });
        return;
      default:
        throw new UndecodableRecordError(`a record of unknown kind ${kind}`);
    }
  }

  /** The argument tuple of a printf, system() or cat() record, laid out from `offset` of `bytes`. */
  private arguments(spec: FormatSpec, bytes: Uint8Array, offset = 0): ReturnType<ValueDecoder['decodeAll']> {
    if (bytes.byteLength - offset < spec.layout.size) {
      throw new UndecodableRecordError(`a printf record of ${bytes.byteLength - offset} bytes, expected ${spec.layout.size}`);
    }
    return this.context.decoder.decodeAll(spec.args, bytes, offset, spec.layout.offsets);
  }

  private payloadView(payload: Uint8Array, size: number): DataView {
    if (payload.byteLength < size) throw new UndecodableRecordError(`a record payload of ${payload.byteLength} bytes, expected ${size}`);
    return new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  }

  private userMap(id: number): ScriptMap & { value: NonNullable<ScriptMap['value']> } {
    const map = entryOf(this.context.script.maps, id, 'map');
    if (!isUserMap(map)) throw new UndecodableRecordError(`a record refers to internal map ${map.name}`);
    return map;
  }

  /** join(): a u64 count of strings read, then `count` slots of `size` bytes, each a C string. */
  private join(spec: JoinSpec, payload: Uint8Array): string {
    const view = this.payloadView(payload, 8 + spec.count * spec.size);
    const count = Math.min(Number(view.getBigUint64(0, true)), spec.count);
    const parts = Array.from({ length: count }, (_, i) => readCString(payload, 8 + i * spec.size, spec.size));
    return parts.join(spec.delimiter);
  }

  /** system(): the command line is printf-formatted from the record, then run through the shell. */
  private system(spec: FormatSpec, payload: Uint8Array): void {
    const command = formatPrintf(spec.format, this.arguments(spec, payload));
    this.context.emit({ kind: 'message', type: 'syscall', text: runShell(command) });
  }

  /** cat(): the path is printf-formatted from the record; the file's content is printed as it is. */
  private cat(spec: FormatSpec, payload: Uint8Array): void {
    const path = formatPrintf(spec.format, this.arguments(spec, payload));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.context.emit({ kind: 'warning', message: `cat(): cannot read ${path}: ${reason}` });
      return;
    }
    this.context.emit({ kind: 'message', type: 'cat', text });
  }
}
