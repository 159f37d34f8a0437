// Bytes → values: reads a value of any abi `Type` from a ring-buffer record or a map key/value, at the
// offsets `sizeOf`/`tupleLayout` give (the same functions the code generator laid the bytes out with),
// and resolves what only user space can resolve: kernel and user symbols, stack ids, user names and
// network addresses. The result is the output module's value model, ready for either formatter.
import { sizeOf, tupleLayout, type Type } from '../abi/index.js';
import type { KernelSymbols, UserSymbolizer } from '../kernel/index.js';
import type { StackFrame, Value } from '../output/index.js';
import { errnoMessage } from '../sys/index.js';
import { formatInet } from './inet.js';
import type { Usernames } from './usernames.js';

export type StackKind = 'kstack' | 'ustack';

/** Where stack ids lead: the script's STACK_TRACE maps. */
export interface StackSource {
  /** The captured return addresses, innermost first; undefined when the id is unknown. */
  addresses(kind: StackKind, stackId: number): readonly bigint[] | undefined;
}

export interface DecoderSources {
  readonly kernelSymbols: KernelSymbols;
  readonly userSymbols: UserSymbolizer;
  readonly usernames: Usernames;
  readonly stacks: StackSource;
  /**
   * The process usym() addresses belong to when a value does not say (the -p or -c process); a
   * usym value carries its pid, and an address without a live process prints in hex.
   */
  readonly usymPid?: number;
  /** Nanoseconds to add to a kernel timestamp (bpf_ktime_get_ns, CLOCK_MONOTONIC) for time since the epoch. */
  readonly monotonicToEpoch?: bigint;
}

/** The current offset between CLOCK_MONOTONIC (Node's hrtime) and the wall clock, to a microsecond or so. */
export function monotonicToEpochOffset(): bigint {
  const monotonic = process.hrtime.bigint();
  const wall = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  return wall - monotonic;
}

const utf8 = new TextDecoder();

/**
 * One DataView per ArrayBuffer, reused while records keep coming from the same buffer (every record
 * of the ring is a window onto one mapping), so decoding a value allocates no view.
 */
class Views {
  private buffer: ArrayBufferLike | undefined;
  private view: DataView | undefined;

  of(bytes: Uint8Array): DataView {
    if (bytes.buffer !== this.buffer || this.view === undefined) {
      this.buffer = bytes.buffer;
      this.view = new DataView(bytes.buffer);
    }
    return this.view;
  }
}

function readInt(view: DataView, at: number, bits: 8 | 16 | 32 | 64, signed: boolean): bigint {
  switch (bits) {
    case 8: return BigInt(signed ? view.getInt8(at) : view.getUint8(at));
    case 16: return BigInt(signed ? view.getInt16(at, true) : view.getUint16(at, true));
    case 32: return BigInt(signed ? view.getInt32(at, true) : view.getUint32(at, true));
    case 64: return signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true);
  }
}

/**
 * ASCII strings up to this length are built a character at a time: V8 copies such short results flat.
 * Longer ones come from the bytes in one native call (a `+=` chain would leave a tree of string
 * pieces that every later use has to flatten).
 */
const SHORT_STRING = 12;

/** A Buffer over the whole ArrayBuffer of the last record read: ring records share one mapping. */
let latin1Source: { buffer: ArrayBufferLike; view: Buffer } | undefined;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (latin1Source?.buffer !== bytes.buffer) latin1Source = { buffer: bytes.buffer, view: Buffer.from(bytes.buffer) };
  return latin1Source.view.toString('latin1', bytes.byteOffset + start, bytes.byteOffset + end);
}

