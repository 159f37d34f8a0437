// What bpfscope learns about the running kernel, kept on disk between runs so a one-liner does not
// pay for it each time: the feature probes' results (~60 probe programs), facts read from the
// kernel's BTF (~15 ms). Small JSON files, each valid only for the kernel release and boot it was
// written in (a reboot may change the kernel, its command line or its sysctls); anything unexpected
// in one is ignored, so deleting it, or finding it corrupt, only costs working the answer out again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bumped whenever the stored shape or the probes' meaning changes, invalidating older files. */
const FORMAT = 1;
const FACTS_FILE = 'kernel-facts.json';

export interface CacheKey {
  readonly release: string;
  readonly bootId: string;
}

/**
 * $XDG_CACHE_HOME/bpfscope, or $HOME/.cache/bpfscope; undefined, and no disk cache, when neither is
 * set (under `env -i`, or a systemd unit without User=): each run then works its facts out again.
 * node:os's homedir() would fall back to the password database, but loading node:os costs ~0.4 ms of
 * every start.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = nonEmpty(env.XDG_CACHE_HOME);
  if (xdg !== undefined) return join(xdg, 'bpfscope');
  const home = nonEmpty(env.HOME);
  return home === undefined ? undefined : join(home, '.cache', 'bpfscope');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** This boot's key, or undefined when the boot id cannot be read. */
export function currentBoot(): CacheKey | undefined {
  try {
    return {
      release: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
      bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    };
  } catch {
    return undefined;
  }
}

/** The stored value when the file exists, parses, and was written for this key; undefined otherwise. */
export function readCache(dir: string, file: string, key: CacheKey): unknown {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
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
export function writeCache(dir: string, file: string, key: CacheKey, value: unknown): void {
  const path = join(dir, file);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, `${JSON.stringify({ format: FORMAT, ...key, value })}\n`);
    renameSync(temporary, path);
  } catch {
    return;
  }
}

/** kernel-facts.json as this process last read or wrote it, per cache directory: one run may ask for several facts. */
const factsByDir = new Map<string, { readonly key: CacheKey; readonly facts: Record<string, unknown> }>();

/**
 * A fact about this boot of the kernel, worked out by `compute` on first need and then read back
 * from kernel-facts.json. `valid` guards against a file from another version of bpfscope.
 */
export function bootFact<T>(name: string, compute: () => T, valid: (value: unknown) => value is T, dir = defaultCacheDir()): T {
  if (dir === undefined) return compute();
  let known = factsByDir.get(dir);
  if (known === undefined) {
    const key = currentBoot();
    if (key === undefined) return compute();
    const stored = readCache(dir, FACTS_FILE, key);
    known = { key, facts: typeof stored === 'object' && stored !== null ? { ...stored } : {} };
    factsByDir.set(dir, known);
  }
  const { key, facts } = known;
  if (Object.hasOwn(facts, name) && valid(facts[name])) return facts[name];
  const value = compute();
  facts[name] = value;
  writeCache(dir, FACTS_FILE, key, facts);
  return value;
}
