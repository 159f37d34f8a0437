// src/kernel — live kernel objects over file descriptors, and the kernel's files read as data.
// Owns: maps (BpfMap, key/value codecs), programs (Program, VerifierError), attach links (one file per
// kind under links/), the ring-buffer reader, exit cleanup, tracefs, kallsyms, ELF, /proc/PID/maps,
// library lookup, user symbols and the system-wide inventory. Built on src/sys (and src/btf for
// typed attach points); must not import lang, compiler, providers or runtime.
// Test doubles live in testing/ and links/{fake-tracefs,kernel-test-support}.ts and are not exported.

export { UnsupportedFeatureError } from './errors.js';
export { possibleCpus, parseCpuList } from './possible-cpus.js';
export { pageSize } from './page-size.js';
export * from './codec.js';
export { BpfMap, MapSpecError, mapInfo, validateMapSpec, type EntriesOptions, type MapInfo, type MapSpec } from './map.js';
export { Program, programInfo, type ProgramFunctions, type ProgramInfo, type ProgramLoadOptions, type ProgramSpec } from './program.js';
export { LoadedBtf } from './loaded-btf.js';
export { VerifierError, summarizeVerifierLog } from './verifier-error.js';
export { RingBufferReader, type RecordHandler } from './ring-buffer.js';
export { MappedArray } from './mapped-array.js';
export {
  inventoryDiff, listLinks, listMaps, listPrograms, takeInventory,
  type Inventory, type InventoryItem, type LinkItem,
} from './inventory.js';
export { liveResources, register, releaseAll, unregister, type ReleaseFailure, type Resource } from './cleanup.js';

export type { ConcurrentDetach, Link, LinkKind, ProgramRef } from './links/link.js';
export { attachTracepoint, type TracepointOptions } from './links/tracepoint-link.js';
export { attachRawTracepoint, attachTpBtf, tracepointBtfId } from './links/raw-tracepoint-link.js';
export { attachUprobe, type UprobeOptions, type UprobeTarget } from './links/uprobe-link.js';
export { KPROBES_MISSING, attachKprobe, type KprobeOptions, type KprobeTarget } from './links/kprobe-link.js';
export {
  FENTRY_REFUSED, attachFentry, explainFentryLoadError, fentryAttachBtfId, fentryAttachType, type FentryKind,
} from './links/fentry-link.js';
export {
  HARDWARE_EVENTS, NO_CPU_PMU, SOFTWARE_EVENTS, attachHardwareEvent, attachInterval, attachProfile,
  attachSoftwareEvent, onlineCpus, type PerfEventOptions, type Sampling, type TimerUnit,
} from './links/perf-event-link.js';
export { hasCpuPmu, sysfsPmu } from './links/pmu.js';
export { listBpfscopeEntries, removeStaleEntries } from './links/probe-events.js';
export type { ProbeEnvironment } from './links/dynamic-probe.js';

export { KernelSymbols, type KernelSymbol } from './kallsyms.js';
export { cgroupId } from './cgroup-id.js';
export { ElfError, ElfFile, globToRegExp, matchesGlob, type ElfSymbol } from './elf.js';
export * from './proc-maps.js';
export { LibraryNotFoundError, resolveLibraryPath } from './library-path.js';
export { UserSymbolizer } from './user-symbols.js';
export * from './tracefs.js';
export { parseTracepointFormat } from './tracefs-format.js';