/** A C string in a fixed-size field: everything up to the first NUL, or the whole field. */
export function readCString(bytes: Uint8Array, offset: number, size: number): string {
  const limit = Math.min(offset + size, bytes.byteLength);
  let end = offset;
  let ascii = true;
  while (end < limit && bytes[end] !== 0) {
    if (bytes[end] >= 0x80) ascii = false;
    end++;
  }
  if (!ascii) return utf8.decode(bytes.subarray(offset, end));
  if (end - offset > SHORT_STRING) return latin1(bytes, offset, end);
  let text = '';
  for (let i = offset; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/** macaddr(): bpftrace prints the six bytes as upper-case hex pairs joined by colons. */
function formatMacaddr(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

function hexAddress(address: bigint): string {
  return `0x${address.toString(16)}`;
}

export class ValueDecoder {
  /** Found at the first timestamp: reading the wall clock finely loads perf_hooks (~1 ms of start-up). */
  private monotonicToEpoch: bigint | undefined;
  private readonly views = new Views();

  constructor(private readonly sources: DecoderSources) {
    this.monotonicToEpoch = sources.monotonicToEpoch;
  }

  /** The value of `type` stored at `offset`. */
  decode(type: Type, bytes: Uint8Array, offset = 0): Value {
    return this.decodeIn(this.views.of(bytes), type, bytes, offset);
  }

  /**
   * Consecutive values laid out as a C struct: printf arguments, tuple elements, multi-part keys.
   * Callers that decode the same layout often pass its offsets (FormatSpec.layout) to save the work.
   */
  decodeAll(types: readonly Type[], bytes: Uint8Array, offset = 0, offsets = tupleLayout(types).offsets): Value[] {
    const view = this.views.of(bytes);
    const values: Value[] = new Array<Value>(types.length);
    for (let i = 0; i < types.length; i++) values[i] = this.decodeIn(view, types[i], bytes, offset + offsets[i]);
    return values;
  }

  /** decode() with `view`, a DataView of the whole buffer `bytes` is a window onto. */
  private decodeIn(view: DataView, type: Type, bytes: Uint8Array, offset: number): Value {
    // DataView offsets count from the start of the whole buffer.
    const at = bytes.byteOffset + offset;
    switch (type.kind) {
      case 'int':
        return { kind: 'int', value: readInt(view, at, type.bits, type.signed), signed: type.signed, bits: type.bits };
      case 'string':
        return { kind: 'string', value: readCString(bytes, offset, type.size) };
      case 'buffer': {
        const length = Math.min(view.getUint32(at, true), type.size);
        return { kind: 'buffer', bytes: bytes.slice(offset + 4, offset + 4 + length) };
      }
      case 'tuple':
        return { kind: 'tuple', elements: this.decodeAll(type.elements, bytes, offset) };
      case 'record':
        return { kind: 'record', fields: type.fields.map((field) => ({ name: field.name, value: this.decodeIn(view, field.type, bytes, offset + field.offset) })) };
      case 'array': {
        const size = sizeOf(type.element);
        return { kind: 'array', elements: Array.from({ length: type.length }, (_, i) => this.decodeIn(view, type.element, bytes, offset + i * size)) };
      }
      case 'pointer':
        return { kind: 'pointer', address: view.getBigUint64(at, true) };
      case 'ksym':
        return { kind: 'symbol', text: this.kernelSymbol(view.getBigUint64(at, true), false) };
      case 'usym':
        return { kind: 'symbol', text: this.userSymbol(Number(view.getBigUint64(at + 8, true)) || this.sources.usymPid, view.getBigUint64(at, true)) };
      case 'kstack':
      case 'ustack':
        return this.stack(type, view, at);
      case 'inet':
        return { kind: 'inet', text: formatInet(view.getUint32(at, true), bytes.subarray(offset + 4, offset + 20)) };
      case 'macaddr':
        return { kind: 'string', value: formatMacaddr(bytes.subarray(offset, offset + 6)) };
      case 'username':
        return { kind: 'string', value: this.sources.usernames.nameOf(view.getBigUint64(at, true)) };
      case 'strerror':
        return { kind: 'string', value: errnoMessage(Number(view.getBigInt64(at, true))) };
      case 'timestamp':
        return { kind: 'timestamp', format: type.format, epochNanos: view.getBigUint64(at, true) + (this.monotonicToEpoch ??= monotonicToEpochOffset()) };
      case 'none':
        return { kind: 'tuple', elements: [] };
    }
  }

  private kernelSymbol(address: bigint, withOffset: boolean): string {
    const symbol = this.sources.kernelSymbols.lookup(address);
    if (symbol === undefined) return hexAddress(address);
    return withOffset ? `${symbol.name}+${symbol.offset}` : symbol.name;
  }

  private userSymbol(pid: number | undefined, address: bigint): string {
    if (pid === undefined) return hexAddress(address);
    return this.sources.userSymbols.format(pid, address, { offset: false });
  }

  /**
   * A stack value is the stack id (negative errno when the kernel could not capture it) and the pid it
   * was captured in. A stack that cannot be shown has no frames, which prints as nothing, as in bpftrace.
   */
  private stack(type: Type & { kind: StackKind }, view: DataView, at: number): Value {
    const id = view.getBigInt64(at, true);
    const pid = Number(view.getBigUint64(at + 8, true));
    const addresses = id < 0n ? undefined : this.sources.stacks.addresses(type.kind, Number(id));
    const frames: StackFrame[] = (addresses ?? []).slice(0, type.limit).map((address) => ({
      address,
      symbol: this.frameSymbol(type, pid, address),
    }));
    return { kind: 'stack', mode: type.mode, frames };
  }

  /** perf mode names the file a user frame lies in, as bpftrace does: `main+25 (/usr/bin/x)`. */
  private frameSymbol(type: Type & { kind: StackKind }, pid: number, address: bigint): string {
    if (type.kind === 'kstack') return this.kernelSymbol(address, true);
    return this.sources.userSymbols.format(pid, address, { offset: true, module: type.mode === 'perf' });
  }
}
