// Typed encoders/decoders for map keys and values, so callers write `map.lookup(u32.encode(5))` instead
// of filling byte arrays by hand. Everything is little-endian: BPF maps hold the host's byte order and
// bpfscope runs on x86_64 and arm64, both little-endian.
//
// 64-bit integers decode to bigint because BPF counters and addresses routinely exceed 2^53.

export interface Codec<T> {
  /** Bytes occupied, without trailing padding of an enclosing struct. */
  readonly size: number;
  /** Alignment the C compiler (and the BPF side) would give the type. */
  readonly align: number;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array, offset?: number): T;
  /** Writes `value` into `bytes` at `offset`; used by enclosing structs and arrays. */
  write(bytes: Uint8Array, offset: number, value: T): void;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkFits(name: string, bytes: Uint8Array, offset: number, size: number): void {
  if (offset < 0 || offset + size > bytes.byteLength) {
    throw new RangeError(`${name} needs ${size} bytes at offset ${offset}, have ${bytes.byteLength}`);
  }
}

/** Builds a codec from its `write` and a reader; `encode` is always "write into a fresh buffer". */
function codec<T>(
  name: string, size: number, align: number,
  write: (view: DataView, offset: number, value: T) => void,
  read: (view: DataView, offset: number) => T,
): Codec<T> {
  return {
    size,
    align,
    encode(value) {
      const bytes = new Uint8Array(size);
      write(viewOf(bytes), 0, value);
      return bytes;
    },
    decode(bytes, offset = 0) {
      checkFits(name, bytes, offset, size);
      return read(viewOf(bytes), offset);
    },
    write(bytes, offset, value) {
      checkFits(name, bytes, offset, size);
      write(viewOf(bytes), offset, value);
    },
  };
}

