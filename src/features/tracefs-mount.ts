// Where tracefs is mounted, and mounting it where bpfscope expects it when it is not. Tracepoint ids
// live only in tracefs, and some kernels (this project's CI among them) boot without it mounted, so
// bpfscope mounts it on demand as root, the way perf does.
import type { ProbeEnvironment } from './environment.js';

export const TRACEFS_PATH = '/sys/kernel/tracing';

/** The first tracefs mount point listed in /proc/mounts, or undefined when tracefs is not mounted. */
export function findTracefs(env: ProbeEnvironment): string | undefined {
  const mounts = env.readText('/proc/mounts') ?? '';
  for (const line of mounts.split('\n')) {
    const [, mountPoint, type] = line.split(' ');
    if (type === 'tracefs' && mountPoint !== undefined) return mountPoint;
  }
  return undefined;
}

/** Whether the kernel can mount tracefs: it is built in (listed in /proc/filesystems). */
export function tracefsMountable(env: ProbeEnvironment): boolean {
  const filesystems = env.readText('/proc/filesystems') ?? '';
  return filesystems.split('\n').some((line) => line.trim().split(/\s+/).at(-1) === 'tracefs');
}

/** The tracefs mount point, mounting tracefs at /sys/kernel/tracing first if needed. */
export function ensureTracefs(env: ProbeEnvironment): string {
  const mounted = findTracefs(env);
  if (mounted !== undefined) return mounted;
  if (!tracefsMountable(env)) {
    throw new Error('this kernel is built without tracefs (CONFIG_TRACING): it is not listed in /proc/filesystems');
  }
  try {
    env.sys.mount('nodev', TRACEFS_PATH, 'tracefs');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`tracefs is not mounted and mounting it at ${TRACEFS_PATH} failed: ${why}`, { cause: error });
  }
  return TRACEFS_PATH;
}
