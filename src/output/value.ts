// The value model: what the runtime decodes from ring-buffer records and map memory, before any
// formatting. Each kind exists because bpftrace prints it differently from its neighbours (for example a
// pointer is decimal as a value but hexadecimal as a map key; a ksym is quoted in JSON but an integer is
// not), so merging two kinds would lose a formatting rule.

export type IntBits = 8 | 16 | 32 | 64;

/** An integer with the signedness and width of its bpftrace type; `value` is the decoded number. */
export interface IntValue {
  readonly kind: 'int';
  readonly value: bigint;
  readonly signed: boolean;
  readonly bits: IntBits;
}

/** A C string, already cut at its NUL. */
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}

/** The bytes of `buf()`: printed hex-escaped. */
export interface BufferValue {
  readonly kind: 'buffer';
  readonly bytes: Uint8Array;
}

export interface TupleValue {
  readonly kind: 'tuple';
  readonly elements: readonly Value[];
}

export interface ArrayValue {
  readonly kind: 'array';
  readonly elements: readonly Value[];
}

export interface RecordField {
  readonly name: string;
  readonly value: Value;
}

/** A struct value, printed `{ .a = 1, .b = 2 }`. */
export interface RecordValue {
  readonly kind: 'record';
  readonly fields: readonly RecordField[];
}

/** A resolved `ksym()`/`usym()`; kept apart from strings for bpftrace's map-line joining rule. */
export interface SymbolValue {
  readonly kind: 'symbol';
  readonly text: string;
}

/** An `ntop()` result, already converted to text by the runtime. */
export interface InetValue {
  readonly kind: 'inet';
  readonly text: string;
}

export interface PointerValue {
  readonly kind: 'pointer';
  readonly address: bigint;
}

/** A `strftime()` value: formatted only at print time, in the formatter's time zone. */
export interface TimestampValue {
  readonly kind: 'timestamp';
  readonly format: string;
  readonly epochNanos: bigint;
}

export interface StackFrame {
  readonly address: bigint;
  /** Resolved symbol with offset (`vfs_read+23`), or the address text when unresolved. */
  readonly symbol: string;
}

/** `kstack`/`ustack`: 'bpftrace' mode prints indented symbols, 'perf' mode prints `\taddr symbol`. */
export interface StackValue {
  readonly kind: 'stack';
  readonly mode: 'bpftrace' | 'perf';
  readonly frames: readonly StackFrame[];
}

export type Value =
  | IntValue
  | StringValue
  | BufferValue
  | TupleValue
  | ArrayValue
  | RecordValue
  | SymbolValue
  | InetValue
  | PointerValue
  | TimestampValue
  | StackValue;

/** count()/total of one `avg()` or `stats()` entry, as the kernel map holds them. */
export interface StatsCounters {
  readonly count: bigint;
  readonly total: bigint;
}

export interface MapEntry<V> {
  /** Zero values for a map without keys, one per subscript for `@m[a, b]`. */
  readonly key: readonly Value[];
  readonly value: V;
}

/**
 * One map's content as read from the kernel. Entries are in the kernel's iteration order: bpftrace
 * keeps that order among equal sort keys, so the runtime must not reorder them.
 */
export type MapSnapshot =
  | { readonly kind: 'plain'; readonly name: string; readonly entries: readonly MapEntry<Value>[] }
  | { readonly kind: 'avg'; readonly name: string; readonly entries: readonly MapEntry<StatsCounters>[] }
  | { readonly kind: 'stats'; readonly name: string; readonly entries: readonly MapEntry<StatsCounters>[] }
  | {
      readonly kind: 'hist';
      readonly name: string;
      /** Counts by bpftrace bucket index: 0 negative, 1 zero, 2 one, 3 [2, 4), …, up to 65 buckets. */
      readonly entries: readonly MapEntry<readonly bigint[]>[];
    }
  | {
      readonly kind: 'lhist';
      readonly name: string;
      readonly min: number;
      readonly max: number;
      readonly step: number;
      /** Counts by index: 0 below min, 1..n the (max-min)/step buckets, n+1 at or above max. */
      readonly entries: readonly MapEntry<readonly bigint[]>[];
    };

/** `print(@m, top, div)`: 0 means "all entries" and "no division", as in bpftrace. */
export interface PrintMapOptions {
  readonly top?: number;
  readonly div?: number;
}

export function int(value: bigint | number, signed = true, bits: IntBits = 64): IntValue {
  return { kind: 'int', value: BigInt(value), signed, bits };
}

export function uint(value: bigint | number, bits: IntBits = 64): IntValue {
  return int(value, false, bits);
}

export function str(value: string): StringValue {
  return { kind: 'string', value };
}

export function buffer(bytes: Uint8Array | readonly number[]): BufferValue {
  return { kind: 'buffer', bytes: Uint8Array.from(bytes) };
}

export function tuple(...elements: Value[]): TupleValue {
  return { kind: 'tuple', elements };
}
