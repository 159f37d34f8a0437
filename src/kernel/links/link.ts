// A link keeps a loaded program attached to a kernel hook until it is detached. Every attach kind
// has its own file in this folder; they all return this one small interface, built on `FdLink`.
import type { Sys } from '../../sys/index.js';
import { register, unregister, type Resource } from '../cleanup.js';

export type LinkKind =
  | 'tracepoint'
  | 'rawtracepoint'
  | 'tp_btf'
  | 'uprobe'
  | 'uretprobe'
  | 'kprobe'
  | 'kretprobe'
  | 'fentry'
  | 'fexit'
  | 'perf_event';

export interface Link {
  readonly kind: LinkKind;
  /** The probe in the language's notation, e.g. "tracepoint:syscalls:sys_enter_openat". */
  readonly description: string;
  /**
   * Detaches on worker threads, all links at once (FdLink says why): `stopped` settles once the
   * program no longer runs, `detached` once everything is released. Calling it again, or detach()
   * meanwhile, does not close anything twice.
   */
  detachConcurrently(): ConcurrentDetach;
  /** Detaches the program, releasing everything, on this thread. Calling it again does nothing. */
  detach(): void;
}

/** The two moments of a concurrent detach; each rejects with the first failure of its part. */
export interface ConcurrentDetach {
  readonly stopped: Promise<void>;
  readonly detached: Promise<void>;
}

/** What attaching needs of a loaded program (a `Program` from program.ts fits). */
export interface ProgramRef {
  readonly fd: number;
}

/**
 * A link held by file descriptors (perf events, BPF links) plus undo steps for state that outlives
 * them (tracefs probe entries). Registered with the cleanup registry until detached, so the process
 * cannot end with it attached.
 *
 * The first `stoppedBy` descriptors hold the program on its hook (the BPF links over perf events).
 * Closing a BPF link over a perf event waits for a tasks-trace RCU grace period
 * (perf_event_detach_bpf_prog, ~25 ms here), and closing the perf event under it for two more
 * (tracepoint_synchronize_unregister, ~45 ms) under the kernel's event_mutex. Concurrently, links
 * share the first wait and one link's second overlaps another's first: 3 tracepoints detach in
 * ~125 ms instead of ~220, and their programs are off their hooks after the first ~30 ms.
 */
export class FdLink implements Link {
  private detached = false;
  private undone = false;
  private concurrent: ConcurrentDetach | undefined;
  private readonly resource: Resource;
  /** Descriptors nobody has started to close, in closing order. */
  private readonly open: number[];

  constructor(
    private readonly sys: Sys,
    readonly kind: LinkKind,
    readonly description: string,
    fds: readonly number[],
    private readonly undo: readonly (() => void)[] = [],
    private readonly stoppedBy = fds.length,
  ) {
    this.open = [...fds];
    this.resource = { description, release: () => this.detach() };
    register(this.resource);
  }

  detachConcurrently(): ConcurrentDetach {
    this.concurrent ??= this.startDetach();
    return this.concurrent;
  }

  private startDetach(): ConcurrentDetach {
    const holders = this.open.splice(0, this.stoppedBy > 0 ? this.stoppedBy : this.open.length);
    const stopping = this.closeOnWorkers(holders);
    const detached = stopping.then(async () => {
      const failures = await this.closeOnWorkers(this.open.splice(0));
      failures.push(...this.runUndo());
      this.detached = true;
      unregister(this.resource);
      if (failures.length > 0) this.fail(failures[0]);
    });
    const stopped = stopping.then((failures) => {
      if (failures.length > 0) this.fail(failures[0]);
    });
    return { stopped, detached };
  }

  /** Resolves with the failures, once every descriptor is closed or failed to close. */
  private async closeOnWorkers(fds: readonly number[]): Promise<unknown[]> {
    const results = await Promise.allSettled(fds.map((fd) => this.sys.closeAsync(fd)));
    return results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  }

  /**
   * Closes the descriptors before running the undo steps: the kernel refuses to delete a tracefs
   * probe entry (EBUSY) while a perf event still uses it. Every step runs even if one fails; the
   * first failure is thrown afterwards.
   */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    unregister(this.resource);
    const failures: unknown[] = [];
    for (const fd of this.open.splice(0)) {
      try {
        this.sys.close(fd);
      } catch (error) {
        failures.push(error);
      }
    }
    failures.push(...this.runUndo());
    if (failures.length > 0) this.fail(failures[0]);
  }

  private runUndo(): unknown[] {
    if (this.undone) return [];
    this.undone = true;
    const failures: unknown[] = [];
    for (const step of this.undo) {
      try {
        step();
      } catch (error) {
        failures.push(error);
      }
    }
    return failures;
  }

  private fail(cause: unknown): never {
    throw new Error(`detaching ${this.description} failed: ${messageOf(cause)}`, { cause });
  }
}

/** Closes descriptors opened by an attach that failed half-way; the attach error is what matters. */
export function closeQuietly(sys: Sys, fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      sys.close(fd);
    } catch {
      // The original attach error is more useful than a close failure on the way out.
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
