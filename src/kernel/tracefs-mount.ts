// Where tracefs is mounted, and mounting it where bpfscope expects it when it is not. Tracepoint ids
// live only in tracefs, and some kernels (this project's CI among them) boot without it mounted, so
// bpfscope mounts it on demand as root, the way perf does. Files are read through a FileView, so the
// feature probes ask the same questions of a described machine in their tests.
import { join } from 'node:path';
import { hostFiles, type FileView } from './host-files.js';
import { TracefsError } from './tracefs-format.js';

/** mount(2) as `mount -t <fstype> <source> <target>` would call it; only src/sys may issue it. */
export type MountFunction = (source: string, target: string, fstype: string) => void;

export interface TracefsLocation {
  /** Where to look, in order of preference; the first is where `mountTracefs` mounts. */
  readonly mountPoints: readonly string[];
  readonly mountsFile: string;
  /** The filesystems the kernel can mount. */
  readonly filesystemsFile: string;
}

export const DEFAULT_TRACEFS_LOCATION: TracefsLocation = {
  // Before Linux 4.1 tracefs existed only as debugfs's tracing/ directory.
  mountPoints: ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'],
  mountsFile: '/proc/mounts',
  filesystemsFile: '/proc/filesystems',
};

/** Root of a mounted tracefs, or undefined when none is mounted. */
export function findTracefs(files: FileView = hostFiles, location: TracefsLocation = DEFAULT_TRACEFS_LOCATION): string | undefined {
  const mounted = tracefsMounts(files.readText(location.mountsFile) ?? '');
  const preferred = location.mountPoints.find((p) => mounted.includes(p));
  if (preferred !== undefined) return preferred;
  // Without a readable mount table, an events/ directory is the sign of a live tracefs (this also
  // covers debugfs, which mounts tracefs on first access to its tracing/ directory).
  return location.mountPoints.find((p) => files.exists(join(p, 'events'))) ?? mounted[0];
}

/** Whether the kernel can mount tracefs: it is built in (listed among its filesystems). */
export function tracefsMountable(files: FileView = hostFiles, location: TracefsLocation = DEFAULT_TRACEFS_LOCATION): boolean {
  const filesystems = files.readText(location.filesystemsFile) ?? '';
  return filesystems.split('\n').some((line) => line.trim().split(/\s+/).at(-1) === 'tracefs');
}

/** The tracefs mount point, mounting tracefs at the preferred mount point first if none is mounted. */
export function mountTracefs(
  mount: MountFunction, files: FileView = hostFiles, location: TracefsLocation = DEFAULT_TRACEFS_LOCATION,
): string {
  const mounted = findTracefs(files, location);
  if (mounted !== undefined) return mounted;
  if (!tracefsMountable(files, location)) {
    throw new TracefsError(`this kernel is built without tracefs (CONFIG_TRACING): it is not listed in ${location.filesystemsFile}`);
  }
  const [target] = location.mountPoints;
  try {
    mount('nodev', target, 'tracefs');
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TracefsError(`tracefs is not mounted and mounting it at ${target} failed: ${why}`, { cause });
  }
  return target;
}

function tracefsMounts(table: string): string[] {
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
