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
  /** Detaches the program. Calling it again does nothing. */
  detach(): void;
}

/** What attaching needs of a loaded program (a `Program` from program.ts fits). */
export interface ProgramRef {
  readonly fd: number;
}

/**
 * A link held by file descriptors (perf events, BPF links) plus undo steps for state that outlives
 * them (tracefs probe entries). Registered with the cleanup registry until detached, so the process
 * cannot end with it attached.
 */
export class FdLink implements Link {
  private detached = false;
  private readonly resource: Resource;

  constructor(
    private readonly sys: Sys,
    readonly kind: LinkKind,
    readonly description: string,
    private readonly fds: readonly number[],
    private readonly undo: readonly (() => void)[] = [],
  ) {
    this.resource = { description, release: () => this.detach() };
    register(this.resource);
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
    for (const fd of this.fds) {
      try {
        this.sys.close(fd);
      } catch (error) {
        failures.push(error);
      }
    }
    for (const step of this.undo) {
      try {
        step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) {
      throw new Error(`detaching ${this.description} failed: ${messageOf(failures[0])}`, { cause: failures[0] });
    }
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
