// src/runtime — running a compiled script: creates its maps, loads its programs, attaches them through
// the probe providers, runs BEGIN, reads the ring buffer (waiting on a worker thread, never polling),
// decodes each record and map into the output module's values, and at the end runs END, reports lost
// records, dumps the maps and detaches everything. Owns the Session, the bytes → value decoder and the
// map reader. May import abi, asm, compiler (the CompiledScript contract), kernel, output, providers
// (types) and sys; must not import lang's parser, cli, or anything above it.
export { Session, type SessionOptions } from './session.js';
export { PremadeMaps } from './premade-maps.js';
export type { RunEvent, RunSink, RunSummary, StopReason } from './run-events.js';
export { OutputWriter, type OutputWriterOptions } from './output-writer.js';
export {
  ValueDecoder, monotonicToEpochOffset, readCString, type DecoderSources, type StackKind, type StackSource,
} from './decode.js';
export { MapReader, isUserMap, zeroMap } from './map-reader.js';
export { formatInet, AF_INET, AF_INET6 } from './inet.js';
export { Usernames } from './usernames.js';
export { LazyBtf } from './lazy-btf.js';
export { EventQueue } from './event-queue.js';
export { LoadedScript, probeLabel, type LoadedProgram, type LoadOptions } from './loaded-script.js';
export { type Attacher, type AttacherLookup, specialProbe } from './attachment.js';
export {
  AttachError, MapCreateError, ProbeLoadError, ProbeRefusedError, RunOptionError, type ScriptLocation,
} from './errors.js';
