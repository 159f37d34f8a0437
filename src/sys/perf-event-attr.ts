// perf_event_open(2): struct perf_event_attr (include/uapi/linux/perf_event.h) and the ioctls that
// attach BPF programs to perf events.
import { StructWriter } from './struct-writer.js';
import type { Sys } from './sys.js';

export const PerfType = {
  HARDWARE: 0,
  SOFTWARE: 1,
  TRACEPOINT: 2,
  HW_CACHE: 3,
  RAW: 4,
  BREAKPOINT: 5,
} as const;

export const PerfSoftwareEvent = {
  CPU_CLOCK: 0,
  TASK_CLOCK: 1,
  PAGE_FAULTS: 2,
  CONTEXT_SWITCHES: 3,
  CPU_MIGRATIONS: 4,
  PAGE_FAULTS_MIN: 5,
  PAGE_FAULTS_MAJ: 6,
  ALIGNMENT_FAULTS: 7,
  EMULATION_FAULTS: 8,
  DUMMY: 9,
  BPF_OUTPUT: 10,
} as const;

export const PerfHardwareEvent = {
  CPU_CYCLES: 0,
  INSTRUCTIONS: 1,
  CACHE_REFERENCES: 2,
  CACHE_MISSES: 3,
  BRANCH_INSTRUCTIONS: 4,
  BRANCH_MISSES: 5,
  BUS_CYCLES: 6,
  STALLED_CYCLES_FRONTEND: 7,
  STALLED_CYCLES_BACKEND: 8,
  REF_CPU_CYCLES: 9,
} as const;

/** _IO('$', 0), _IO('$', 1), _IOW('$', 8, __u32). */
export const PerfIoctl = {
  ENABLE: 0x2400,
  DISABLE: 0x2401,
  SET_BPF: 0x40042408,
} as const;

const PERF_FLAG_FD_CLOEXEC = 1 << 3;
const ATTR_SIZE = 128; // PERF_ATTR_SIZE_VER7

/** Bits of the flags word at offset 40. */
const FLAG_DISABLED = 1n << 0n;
const FLAG_FREQ = 1n << 10n;

export interface PerfEventAttr {
  type: number;
  config: bigint | number;
  /** Sample every N events (or ns for cpu-clock). Exclusive with `sampleFrequency`. */
  samplePeriod?: bigint | number;
  /** Sample N times per second. */
  sampleFrequency?: number;
  /** Created disabled; enabled after the BPF program is attached. */
  disabled?: boolean;
  /** kprobe/uprobe PMUs: the function name or binary path (kept alive by the caller until the call). */
  config1?: Uint8Array | bigint;
  /** kprobe/uprobe PMUs: the offset. */
  config2?: bigint | number;
}

export interface PerfEventTarget {
  /** -1: every process. */
  pid: number;
  /** -1: every CPU (only with a pid). */
  cpu: number;
}

export function perfEventOpen(sys: Sys, a: PerfEventAttr, target: PerfEventTarget): number {
  let flags = a.disabled ? FLAG_DISABLED : 0n;
  if (a.sampleFrequency !== undefined) flags |= FLAG_FREQ;
  const config1 = a.config1 instanceof Uint8Array ? sys.addressOf(a.config1) : (a.config1 ?? 0n);
  const attr = new StructWriter(ATTR_SIZE)
    .u32(0, a.type)
    .u32(4, ATTR_SIZE)
    .u64(8, a.config)
    .u64(16, a.sampleFrequency ?? a.samplePeriod ?? 0)
    .u64(40, flags)
    .u32(48, 1) // wakeup_events: irrelevant for BPF-only events, but must be non-zero for sampling ones
    .u64(56, config1)
    .u64(64, a.config2 ?? 0);
  return sys.perfEventOpen(attr.bytes, target.pid, target.cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

export function perfEventSetBpf(sys: Sys, perfFd: number, progFd: number): void {
  sys.ioctl(perfFd, PerfIoctl.SET_BPF, progFd, 'PERF_EVENT_IOC_SET_BPF');
}

export function perfEventEnable(sys: Sys, perfFd: number): void {
  sys.ioctl(perfFd, PerfIoctl.ENABLE, 0, 'PERF_EVENT_IOC_ENABLE');
}
