// BPF maps: `MapSpec` is the blueprint, `BpfMap` a map the kernel created, reached through its fd.
//
// Keys and values are raw bytes here; codec.ts turns them into numbers, strings and structs. Per-CPU
// maps copy one slot per *possible* CPU on every lookup, each slot rounded up to 8 bytes, so their user
// space value buffers are `align8(valueSize) × possibleCpus()` bytes.
import {
  MapType, UpdateFlag, isErrno, linuxSys, mapCreate, mapCreateAsync, mapDelete, mapGetNextKey, mapLookup, mapLookupBatch,
  mapUpdate, nameOf, objGetInfo, readCString, readU32, type Sys,
} from '../sys/index.js';
import { alignUp, type Codec, type PerCpuMerge } from './codec.js';
import { pageSize } from './page-size.js';
import { possibleCpus } from './possible-cpus.js';

export interface MapSpec {
  /** Shown by bpftool and our inventory; the kernel keeps the first 15 bytes. */
  name: string;
  type: MapType;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
}

/** A spec the kernel would reject for a reason we can state better than EINVAL. */
export class MapSpecError extends Error {
  override name = 'MapSpecError';

  constructor(readonly mapName: string, reason: string) {
    super(`map ${mapName}: ${reason}`);
  }
}

export interface MapInfo {
  id: number;
  type: number;
  name: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
}

export interface EntriesOptions {
  /** false forces the key-by-key walk, for comparison and for kernels whose batch lookup misbehaves. */
  batch?: boolean;
}

const PER_CPU_TYPES: ReadonlySet<number> = new Set([MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH]);
const ARRAY_TYPES: ReadonlySet<number> = new Set([MapType.ARRAY, MapType.PERCPU_ARRAY]);
/** struct bpf_map_info up to map_extra (4.13 for the first fields; the kernel fills what it knows). */
const MAP_INFO_SIZE = 88;
/** Entries per BPF_MAP_LOOKUP_BATCH call; doubled when a hash bucket holds more (ENOSPC). */
const INITIAL_BATCH = 256;

/** Spec rules the kernel enforces with a bare EINVAL; checked first to say which rule was broken. */
export function validateMapSpec(spec: MapSpec, pageBytes = pageSize()): void {
  const fail = (reason: string): never => {
    throw new MapSpecError(spec.name, reason);
  };
  if (spec.type === MapType.RINGBUF) {
    if (spec.keySize !== 0 || spec.valueSize !== 0) fail('a ring buffer has keySize 0 and valueSize 0');
    const size = spec.maxEntries;
    if (size <= 0 || size % pageBytes !== 0 || (size & (size - 1)) !== 0) {
      fail(`ring buffer size ${size} must be a power of two and a multiple of the page size (${pageBytes})`);
    }
    return;
  }
  if (spec.type === MapType.STACK_TRACE) {
    if (spec.keySize !== 4) fail('a stack trace map has 4-byte keys (stack ids)');
    if (spec.valueSize <= 0 || spec.valueSize % 8 !== 0) fail('a stack trace map value is an array of u64 addresses');
  }
  if (spec.maxEntries <= 0) fail('maxEntries must be positive');
  if (spec.keySize <= 0 || spec.valueSize <= 0) fail('keySize and valueSize must be positive');
  if (ARRAY_TYPES.has(spec.type) && spec.keySize !== 4) fail('array maps have 4-byte keys (the index)');
}

export class BpfMap {
  /** Bytes a lookup copies out: valueSize, or one 8-byte-aligned slot per possible CPU. */
  readonly valueBufferSize: number;
  private batchUnsupported = false;
  private closed = false;

  private constructor(
    readonly fd: number,
    readonly spec: MapSpec,
    private readonly sys: Sys,
    /** Possible CPUs; 1 for maps that are not per-CPU. */
    readonly cpus: number,
  ) {
    this.valueBufferSize = this.isPerCpu ? alignUp(spec.valueSize, 8) * cpus : spec.valueSize;
  }

  static create(spec: MapSpec, sys: Sys = linuxSys()): BpfMap {
    validateMapSpec(spec);
    let fd: number;
    try {
      fd = mapCreate(sys, spec);
    } catch (error) {
      if (isErrno(error, 'EINVAL')) {
        throw error.withHint(`map type ${nameOf(MapType, spec.type)} or its flags are not supported by this kernel, or the sizes are invalid`);
      }
      throw error;
    }
    return BpfMap.wrap(fd, spec, sys);
  }

