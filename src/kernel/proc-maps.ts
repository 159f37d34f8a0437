// Memory mappings of a process from /proc/PID/maps: which file (and where in it) backs a user
// address, and which file a process loaded for a library name.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface MemoryMapping {
  start: bigint;
  /** Exclusive. */
  end: bigint;
  /** Four characters such as "r-xp". */
  perms: string;
  /** File offset of `start`. */
  offset: bigint;
  /** "major:minor" of the backing file's device. */
  dev: string;
  inode: number;
  /** File path, a pseudo name such as "[heap]" or "[vdso]", or "" for anonymous memory. */
  path: string;
  /** The file was unlinked after mapping; `path` is its old name without the " (deleted)" mark. */
  deleted: boolean;
}

export interface FileLocation {
  path: string;
  fileOffset: bigint;
  mapping: MemoryMapping;
}

const DELETED_SUFFIX = ' (deleted)';

export function parseMaps(text: string): MemoryMapping[] {
  const mappings: MemoryMapping[] = [];
  for (const line of text.split('\n')) {
    // "start-end perms offset dev inode    path"; the path may contain spaces, so it is the
    // remainder of the line after the fifth field rather than a split field.
    const match = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) (\S+) (\d+) *(.*)$/.exec(line);
    if (match === null) continue;
    let path = match[7];
    const deleted = path.endsWith(DELETED_SUFFIX);
    if (deleted) path = path.slice(0, -DELETED_SUFFIX.length);
    mappings.push({
      start: BigInt('0x' + match[1]),
      end: BigInt('0x' + match[2]),
      perms: match[3],
      offset: BigInt('0x' + match[4]),
      dev: match[5],
      inode: Number(match[6]),
      path,
      deleted,
    });
  }
  return mappings;
}

/** Mappings of a live process; throws (ENOENT) once the process is gone. */
export function readProcessMaps(pid: number): MemoryMapping[] {
  return parseMaps(readFileSync(`/proc/${pid}/maps`, 'latin1'));
}

export function findMapping(mappings: MemoryMapping[], address: bigint): MemoryMapping | undefined {
  return mappings.find((mapping) => mapping.start <= address && address < mapping.end);
}

/** The file and offset behind a user address; undefined for anonymous or pseudo mappings. */
export function addressToFileLocation(mappings: MemoryMapping[], address: bigint): FileLocation | undefined {
  const mapping = findMapping(mappings, address);
  if (mapping === undefined || !mapping.path.startsWith('/')) return undefined;
  return { path: mapping.path, fileOffset: address - mapping.start + mapping.offset, mapping };
}

/**
 * Whether a mapped file is the library a user named: the full path, the exact file name
 * ("libc.so.6"), or the name before its ".so" suffix ("libc" but not "libcap.so.2"), also
 * allowing glibc's older "libc-2.31.so" spelling.
 */
export function isLibraryMatch(path: string, name: string): boolean {
  if (name.includes('/')) return path === name;
  const file = basename(path);
  if (file === name) return true;
  if (file.startsWith(`${name}.so`)) return true;
  return file.startsWith(`${name}-`) && /\.so(\.|$)/.test(file);
}

/** Path of the file a process mapped for a library name, as in `uprobe:libc:malloc` with -p PID. */
export function findLibraryInMaps(mappings: MemoryMapping[], name: string): string | undefined {
  return mappings.find((mapping) => mapping.path.startsWith('/') && isLibraryMatch(mapping.path, name))?.path;
}

export function findLoadedLibrary(pid: number, name: string): string | undefined {
  return findLibraryInMaps(readProcessMaps(pid), name);
}
