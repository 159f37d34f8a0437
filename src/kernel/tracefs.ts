// tracefs: which tracepoints exist, and their ids and record formats. Where it is mounted, and
// mounting it, is tracefs-mount.ts; mounting needs mount(2), which only src/sys may issue, so callers
// pass it in.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostFiles } from './host-files.js';
import { parseTracepointFormat, TracefsError, type TracepointFormat } from './tracefs-format.js';
import { DEFAULT_TRACEFS_LOCATION, findTracefs, mountTracefs, type MountFunction, type TracefsLocation } from './tracefs-mount.js';

export { TracefsError };
export type { TracepointField, TracepointFormat } from './tracefs-format.js';
export { DEFAULT_TRACEFS_LOCATION, findTracefs, mountTracefs, tracefsMountable, type MountFunction, type TracefsLocation } from './tracefs-mount.js';

export interface TracepointName {
  readonly category: string;
  readonly name: string;
}

export function tracefsRoot(location: TracefsLocation = DEFAULT_TRACEFS_LOCATION): string {
  const root = findTracefs(hostFiles, location);
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
  return openTracefs(mountTracefs(mount, hostFiles, location));
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
    // Likewise a named category is looked up, not found in a listing of events/.
    const categories = isGlob(category) ? this.listCategories().filter(globMatcher(category)) : this.hasCategory(category) ? [category] : [];
    const nameMatches = globMatcher(name);
    const events: TracepointName[] = [];
    for (const cat of categories) {
      for (const event of subdirectories(join(this.root, 'events', cat)).sort()) {
        if (nameMatches(event)) events.push({ category: cat, name: event });
      }
    }
    return events;
  }

  private hasEvent(category: string, name: string): boolean {
    return isPathPart(category) && isPathPart(name) && isDirectory(this.eventPath(category, name));
  }

  private hasCategory(category: string): boolean {
    return isPathPart(category) && isDirectory(join(this.root, 'events', category));
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
    if (!isPathPart(category) || !isPathPart(name)) throw new TracefsError(`invalid tracepoint ${category}:${name}`);
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

/** A name that stays one directory level down when joined to a path. */
function isPathPart(part: string): boolean {
  return part !== '' && part !== '.' && part !== '..' && !part.includes('/');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
