// Resolves the binary part of a uprobe target as users write it (`uprobe:libc:malloc`,
// `uprobe:/usr/bin/bash:readline`, `uprobe:bash:readline`) to a file on disk.
//
// Order: a name with a slash is a path; otherwise the libraries a given process has mapped, then
// executables on PATH (skipped for names containing ".so"), then the dynamic linker's cache, then
// the standard library directories. The result is a canonical path (symlinks resolved) so it
// compares equal to the paths in /proc/PID/maps.
import {
  accessSync, closeSync, constants, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync,
} from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { findLoadedLibrary } from './proc-maps.js';

export class LibraryNotFoundError extends Error {
  override name = 'LibraryNotFoundError';

  constructor(
    readonly library: string,
    readonly searched: string[],
  ) {
    super(`cannot find '${library}': looked in ${searched.join(', ')}`);
  }
}

export interface LdCacheEntry {
  /** The soname the linker looks up, e.g. "libc.so.6". */
  name: string;
  path: string;
  flags: number;
}

export interface LibraryPathOptions {
  /** Prefer the file this process has mapped under that name. */
  pid?: number;
  /** Search path for programs; defaults to $PATH. */
  searchPath?: string;
  ldCachePath?: string;
  libraryDirs?: string[];
}

export const DEFAULT_LD_CACHE = '/etc/ld.so.cache';
export const DEFAULT_LIBRARY_DIRS = [
  '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib', '/lib',
];

const CACHE_MAGIC = 'glibc-ld.so.cache1.1';
const CACHE_HEADER_SIZE = 48;
const CACHE_ENTRY_SIZE = 24;
const CACHE_ARCH_MASK = 0xff00;
// The linker cache lists libraries of every installed ABI; these tags select the one this Node runs.
const CACHE_ARCH_FLAGS: Partial<Record<NodeJS.Architecture, number>> = { x64: 0x0300, arm64: 0x0a00 };

export function resolveLibraryPath(name: string, options: LibraryPathOptions = {}): string {
  if (name.includes('/')) {
    const path = resolve(name);
    if (!isFile(path)) throw new LibraryNotFoundError(name, [path]);
    return realpathSync(path);
  }
  const searched: string[] = [];
  if (options.pid !== undefined) {
    searched.push(`/proc/${options.pid}/maps`);
    const loaded = findLoadedLibrary(options.pid, name);
    if (loaded !== undefined) return loaded;
  }
  if (!name.includes('.so')) {
    const searchPath = options.searchPath ?? process.env.PATH ?? '';
    searched.push(`PATH (${searchPath})`);
    const program = findProgram(name, searchPath);
    if (program !== undefined) return realpathSync(program);
  }
  const ldCachePath = options.ldCachePath ?? DEFAULT_LD_CACHE;
  searched.push(ldCachePath);
  const cached = findInLdCache(name, ldCachePath);
  if (cached !== undefined) return realpathSync(cached);
  for (const dir of options.libraryDirs ?? DEFAULT_LIBRARY_DIRS) {
    searched.push(dir);
    const found = findInDirectory(name, dir);
    if (found !== undefined) return realpathSync(found);
  }
  throw new LibraryNotFoundError(name, searched);
}

/** Entries of a "glibc-ld.so.cache1.1" file, in file order; also accepts the old+new combined format. */
export function parseLdCache(data: Buffer): LdCacheEntry[] {
  // The combined format prefixes an obsolete table; the new header follows it, so find its magic.
  const base = data.indexOf(CACHE_MAGIC, 0, 'latin1');
  if (base < 0 || base + CACHE_HEADER_SIZE > data.length) throw new Error('not a glibc-ld.so.cache1.1 file');
  const count = data.readUInt32LE(base + 20);
  const entries: LdCacheEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + CACHE_HEADER_SIZE + i * CACHE_ENTRY_SIZE;
    if (at + CACHE_ENTRY_SIZE > data.length) throw new Error(`ld.so.cache is truncated at entry ${i}`);
    entries.push({
      flags: data.readInt32LE(at),
      // String offsets count from the start of the new-format header.
      name: readCString(data, base + data.readUInt32LE(at + 4)),
      path: readCString(data, base + data.readUInt32LE(at + 8)),
    });
  }
  return entries;
}

function findInLdCache(name: string, cachePath: string): string | undefined {
  let entries: LdCacheEntry[];
  try {
    entries = parseLdCache(readFileSync(cachePath));
  } catch {
    // A missing or foreign cache only means the directory search has to do the work.
    return undefined;
  }
  const arch = CACHE_ARCH_FLAGS[process.arch];
  const usable = entries.filter((entry) => arch === undefined || (entry.flags & CACHE_ARCH_MASK) === arch);
  const match = usable.find((entry) => entry.name === name)
    ?? usable.find((entry) => entry.name.startsWith(`${name}.so`));
  return match !== undefined && isFile(match.path) ? match.path : undefined;
}

function findInDirectory(name: string, dir: string): string | undefined {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return undefined;
  }
  // "libc.so" is often a linker script, so candidates must be ELF files; an exact name wins.
  const exact = files.includes(name) ? [name] : [];
  const versioned = files.filter((file) => file !== name && file.startsWith(`${name}.so`)).sort();
  return [...exact, ...versioned].map((file) => join(dir, file)).find(isElf);
}

function findProgram(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (!isFile(candidate)) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isElf(path: string): boolean {
  if (!isFile(path)) return false;
  const magic = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.readUInt32BE(0) === 0x7f454c46;
  } finally {
    closeSync(fd);
  }
}

function readCString(data: Buffer, offset: number): string {
  const end = data.indexOf(0, offset);
  return data.toString('latin1', offset, end < 0 ? data.length : end);
}
