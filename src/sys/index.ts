// src/sys — the system call layer. Owns: the FFI (koffi is imported by linux-sys.ts and nowhere else in
// bpfscope), bpf(2) command encodings, perf_event_attr, errno names and SyscallError, and FakeSys for
// unit tests. Must not import any other bpfscope module.
export type { MappedRegion, Sys } from './sys.js';
export { MAP_SHARED, PROT_READ, PROT_WRITE } from './sys.js';
export { linuxSys } from './linux-sys.js';
export { FakeSys, type FakeAnswer, type FakeCall } from './fake-sys.js';
export { SyscallError, isErrno } from './syscall-error.js';
export { errnoHint, errnoName, errnoNumber } from './errno.js';
export { errnoMessage } from './errno-messages.js';
export { AttachType, BpfCommand, MapFlag, MapType, ProgramType, RingbufFlag, RingbufQuery, UpdateFlag, nameOf } from './bpf-constants.js';
export * from './bpf-commands.js';
export * from './perf-event-attr.js';
export { StructWriter, cString, readCString, readU32, readU64 } from './struct-writer.js';