  /**
   * Creates the map on a worker thread, so a large one (a 4 MB ring buffer takes the kernel ~1 ms)
   * is made while the caller goes on. A refusal is met by creating it again here, which throws the
   * same error `create` would, with its errno and hint.
   */
  static async createAsync(spec: MapSpec, sys: Sys = linuxSys()): Promise<BpfMap> {
    validateMapSpec(spec);
    let fd: number;
    try {
      fd = await mapCreateAsync(sys, spec);
    } catch {
      return BpfMap.create(spec, sys);
    }
    return BpfMap.wrap(fd, spec, sys);
  }

  /** The map behind a descriptor the kernel just created to `spec`. */
  private static wrap(fd: number, spec: MapSpec, sys: Sys): BpfMap {
    return new BpfMap(fd, spec, sys, PER_CPU_TYPES.has(spec.type) ? possibleCpus() : 1);
  }

  get isPerCpu(): boolean {
    return PER_CPU_TYPES.has(this.spec.type);
  }

  lookup(key: Uint8Array): Uint8Array | undefined {
    const value = new Uint8Array(this.valueBufferSize);
    return mapLookup(this.sys, this.fd, this.checkKey(key), value) ? value : undefined;
  }

  /** One value per possible CPU, each `valueSize` bytes; undefined when the key is absent. */
  lookupPerCpu(key: Uint8Array): Uint8Array[] | undefined {
    const value = this.lookup(key);
    return value && this.splitPerCpu(value);
  }

  /** Decodes every CPU's value of `key` and merges them, e.g. `lookupMerged(k, u64, mergeSum)`. */
  lookupMerged<T>(key: Uint8Array, codec: Codec<T>, merge: PerCpuMerge<T>): T | undefined {
    const values = this.lookupPerCpu(key);
    return values && merge(values.map((v) => codec.decode(v)));
  }

  /** Cuts a per-CPU value buffer (from `lookup` or `entries`) into one `valueSize` view per CPU. */
  splitPerCpu(value: Uint8Array): Uint8Array[] {
    if (!this.isPerCpu) throw new Error(`map ${this.spec.name} is not a per-CPU map`);
    const stride = alignUp(this.spec.valueSize, 8);
    return Array.from({ length: this.cpus }, (_, cpu) => value.subarray(cpu * stride, cpu * stride + this.spec.valueSize));
  }

  /** For per-CPU maps `value` is the whole buffer (see `updatePerCpu`). */
  update(key: Uint8Array, value: Uint8Array, flags: number = UpdateFlag.ANY): void {
    if (value.byteLength !== this.valueBufferSize) {
      throw new RangeError(`map ${this.spec.name}: value is ${value.byteLength} bytes, expected ${this.valueBufferSize}`);
    }
    mapUpdate(this.sys, this.fd, this.checkKey(key), value, flags);
  }

  /** Writes each CPU's value: the kernel only accepts all slots at once from user space. */
  updatePerCpu(key: Uint8Array, values: readonly Uint8Array[], flags: number = UpdateFlag.ANY): void {
    if (values.length !== this.cpus) throw new RangeError(`map ${this.spec.name}: ${values.length} values for ${this.cpus} CPUs`);
    const buffer = new Uint8Array(this.valueBufferSize);
    const stride = alignUp(this.spec.valueSize, 8);
    values.forEach((v, cpu) => buffer.set(v.subarray(0, this.spec.valueSize), cpu * stride));
    this.update(key, buffer, flags);
  }

  /** False when the key was absent. Array maps cannot delete (EINVAL): their slots always exist. */
  delete(key: Uint8Array): boolean {
    return mapDelete(this.sys, this.fd, this.checkKey(key));
  }

  /**
   * Every key, fetched one ahead through BPF_MAP_GET_NEXT_KEY so the caller may delete the key it was
   * just given. If some *other* key disappears meanwhile (a BPF program deleting it, LRU eviction), a
   * hash map's GET_NEXT_KEY no longer finds it and restarts from the first key; keys already yielded are
   * then skipped, so each key comes out at most once. A key deleted after the walk fetched it may still
   * be given; keys inserted during the walk may or may not appear. Under churn that never stops, the walk gives up after 4 × maxEntries steps rather than spin.
   */
  *keys(): Generator<Uint8Array> {
    const seen = new Set<string>();
    let current = new Uint8Array(this.spec.keySize);
    if (!mapGetNextKey(this.sys, this.fd, null, current)) return;
    for (let steps = 0; steps < 4 * this.spec.maxEntries; steps++) {
      const next = new Uint8Array(this.spec.keySize);
      const hasNext = mapGetNextKey(this.sys, this.fd, current, next);
      const id = keyId(current);
      if (!seen.has(id)) {
        seen.add(id);
        yield current;
      }
      if (!hasNext) return;
      current = next;
    }
  }

