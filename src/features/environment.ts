// What a probe may consult besides the kernel's system calls: files under /proc and /sys, the kernel's
// BTF and a user-space function to place a uprobe on. Gathered behind one interface so unit tests can
// describe any machine (a kernel without kprobes, a process without capabilities) with FakeSys and a
// table of files.
import { loadKernelBtf } from '../btf/index.js';
import { ElfFile } from '../kernel/elf.js';
import { hostFiles, type FileView } from '../kernel/host-files.js';
import { resolveLibraryPath } from '../kernel/library-path.js';
import { linuxSys, type Sys } from '../sys/index.js';

/** A place in an ELF file where a uprobe can sit. */
export interface UprobeTarget {
  readonly path: string;
  readonly offset: bigint;
}

/** What a probe consults: system calls, files (as FileView reads them), the kernel's BTF, a uprobe target. */
export interface ProbeEnvironment extends FileView {
  readonly sys: Sys;
  /**
   * The id of a FUNC or TYPEDEF in the running kernel's BTF. Throws an error whose message says why
   * there is none (no BTF file, or no such type).
   */
  kernelBtfId(name: string, kind: 'func' | 'typedef'): number;
  /** A function entry in a library every process has; throws with a reason when none is found. */
  uprobeTarget(): UprobeTarget;
}

/** The C library's getpid: present in every glibc, and a plain function entry on every architecture. */
const UPROBE_LIBRARY = 'libc.so.6';
const UPROBE_FUNCTION = 'getpid';

class HostEnvironment implements ProbeEnvironment {
  private sysInstance: Sys | undefined;

  // Created on first use: reading /proc for `info` must not need the FFI to load.
  get sys(): Sys {
    this.sysInstance ??= linuxSys();
    return this.sysInstance;
  }

  readText(path: string): string | undefined {
    return hostFiles.readText(path);
  }

  exists(path: string): boolean {
    return hostFiles.exists(path);
  }

  kernelBtfId(name: string, kind: 'func' | 'typedef'): number {
    const type = loadKernelBtf().findType(name, kind);
    if (type === undefined) throw new Error(`the kernel's BTF has no ${kind} named ${name}`);
    return type.id;
  }

  uprobeTarget(): UprobeTarget {
    const path = resolveLibraryPath(UPROBE_LIBRARY);
    return { path, offset: ElfFile.open(path).symbolFileOffset(UPROBE_FUNCTION) };
  }
}

let host: ProbeEnvironment | undefined;

/** The machine this process runs on; one instance, so per-process memoization keys on it. */
export function hostEnvironment(): ProbeEnvironment {
  host ??= new HostEnvironment();
  return host;
}
