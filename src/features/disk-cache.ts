// Probe results kept on disk between runs, so a one-liner does not pay for ~60 probe programs each
// time. One small JSON file, valid only for the kernel release and boot it was written in (a reboot
// may change the kernel, its command line or its sysctls); anything unexpected in it is ignored, so
// deleting it, or finding it corrupt, only costs a fresh probe.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const FILE_NAME = 'features.json';
/** Bumped whenever the stored shape or the probes' meaning changes, invalidating older files. */
const FORMAT = 1;

export interface CacheKey {
  readonly release: string;
  readonly bootId: string;
}

/** $XDG_CACHE_HOME/bpfscope, or ~/.cache/bpfscope. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'bpfscope');
}

/** The stored value when the file exists, parses, and was written for this key; undefined otherwise. */
export function readCache(dir: string, key: CacheKey): unknown {
  let text: string;
  try {
    text = readFileSync(join(dir, FILE_NAME), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const stored: unknown = JSON.parse(text);
    if (typeof stored !== 'object' || stored === null) return undefined;
    const { format, release, bootId, value } = stored as Record<string, unknown>;
    return format === FORMAT && release === key.release && bootId === key.bootId ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces the file (write then rename, so a reader never sees half of it). Failing to write, e.g. a
 * read-only home directory, is not an error: the cache only saves time.
 */
export function writeCache(dir: string, key: CacheKey, value: unknown): void {
  const path = join(dir, FILE_NAME);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, `${JSON.stringify({ format: FORMAT, ...key, value })}\n`);
    renameSync(temporary, path);
  } catch {
    return;
  }
}
