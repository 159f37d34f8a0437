// features: cached probes of what the running kernel offers (program types, map types, attach kinds,
// helpers) and the system facts around them (release, BTF, lockdown, capabilities, tracefs, sysctls).
// Each probe is a tiny real program, map or attachment, answering `{ available, reason?, minKernel }`
// with the reason worded for the person reading `bpfscope info`. May import sys, btf, asm and kernel;
// must not import lang, ir, runtime, output or cli.
export { type Feature } from './feature.js';
export { hostEnvironment, type ProbeEnvironment, type UprobeTarget } from './environment.js';
export { FakeEnvironment, type FakeEnvironmentOptions, writeVerifierLog } from './fake-environment.js';
export { type FeatureReport, type ProbeOptions, type ProbeResults, probeFeatures, probeKernel } from './report.js';
export { defaultCacheDir } from '../kernel/boot-cache.js';
export { KERNEL_BTF_FILE, haveKernelBtf, parseLockdown, readSystemInfo, type SystemInfo } from './system.js';
export { TRACING_CAPABILITIES, decodeCapabilities, effectiveCapabilities } from './capabilities.js';
export {
  PROGRAM_TYPE_NAMES, type ProgramTypeName, haveProgramType,
  haveKprobeProgram, haveTracepointProgram, havePerfEventProgram, haveRawTracepointProgram,
  haveTpBtfProgram, haveFentryProgram, haveFexitProgram,
} from './program-types.js';
export {
  MAP_TYPE_NAMES, type MapTypeName, haveMapType,
  haveHashMap, haveArrayMap, havePercpuHashMap, havePercpuArrayMap, haveLruHashMap, haveRingBuffer, haveStackTraceMap,
} from './map-types.js';
export {
  ATTACH_KIND_NAMES, type AttachKindName, haveAttachKind,
  haveTracepointAttach, haveRawTracepointAttach, haveTpBtfAttach, haveUprobeAttach, haveKprobeAttach,
  haveFentryAttach, haveFexitAttach, haveSoftwareEventAttach, haveHardwareEventAttach, havePerfEventLink,
} from './attach-kinds.js';
export { HELPER_NAMES, type HelperFeatureName, haveHelper } from './helpers.js';