  /**
   * Every [key, value] pair (values as `lookup` returns them). Uses BPF_MAP_LOOKUP_BATCH (5.6, hash maps;
   * 5.7 for arrays), and the key-by-key walk where the kernel lacks it for this map type. Entries removed
   * between walk and lookup are left out.
   */
  *entries(options: EntriesOptions = {}): Generator<[Uint8Array, Uint8Array]> {
    if (options.batch !== false && !this.batchUnsupported) {
      const batched = this.lookupAllBatched();
      if (batched) {
        yield* batched;
        return;
      }
    }
    for (const key of this.keys()) {
      const value = this.lookup(key);
      if (value) yield [key, value];
    }
  }

  /**
   * Empties the map and returns how many entries it held: hash maps lose their keys, array maps (whose
   * slots cannot be deleted) get zero values. Keys are collected first so deletion cannot disturb the walk.
   */
  clear(): number {
    const keys = [...this.keys()];
    const zero = new Uint8Array(this.valueBufferSize);
    for (const key of keys) {
      if (ARRAY_TYPES.has(this.spec.type)) this.update(key, zero);
      else this.delete(key);
    }
    return keys.length;
  }

  info(): MapInfo {
    return mapInfo(this.sys, this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sys.close(this.fd);
  }

  /** All entries through batch lookups, or undefined when this kernel cannot batch this map type. */
  private lookupAllBatched(): [Uint8Array, Uint8Array][] | undefined {
    const { keySize } = this.spec;
    const entries: [Uint8Array, Uint8Array][] = [];
    // The resume token is a u32 bucket index for hash maps and a key for arrays. The kernel reads the
    // token passed in and writes the next one out, so two buffers take turns.
    let token = new Uint8Array(Math.max(keySize, 8));
    let nextToken = new Uint8Array(token.byteLength);
    let started = false;
    let capacity = Math.min(INITIAL_BATCH, this.spec.maxEntries);
    for (;;) {
      const keys = new Uint8Array(keySize * capacity);
      const values = new Uint8Array(this.valueBufferSize * capacity);
      let result;
      try {
        result = mapLookupBatch(this.sys, this.fd, started ? token : null, nextToken, keys, values, capacity);
      } catch (error) {
        // A hash bucket holding more entries than fit in one batch; impossible once all entries fit.
        if (isErrno(error, 'ENOSPC') && capacity < this.spec.maxEntries) {
          capacity *= 2;
          continue;
        }
        if (!started && (isErrno(error, 'EINVAL') || isErrno(error, 'ENOTSUPP') || isErrno(error, 'EOPNOTSUPP'))) {
          this.batchUnsupported = true;
          return undefined;
        }
        throw error;
      }
      for (let i = 0; i < result.count; i++) {
        entries.push([
          keys.slice(i * keySize, (i + 1) * keySize),
          values.slice(i * this.valueBufferSize, (i + 1) * this.valueBufferSize),
        ]);
      }
      if (result.done) return entries;
      [token, nextToken] = [nextToken, token];
      started = true;
    }
  }

  private checkKey(key: Uint8Array): Uint8Array {
    if (key.byteLength !== this.spec.keySize) {
      throw new RangeError(`map ${this.spec.name}: key is ${key.byteLength} bytes, expected ${this.spec.keySize}`);
    }
    return key;
  }
}

/** BPF_OBJ_GET_INFO_BY_FD on a map fd; also used by the inventory for maps other processes own. */
export function mapInfo(sys: Sys, fd: number): MapInfo {
  const info = objGetInfo(sys, fd, MAP_INFO_SIZE);
  return {
    type: readU32(info, 0),
    id: readU32(info, 4),
    keySize: readU32(info, 8),
    valueSize: readU32(info, 12),
    maxEntries: readU32(info, 16),
    flags: readU32(info, 20),
    name: readCString(info, 24, 16),
  };
}

function keyId(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
}
