// The value every feature probe returns, and the two pieces of machinery all probes share: per-process
// memoization and closing every file descriptor a probe opened, whatever happens.
import type { Sys } from '../sys/index.js';

/** Whether the running kernel offers a feature; when it does not, `reason` says precisely why. */
export interface Feature {
  readonly available: boolean;
  readonly reason?: string;
  /** The first upstream Linux release with the feature, e.g. "5.8". */
  readonly minKernel: string;
}

export function available(minKernel: string): Feature {
  return { available: true, minKernel };
}

export function unavailable(minKernel: string, reason: string): Feature {
  return { available: false, reason, minKernel };
}

/**
 * Runs a probe, turning anything it throws into an unavailable feature whose reason is the error's
 * message. Probes throw only for conditions they already worded (a missing BTF type, an unreadable
 * file), so the message reads as a reason.
 */
export function guarded(minKernel: string, probe: () => Feature): Feature {
  try {
    return probe();
  } catch (error) {
    return unavailable(minKernel, error instanceof Error ? error.message : String(error));
  }
}

const memo = new WeakMap<object, Map<string, Feature>>();

/**
 * One answer per feature and environment: the host environment is a singleton, so on the real kernel
 * this is a per-process cache; a test's fake environment gets its own.
 */
export function memoized(owner: object, key: string, probe: () => Feature): Feature {
  let known = memo.get(owner);
  if (known === undefined) {
    known = new Map();
    memo.set(owner, known);
  }
  let feature = known.get(key);
  if (feature === undefined) {
    feature = probe();
    known.set(key, feature);
  }
  return feature;
}

/** File descriptors opened by one probe, closed together (newest first) when the probe ends. */
export class FdScope {
  private readonly fds: number[] = [];

  constructor(private readonly sys: Sys) {}

  /** Registers an fd for closing and hands it back, so an opening call can be wrapped inline. */
  track(fd: number): number {
    this.fds.push(fd);
    return fd;
  }

  closeAll(): void {
    for (const fd of this.fds.reverse()) this.sys.close(fd);
    this.fds.length = 0;
  }
}

export function withFds<T>(sys: Sys, run: (scope: FdScope) => T): T {
  const scope = new FdScope(sys);
  try {
    return run(scope);
  } finally {
    scope.closeAll();
  }
}
