// Typed wrappers over bpf(2): each builds its `union bpf_attr` member (offsets from the UAPI header)
// and calls the Sys. They know nothing of programs or maps as objects; src/kernel builds those.
import { BpfCommand, nameOf } from './bpf-constants.js';
import { StructWriter, readU32 } from './struct-writer.js';
import { isErrno } from './syscall-error.js';
import type { Sys } from './sys.js';

/** Large enough for every bpf_attr member we use; the kernel checks unused tail bytes are zero. */
const ATTR_SIZE = 144;

function call(sys: Sys, cmd: number, attr: StructWriter): number {
  return sys.bpf(cmd, attr.bytes, nameOf(BpfCommand, cmd));
}

export interface MapCreateAttr {
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
  name?: string;
}

function mapCreateAttr(a: MapCreateAttr): StructWriter {
  return new StructWriter(ATTR_SIZE)
    .u32(0, a.type)
    .u32(4, a.keySize)
    .u32(8, a.valueSize)
    .u32(12, a.maxEntries)
    .u32(16, a.flags ?? 0)
    .chars(28, 16, a.name ?? '');
}

export function mapCreate(sys: Sys, a: MapCreateAttr): number {
  return call(sys, BpfCommand.MAP_CREATE, mapCreateAttr(a));
}

/** MAP_CREATE on a worker thread (see `Sys.bpfAsync`): rejects without the reason. */
export function mapCreateAsync(sys: Sys, a: MapCreateAttr): Promise<number> {
  return sys.bpfAsync(BpfCommand.MAP_CREATE, mapCreateAttr(a).bytes, nameOf(BpfCommand, BpfCommand.MAP_CREATE));
}

function elementAttr(sys: Sys, fd: number, key: Uint8Array | null, value: Uint8Array | null, flags = 0): StructWriter {
  return new StructWriter(ATTR_SIZE)
    .u32(0, fd)
    .u64(8, key ? sys.addressOf(key) : 0n)
    .u64(16, value ? sys.addressOf(value) : 0n)
    .u64(24, flags);
}

/** Fills `value` and returns true, or returns false when the key is absent. */
export function mapLookup(sys: Sys, fd: number, key: Uint8Array, value: Uint8Array): boolean {
  return absentIsFalse(() => call(sys, BpfCommand.MAP_LOOKUP_ELEM, elementAttr(sys, fd, key, value)));
}

export function mapUpdate(sys: Sys, fd: number, key: Uint8Array, value: Uint8Array, flags = 0): void {
  call(sys, BpfCommand.MAP_UPDATE_ELEM, elementAttr(sys, fd, key, value, flags));
}

/** Returns false when the key was absent. */
export function mapDelete(sys: Sys, fd: number, key: Uint8Array): boolean {
  return absentIsFalse(() => call(sys, BpfCommand.MAP_DELETE_ELEM, elementAttr(sys, fd, key, null)));
}

/** Writes the key after `key` (or the first key when null) into `next`; false at the end. */
export function mapGetNextKey(sys: Sys, fd: number, key: Uint8Array | null, next: Uint8Array): boolean {
  return absentIsFalse(() => call(sys, BpfCommand.MAP_GET_NEXT_KEY, elementAttr(sys, fd, key, next)));
}

export interface BatchResult {
  count: number;
  /** True when the map has no more entries after this batch. */
  done: boolean;
}

/**
 * BPF_MAP_LOOKUP_BATCH (5.6): up to `keys.length / keySize` entries per call. `inBatch` null starts at
 * the beginning; the kernel writes the resume token into `outBatch`, which the caller passes back as
 * `inBatch` of the next call.
 */
export function mapLookupBatch(
  sys: Sys, fd: number, inBatch: Uint8Array | null, outBatch: Uint8Array,
  keys: Uint8Array, values: Uint8Array, maxCount: number,
): BatchResult {
  const attr = new StructWriter(ATTR_SIZE)
    .u64(0, inBatch ? sys.addressOf(inBatch) : 0n)
    .u64(8, sys.addressOf(outBatch))
    .u64(16, sys.addressOf(keys))
    .u64(24, sys.addressOf(values))
    .u32(32, maxCount)
    .u32(36, fd);
  try {
    call(sys, BpfCommand.MAP_LOOKUP_BATCH, attr);
    return { count: readU32(attr.bytes, 32), done: false };
  } catch (error) {
    // ENOENT marks the last batch; the kernel still reports how many entries it copied.
    if (isErrno(error, 'ENOENT')) return { count: readU32(attr.bytes, 32), done: true };
    throw error;
  }
}

export interface ProgLoadAttr {
  type: number;
  instructions: Uint8Array;
  license: string;
  name?: string;
  expectedAttachType?: number;
  attachBtfId?: number;
  logLevel?: number;
  logBuffer?: Uint8Array;
  /** The program's own BTF (a BPF_BTF_LOAD fd) and its func_info records, one per BPF function. */
  functions?: ProgFunctionInfo;
}

export interface ProgFunctionInfo {
  btfFd: number;
  /** struct bpf_func_info records back to back: insn_off and type_id, u32 each. */
  records: Uint8Array;
}