/** An integer codec that rejects values out of range instead of letting DataView wrap them silently. */
function int(name: string, size: number, signed: boolean,
  write: (view: DataView, offset: number, value: number) => void,
  read: (view: DataView, offset: number) => number): Codec<number> {
  const bits = size * 8;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return codec<number>(name, size, size, (view, offset, value) => {
    if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${value} does not fit ${name}`);
    write(view, offset, value);
  }, read);
}

function bigInt(name: string, signed: boolean): Codec<bigint> {
  const wrap = signed ? BigInt.asIntN : BigInt.asUintN;
  return codec<bigint>(name, 8, 8, (view, offset, value) => {
    if (wrap(64, value) !== value) throw new RangeError(`${value} does not fit ${name}`);
    if (signed) view.setBigInt64(offset, value, true);
    else view.setBigUint64(offset, value, true);
  }, (view, offset) => (signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true)));
}

export const u8 = int('u8', 1, false, (v, o, x) => v.setUint8(o, x), (v, o) => v.getUint8(o));
export const u16 = int('u16', 2, false, (v, o, x) => v.setUint16(o, x, true), (v, o) => v.getUint16(o, true));
export const u32 = int('u32', 4, false, (v, o, x) => v.setUint32(o, x, true), (v, o) => v.getUint32(o, true));
export const u64 = bigInt('u64', false);
export const s8 = int('s8', 1, true, (v, o, x) => v.setInt8(o, x), (v, o) => v.getInt8(o));
export const s16 = int('s16', 2, true, (v, o, x) => v.setInt16(o, x, true), (v, o) => v.getInt16(o, true));
export const s32 = int('s32', 4, true, (v, o, x) => v.setInt32(o, x, true), (v, o) => v.getInt32(o, true));
export const s64 = bigInt('s64', true);

/**
 * A fixed `char[n]`, as BPF programs store strings: NUL-padded, decoded up to the first NUL. Text longer
 * than n bytes is an error rather than silently cut, because a truncated key would address another entry.
 */
export function chars(n: number): Codec<string> {
  return codec<string>(`char[${n}]`, n, 1, (view, offset, value) => {
    const encoded = new TextEncoder().encode(value);
    if (encoded.length > n) throw new RangeError(`"${value}" is ${encoded.length} bytes, longer than char[${n}]`);
    for (let i = 0; i < n; i++) view.setUint8(offset + i, encoded[i] ?? 0);
  }, (view, offset) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, n);
    const end = bytes.indexOf(0);
    return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
  });
}

/** A C array `T[count]`: stack traces (u64[depth]) and histogram slots. */
export function array<T>(element: Codec<T>, count: number): Codec<T[]> {
  const stride = alignUp(element.size, element.align);
  const size = stride * count;
  return {
    size,
    align: element.align,
    encode(value) {
      const bytes = new Uint8Array(size);
      this.write(bytes, 0, value);
      return bytes;
    },
    decode(bytes, offset = 0) {
      checkFits(`array[${count}]`, bytes, offset, size);
      return Array.from({ length: count }, (_, i) => element.decode(bytes, offset + i * stride));
    },
    write(bytes, offset, value) {
      if (value.length !== count) throw new RangeError(`array of ${count} given ${value.length} elements`);
      value.forEach((item, i) => element.write(bytes, offset + i * stride, item));
    },
  };
}

export interface StructField<N extends string = string, T = unknown> {
  readonly name: N;
  readonly codec: Codec<T>;
}

export function field<N extends string, T>(name: N, fieldCodec: Codec<T>): StructField<N, T> {
  return { name, codec: fieldCodec };
}

/** The decoded object of a struct: one property per field, typed by the field's codec. */
export type StructValue<F extends readonly StructField[]> = {
  [E in F[number] as E['name']]: E extends StructField<string, infer T> ? T : never;
};

export interface StructCodec<T> extends Codec<T> {
  /** Byte offset of each field, after the padding C's alignment rules insert. */
  readonly offsets: Readonly<Record<string, number>>;
}

/**
 * A C struct laid out as the compiler would: each field at the next multiple of its alignment, the
 * whole size rounded up to the largest alignment, padding bytes zero.
 */
export function struct<const F extends readonly StructField[]>(fields: F): StructCodec<StructValue<F>> {
  const offsets: Record<string, number> = {};
  let end = 0;
  let align = 1;
  for (const f of fields) {
    if (f.name in offsets) throw new Error(`struct has two fields named ${f.name}`);
    end = alignUp(end, f.codec.align);
    offsets[f.name] = end;
    end += f.codec.size;
    align = Math.max(align, f.codec.align);
  }
  const size = alignUp(end, align);
  type Value = StructValue<F>;
  return {
    size,
    align,
    offsets,
    encode(value: Value) {
      const bytes = new Uint8Array(size);
      this.write(bytes, 0, value);
      return bytes;
    },
    decode(bytes: Uint8Array, offset = 0): Value {
      checkFits('struct', bytes, offset, size);
      const value: Record<string, unknown> = {};
      for (const f of fields) value[f.name] = f.codec.decode(bytes, offset + (offsets[f.name] ?? 0));
      return value as Value;
    },
    write(bytes: Uint8Array, offset: number, value: Value) {
      const record = value as Record<string, unknown>;
      for (const f of fields) f.codec.write(bytes, offset + (offsets[f.name] ?? 0), record[f.name]);
    },
  };
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/** Combines the values every CPU holds for one key of a per-CPU map into the value to report. */
export type PerCpuMerge<T> = (values: readonly T[]) => T;

/** Counters (count(), sum()): the total over CPUs. */
export const mergeSum: PerCpuMerge<bigint> = (values) => values.reduce((total, v) => total + v, 0n);

/**
 * min()/max(): note that a per-CPU hash entry holds zero on CPUs that never touched it, so aggregations
 * whose zero is a legitimate value must record "set" per CPU and filter before merging.
 */
export const mergeMin: PerCpuMerge<bigint> = (values) => pick(values, (a, b) => b < a);
export const mergeMax: PerCpuMerge<bigint> = (values) => pick(values, (a, b) => b > a);

function pick(values: readonly bigint[], better: (current: bigint, candidate: bigint) => boolean): bigint {
  if (values.length === 0) throw new RangeError('no per-CPU values to merge');
  return values.reduce((best, v) => (better(best, v) ? v : best));
}

/** Applies `merge` slot by slot, for array values such as histogram buckets. */
export function mergeElementwise<T>(merge: PerCpuMerge<T>): PerCpuMerge<T[]> {
  return (values) => {
    const length = values[0]?.length ?? 0;
    if (values.some((v) => v.length !== length)) throw new RangeError('per-CPU arrays differ in length');
    return Array.from({ length }, (_, i) => merge(values.map((v) => v[i] as T)));
  };
}
