// The whole feature report: system facts plus every probe family. Probe results are memoized per
// process by the probes themselves and, on request, kept on disk for the current kernel and boot.
import { type CacheKey, readCache, writeCache } from '../kernel/boot-cache.js';
import { ATTACH_KIND_NAMES, type AttachKindName, haveAttachKind } from './attach-kinds.js';
import { hostEnvironment, type ProbeEnvironment } from './environment.js';
import type { Feature } from './feature.js';
import { HELPER_NAMES, type HelperFeatureName, haveHelper } from './helpers.js';
import { MAP_TYPE_NAMES, type MapTypeName, haveMapType } from './map-types.js';
import { PROGRAM_TYPE_NAMES, type ProgramTypeName, haveProgramType } from './program-types.js';
import { readSystemInfo, type SystemInfo } from './system.js';

export interface ProbeResults {
  readonly programTypes: Readonly<Record<ProgramTypeName, Feature>>;
  readonly mapTypes: Readonly<Record<MapTypeName, Feature>>;
  readonly attachKinds: Readonly<Record<AttachKindName, Feature>>;
  readonly helpers: Readonly<Record<HelperFeatureName, Feature>>;
}

export interface FeatureReport extends ProbeResults {
  readonly kernel: SystemInfo;
}

export interface ProbeOptions {
  /** The machine to probe; the host by default. */
  readonly env?: ProbeEnvironment;
  /** A directory for the on-disk cache (see `defaultCacheDir()`); no disk cache when absent. */
  readonly cacheDir?: string;
  /** Probe even when the disk cache has results, and store the new ones (for `bpfscope info`). */
  readonly refresh?: boolean;
}

/** The probes' results, kept for the boot (kernel/boot-cache.ts). */
const FEATURES_FILE = 'features.json';

/** The names of each family, in report order; a cached file must have exactly these. */
const FAMILIES: { readonly [F in keyof ProbeResults]: readonly string[] } = {
  programTypes: PROGRAM_TYPE_NAMES,
  mapTypes: MAP_TYPE_NAMES,
  attachKinds: ATTACH_KIND_NAMES,
  helpers: HELPER_NAMES,
};

function probeAll<N extends string>(names: readonly N[], probe: (name: N) => Feature): Record<N, Feature> {
  return Object.fromEntries(names.map((name) => [name, probe(name)])) as Record<N, Feature>;
}

function isFeature(value: unknown): value is Feature {
  if (typeof value !== 'object' || value === null) return false;
  const { available, reason, minKernel } = value as Record<string, unknown>;
  return typeof available === 'boolean' && typeof minKernel === 'string' && (reason === undefined || typeof reason === 'string');
}

/** Whether a value read back from disk is a complete set of results for today's probes. */
function isProbeResults(value: unknown): value is ProbeResults {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(FAMILIES).every(([family, names]) => {
    const features = (value as Record<string, unknown>)[family];
    if (typeof features !== 'object' || features === null) return false;
    const entries = Object.entries(features);
    return entries.length === names.length && entries.every(([name, feature]) => names.includes(name) && isFeature(feature));
  });
}

/** Runs (or recalls) every probe. */
export function probeKernel(env: ProbeEnvironment): ProbeResults {
  return {
    programTypes: probeAll(PROGRAM_TYPE_NAMES, (name) => haveProgramType(name, env)),
    mapTypes: probeAll(MAP_TYPE_NAMES, (name) => haveMapType(name, env)),
    attachKinds: probeAll(ATTACH_KIND_NAMES, (name) => haveAttachKind(name, env)),
    helpers: probeAll(HELPER_NAMES, (name) => haveHelper(name, env)),
  };
}

export function probeFeatures(options: ProbeOptions = {}): FeatureReport {
  const env = options.env ?? hostEnvironment();
  // System facts first: they describe the machine as found, before a probe mounts tracefs.
  const kernel = readSystemInfo(env);
  const key: CacheKey | undefined = kernel.bootId === null ? undefined : { release: kernel.release, bootId: kernel.bootId };
  if (options.cacheDir === undefined || key === undefined) return { kernel, ...probeKernel(env) };
  const cached = options.refresh === true ? undefined : readCache(options.cacheDir, FEATURES_FILE, key);
  if (isProbeResults(cached)) return { kernel, ...cached };
  const results = probeKernel(env);
  writeCache(options.cacheDir, FEATURES_FILE, key, results);
  return { kernel, ...results };
}