/** sizeof(struct bpf_func_info). */
export const FUNC_INFO_RECORD_SIZE = 8;

export function progLoad(sys: Sys, a: ProgLoadAttr): number {
  const license = new TextEncoder().encode(`${a.license}\0`);
  const log = a.logBuffer;
  const attr = new StructWriter(ATTR_SIZE)
    .u32(0, a.type)
    .u32(4, a.instructions.byteLength / 8)
    .u64(8, sys.addressOf(a.instructions))
    .u64(16, sys.addressOf(license))
    .u32(24, log ? (a.logLevel ?? 1) : 0)
    .u32(28, log ? log.byteLength : 0)
    .u64(32, log ? sys.addressOf(log) : 0n)
    .chars(48, 16, a.name ?? '')
    .u32(68, a.expectedAttachType ?? 0)
    .u32(108, a.attachBtfId ?? 0);
  const functions = a.functions;
  if (functions !== undefined) {
    attr.u32(72, functions.btfFd)
      .u32(76, FUNC_INFO_RECORD_SIZE)
      .u64(80, sys.addressOf(functions.records))
      .u32(88, functions.records.byteLength / FUNC_INFO_RECORD_SIZE);
  }
  return call(sys, BpfCommand.PROG_LOAD, attr);
}

export interface BtfLoadAttr {
  blob: Uint8Array;
  logBuffer?: Uint8Array;
}

/** BPF_BTF_LOAD (4.18): hands a BTF blob to the kernel, which checks it and returns an fd naming it. */
export function btfLoad(sys: Sys, a: BtfLoadAttr): number {
  const log = a.logBuffer;
  const attr = new StructWriter(ATTR_SIZE)
    .u64(0, sys.addressOf(a.blob))
    .u64(8, log ? sys.addressOf(log) : 0n)
    .u32(16, a.blob.byteLength)
    .u32(20, log ? log.byteLength : 0)
    .u32(24, log ? 1 : 0);
  return call(sys, BpfCommand.BTF_LOAD, attr);
}

/** BPF_RAW_TRACEPOINT_OPEN: attaches a raw tracepoint program (name) or a tp_btf/tracing program (null). */
export function rawTracepointOpen(sys: Sys, tracepoint: string | null, progFd: number): number {
  const name = tracepoint === null ? null : new TextEncoder().encode(`${tracepoint}\0`);
  const attr = new StructWriter(ATTR_SIZE).u64(0, name ? sys.addressOf(name) : 0n).u32(8, progFd);
  return call(sys, BpfCommand.RAW_TRACEPOINT_OPEN, attr);
}

export interface LinkCreateAttr {
  progFd: number;
  targetFd: number;
  attachType: number;
  /** BPF_PERF_EVENT links: the value bpf_get_attach_cookie() returns (5.15). */
  cookie?: bigint;
}

export function linkCreate(sys: Sys, a: LinkCreateAttr): number {
  const attr = new StructWriter(ATTR_SIZE)
    .u32(0, a.progFd)
    .u32(4, a.targetFd)
    .u32(8, a.attachType)
    .u64(16, a.cookie ?? 0n);
  return call(sys, BpfCommand.LINK_CREATE, attr);
}

/** PROG/MAP/LINK_GET_NEXT_ID: the next object id after `start`, or undefined after the last. */
export function getNextId(sys: Sys, cmd: number, start: number): number | undefined {
  const attr = new StructWriter(ATTR_SIZE).u32(0, start);
  const found = absentIsFalse(() => call(sys, cmd, attr));
  return found ? readU32(attr.bytes, 4) : undefined;
}

/** PROG/MAP/LINK_GET_FD_BY_ID. */
export function getFdById(sys: Sys, cmd: number, id: number): number {
  return call(sys, cmd, new StructWriter(ATTR_SIZE).u32(0, id));
}

/** BPF_OBJ_GET_INFO_BY_FD into a buffer of `size` bytes (bpf_prog_info, bpf_map_info, bpf_link_info). */
export function objGetInfo(sys: Sys, fd: number, size: number): Uint8Array {
  const info = new Uint8Array(size);
  const attr = new StructWriter(ATTR_SIZE).u32(0, fd).u32(4, size).u64(8, sys.addressOf(info));
  call(sys, BpfCommand.OBJ_GET_INFO_BY_FD, attr);
  return info;
}

/**
 * BPF_PROG_TEST_RUN for raw tracepoint programs (5.10): runs the program once in the calling thread
 * with `args` as its context (the tracepoint's u64 arguments) and returns the program's return value.
 */
export function progTestRunRawTracepoint(sys: Sys, progFd: number, args: BigUint64Array): number {
  const context = new Uint8Array(args.buffer, args.byteOffset, args.byteLength);
  const attr = new StructWriter(ATTR_SIZE)
    .u32(0, progFd)
    .u32(40, context.byteLength)
    .u64(48, sys.addressOf(context));
  call(sys, BpfCommand.PROG_TEST_RUN, attr);
  return readU32(attr.bytes, 4);
}

function absentIsFalse(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}
