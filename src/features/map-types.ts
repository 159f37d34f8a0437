// Map types bpfscope creates, each probed by creating a small one and closing it again.
import { mapCreate, MapType, type MapCreateAttr, SyscallError } from '../sys/index.js';
import { hostEnvironment, type ProbeEnvironment } from './environment.js';
import { available, type Feature, memoized, unavailable, withFds } from './feature.js';

export type MapTypeName = 'hash' | 'array' | 'percpu_hash' | 'percpu_array' | 'lru_hash' | 'ringbuf' | 'stack_trace';

interface MapTypeSpec {
  readonly minKernel: string;
  readonly attr: MapCreateAttr;
}

/** A ring buffer's size must be a power-of-two multiple of the page size; one 4 KiB page is the least. */
const RINGBUF_BYTES = 4096;
/** Stack trace values are arrays of u64 instruction pointers. */
const STACK_DEPTH = 127;

function keyed(type: MapType, minKernel: string): MapTypeSpec {
  return { minKernel, attr: { type, keySize: 4, valueSize: 8, maxEntries: 1 } };
}

const MAP_TYPES: Record<MapTypeName, MapTypeSpec> = {
  hash: keyed(MapType.HASH, '3.19'),
  array: keyed(MapType.ARRAY, '3.19'),
  percpu_hash: keyed(MapType.PERCPU_HASH, '4.6'),
  percpu_array: keyed(MapType.PERCPU_ARRAY, '4.6'),
  lru_hash: keyed(MapType.LRU_HASH, '4.10'),
  ringbuf: { minKernel: '5.8', attr: { type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: RINGBUF_BYTES } },
  stack_trace: { minKernel: '4.6', attr: { type: MapType.STACK_TRACE, keySize: 4, valueSize: 8 * STACK_DEPTH, maxEntries: 1 } },
};

export const MAP_TYPE_NAMES = Object.keys(MAP_TYPES) as MapTypeName[];

/** Creation parameters the kernel accepts for each type, for probes that need a map of that type. */
export function probeMapAttr(name: MapTypeName): MapCreateAttr {
  return { ...MAP_TYPES[name].attr, name: `bpfscope_${name}` };
}

export function haveMapType(name: MapTypeName, env: ProbeEnvironment = hostEnvironment()): Feature {
  const { minKernel } = MAP_TYPES[name];
  return memoized(env, `map:${name}`, () => withFds(env.sys, (scope) => {
    try {
      scope.track(mapCreate(env.sys, probeMapAttr(name)));
      return available(minKernel);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      const why = error.code === 'EINVAL'
        ? `this kernel does not know the map type (added in Linux ${minKernel})`
        : (error.hint ?? 'refused by the kernel');
      return unavailable(minKernel, `BPF_MAP_CREATE of a ${name} map is refused with ${error.code}: ${why}`);
    }
  }));
}

export const haveHashMap = (env?: ProbeEnvironment): Feature => haveMapType('hash', env);
export const haveArrayMap = (env?: ProbeEnvironment): Feature => haveMapType('array', env);
export const havePercpuHashMap = (env?: ProbeEnvironment): Feature => haveMapType('percpu_hash', env);
export const havePercpuArrayMap = (env?: ProbeEnvironment): Feature => haveMapType('percpu_array', env);
export const haveLruHashMap = (env?: ProbeEnvironment): Feature => haveMapType('lru_hash', env);
export const haveRingBuffer = (env?: ProbeEnvironment): Feature => haveMapType('ringbuf', env);
export const haveStackTraceMap = (env?: ProbeEnvironment): Feature => haveMapType('stack_trace', env);
