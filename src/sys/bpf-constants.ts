// Numbering from the kernel's UAPI (include/uapi/linux/bpf.h). Only what bpfscope uses.

export const BpfCommand = {
  MAP_CREATE: 0,
  MAP_LOOKUP_ELEM: 1,
  MAP_UPDATE_ELEM: 2,
  MAP_DELETE_ELEM: 3,
  MAP_GET_NEXT_KEY: 4,
  PROG_LOAD: 5,
  PROG_TEST_RUN: 10,
  PROG_GET_NEXT_ID: 11,
  MAP_GET_NEXT_ID: 12,
  PROG_GET_FD_BY_ID: 13,
  MAP_GET_FD_BY_ID: 14,
  OBJ_GET_INFO_BY_FD: 15,
  RAW_TRACEPOINT_OPEN: 17,
  BTF_LOAD: 18,
  MAP_LOOKUP_BATCH: 24,
  LINK_CREATE: 28,
  LINK_GET_FD_BY_ID: 30,
  LINK_GET_NEXT_ID: 31,
} as const;

export const MapType = {
  HASH: 1,
  ARRAY: 2,
  PERF_EVENT_ARRAY: 4,
  PERCPU_HASH: 5,
  PERCPU_ARRAY: 6,
  STACK_TRACE: 7,
  LRU_HASH: 9,
  LRU_PERCPU_HASH: 10,
  RINGBUF: 27,
} as const;
export type MapType = (typeof MapType)[keyof typeof MapType];

export const ProgramType = {
  KPROBE: 2,
  TRACEPOINT: 5,
  PERF_EVENT: 7,
  RAW_TRACEPOINT: 17,
  TRACING: 26,
} as const;
export type ProgramType = (typeof ProgramType)[keyof typeof ProgramType];

export const AttachType = {
  TRACE_RAW_TP: 23,
  TRACE_FENTRY: 24,
  TRACE_FEXIT: 25,
  PERF_EVENT: 41,
  TRACE_KPROBE_MULTI: 42,
} as const;
export type AttachType = (typeof AttachType)[keyof typeof AttachType];

export const MapFlag = {
  /** Hash maps: allocate entries on demand instead of up front. */
  NO_PREALLOC: 1 << 0,
  /** Programs may only read the map (5.2): for tables user space writes once. */
  RDONLY_PROG: 1 << 7,
  /** Array maps: user space may mmap the values (5.5). */
  MMAPABLE: 1 << 10,
} as const;

/** Flags of bpf_ringbuf_output/submit/discard: whether committing a record wakes the consumer. */
export const RingbufFlag = {
  /** Only when the consumer had caught up with this record (the kernel's adaptive rule). */
  ADAPTIVE: 0,
  NO_WAKEUP: 1 << 0,
  FORCE_WAKEUP: 1 << 1,
} as const;

/** What bpf_ringbuf_query returns. */
export const RingbufQuery = {
  /** Bytes reserved by producers and not yet consumed. */
  AVAIL_DATA: 0,
} as const;

export const UpdateFlag = {
  ANY: 0,
  NOEXIST: 1,
  EXIST: 2,
} as const;

export function nameOf(table: Record<string, number>, value: number): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? String(value);
}
