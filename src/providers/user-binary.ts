// How uprobes name binaries: the executable of a -p process, and the path a bare library name is
// shown with. Resolution itself is kernel/library-path.ts's; this is presentation on top of it.
import { readFileSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFAULT_LD_CACHE, parseLdCache, type LdCacheEntry } from '../kernel/library-path.js';
import { ProbeError } from './provider.js';

/** The file a process runs (`uprobe:FUNCTION` with -p PID). */
export function processExecutable(pid: number): string {
  try {
    return realpathSync(`/proc/${pid}/exe`);
  } catch (error) {
    throw new ProbeError(`no uprobe target: cannot read the executable of process ${pid}: ${(error as Error).message}`, 'is the process running?');
  }
}

let ldCache: readonly LdCacheEntry[] | undefined;

/**
 * The path the dynamic linker's cache lists for a resolved library (`/lib/x86_64-linux-gnu/libc.so.6`
 * rather than its canonical `/usr/lib/…` on merged-/usr systems), which is how bpftrace prints
 * `uprobe:libc:malloc`; the resolved path itself when the cache has no entry for it.
 */
export function conventionalPath(resolved: string): string {
  ldCache ??= readLdCache(DEFAULT_LD_CACHE);
  const file = basename(resolved);
  const entry = ldCache.find((candidate) => basename(candidate.path) === file && canonical(candidate.path) === resolved);
  return entry?.path ?? resolved;
}

function readLdCache(path: string): readonly LdCacheEntry[] {
  try {
    return parseLdCache(readFileSync(path));
  } catch {
    // No cache (static or foreign systems): canonical paths are shown, which still attach.
    return [];
  }
}

function canonical(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
