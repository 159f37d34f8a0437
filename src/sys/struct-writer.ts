// Little-endian byte layouts for the kernel's attribute structs (bpf_attr, perf_event_attr).
// Offsets come from the UAPI headers and are written next to each field where it is encoded.

export class StructWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u16(offset: number, value: number): this {
    this.view.setUint16(offset, value, true);
    return this;
  }

  u32(offset: number, value: number): this {
    this.view.setUint32(offset, value >>> 0, true);
    return this;
  }

  u64(offset: number, value: bigint | number): this {
    this.view.setBigUint64(offset, BigInt.asUintN(64, BigInt(value)), true);
    return this;
  }

  /** A NUL-padded fixed-size char array; longer names are cut to fit with their NUL. */
  chars(offset: number, capacity: number, text: string): this {
    const encoded = new TextEncoder().encode(text).subarray(0, capacity - 1);
    this.bytes.set(encoded, offset);
    return this;
  }
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, true);
}

export function readU64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
}

/** A NUL-terminated string as C code would receive it. */
export function cString(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const bytes = new Uint8Array(encoded.length + 1);
  bytes.set(encoded);
  return bytes;
}

export function readCString(bytes: Uint8Array, offset = 0, capacity = bytes.length - offset): string {
  const slice = bytes.subarray(offset, offset + capacity);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end));
}
