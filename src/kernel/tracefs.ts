// tracefs: where it is mounted, which tracepoints exist, and their ids and record formats.
// Mounting needs mount(2), which only src/sys may issue, so callers pass it in.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseTracepointFormat, TracefsError, type TracepointFormat } from './tracefs-format.js';

export { TracefsError };
export type { TracepointField, TracepointFormat } from './tracefs-format.js';

/** mount(2) as `mount -t <fstype> <source> <target>` would call it. */
export type MountFunction = (source: string, target: string, fstype: string) => void;

export interface TracefsLocation {
  /** Where to look, in order of preference; the first is where `ensureTracefs` mounts. */
  readonly mountPoints: readonly string[];
  readonly mountsFile: string;
}

export const DEFAULT_TRACEFS_LOCATION: TracefsLocation = {
  // Before Linux 4.1 tracefs existed only as debugfs's tracing/ directory.
  mountPoints: ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'],
  mountsFile: '/proc/mounts',
};

export interface TracepointName {
  readonly category: string;
  readonly name: string;
}

/** Root of a mounted tracefs, or undefined when none is mounted. */
export function findTracefs(location: TracefsLocation = DEFAULT_TRACEFS_LOCATION): string | undefined {
  const mounted = tracefsMounts(location.mountsFile);
  const preferred = location.mountPoints.find((p) => mounted.includes(p));
  if (preferred !== undefined) return preferred;
  // Without a readable mount table, an events/ directory is the sign of a live tracefs (this also
  // covers debugfs, which mounts tracefs on first access to its tracing/ directory).
  return location.mountPoints.find((p) => existsSync(join(p, 'events'))) ?? mounted[0];
}

export function tracefsRoot(location: TracefsLocation = DEFAULT_TRACEFS_LOCATION): string {
  const root = findTracefs(location);
  if (root === undefined) {
    throw new TracefsError(
      `tracefs is not mounted (checked ${location.mountsFile} and ${location.mountPoints.join(', ')}); ` +
        `is tracefs mounted? As root: mount -t tracefs nodev ${location.mountPoints[0]}`,
    );
  }
  return root;
}

/** The mounted tracefs, mounting it first at the preferred mount point if needed. */
export function ensureTracefs(mount: MountFunction, location: TracefsLocation = DEFAULT_TRACEFS_LOCATION): Tracefs {
  const mounted = findTracefs(location);
  if (mounted !== undefined) return openTracefs(mounted);
  const target = location.mountPoints[0];
  try {
    mount('nodev', target, 'tracefs');
  } catch (cause) {
    throw new TracefsError(`cannot mount tracefs at ${target}: ${(cause as Error).message}`, { cause });
  }
  return openTracefs(tracefsRoot(location));
}

const opened = new Map<string, Tracefs>();

/** A shared `Tracefs` per root, so parsed formats are cached for the whole process. */
export function openTracefs(root: string = tracefsRoot()): Tracefs {
  let tracefs = opened.get(root);
  if (tracefs === undefined) {
    tracefs = new Tracefs(root);
    opened.set(root, tracefs);
  }
  return tracefs;
}

// The same queries against the tracefs mounted on this machine, for callers that never need another.
export function listCategories(): string[] {
  return openTracefs().listCategories();
}

export function listEvents(category?: string, name?: string): TracepointName[] {
  return openTracefs().listEvents(category, name);
}

export function eventId(category: string, name: string): number {
  return openTracefs().eventId(category, name);
}

export function eventFormat(category: string, name: string): TracepointFormat {
  return openTracefs().eventFormat(category, name);
}

export class Tracefs {
  private readonly formats = new Map<string, TracepointFormat>();

  constructor(readonly root: string) {}

  /** Subsystems under events/, sorted. */
  listCategories(): string[] {
    return subdirectories(join(this.root, 'events')).sort();
  }

  /** Tracepoints whose category and name match the globs (`*` any run, `?` one character), sorted. */
  listEvents(category = '*', name = '*'): TracepointName[] {
    // A probe naming one event needs one lookup, not a listing of events/ and of its category
    // (events/syscalls alone holds ~700 entries): ~1.5 ms of every such script's start-up.
    if (!isGlob(category) && !isGlob(name)) return this.hasEvent(category, name) ? [{ category, name }] : [];
    const categoryMatches = globMatcher(category);
    const nameMatches = globMatcher(name);
    const events: TracepointName[] = [];
    for (const cat of this.listCategories().filter(categoryMatches)) {
      for (const event of subdirectories(join(this.root, 'events', cat)).sort()) {
        if (nameMatches(event)) events.push({ category: cat, name: event });
      }
    }
    return events;
  }

  private hasEvent(category: string, name: string): boolean {
    try {
      return statSync(this.eventPath(category, name)).isDirectory();
    } catch {
      return false;
    }
  }

  /** The id that perf_event_open(PERF_TYPE_TRACEPOINT) takes as `config`. */
  eventId(category: string, name: string): number {
    const text = this.readEventFile(category, name, 'id').trim();
    if (!/^\d+$/.test(text)) throw new TracefsError(`${this.eventPath(category, name)}/id holds "${text}", not an id`);
    return Number(text);
  }

  eventFormat(category: string, name: string): TracepointFormat {
    const key = `${category}:${name}`;
    let format = this.formats.get(key);
    if (format === undefined) {
      const text = this.readEventFile(category, name, 'format');
      format = parseTracepointFormat(text, `${this.eventPath(category, name)}/format`);
      this.formats.set(key, format);
    }
    return format;
  }

  eventPath(category: string, name: string): string {
    for (const part of [category, name]) {
      if (part === '' || part === '.' || part === '..' || part.includes('/')) {
        throw new TracefsError(`invalid tracepoint ${category}:${name}`);
      }
    }
    return join(this.root, 'events', category, name);
  }

  private readEventFile(category: string, name: string, file: string): string {
    const path = join(this.eventPath(category, name), file);
    try {
      return readFileSync(path, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new TracefsError(`no such tracepoint ${category}:${name} (${path} does not exist)`, { cause });
      }
      throw new TracefsError(`cannot read ${path}: ${code ?? (cause as Error).message}`, { cause });
    }
  }
}

function tracefsMounts(mountsFile: string): string[] {
  let table: string;
  try {
    table = readFileSync(mountsFile, 'utf8');
  } catch {
    return [];
  }
  return table
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[2] === 'tracefs')
    .map((fields) => unescapeMountPath(fields[1]));
}

// The mount table escapes blanks and backslashes in paths as octal: `\040` is a space.
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function subdirectories(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new TracefsError(`cannot list ${path}: ${code ?? (cause as Error).message} (is tracefs mounted?)`, { cause });
  }
}

function isGlob(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

function globMatcher(glob: string): (text: string) => boolean {
  const source = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+(){}[\]]/g, '\\$&')));
  const regex = new RegExp(`^${source.join('')}$`);
  return (text) => regex.test(text);
}
