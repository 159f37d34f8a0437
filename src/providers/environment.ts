// What the providers read from the machine: tracefs, the kernel's BTF, kallsyms, ELF files and the
// system call layer. Each source is a function called on first need, so expanding a BEGIN probe
// touches none of them, and unit tests replace any of them with fixtures.
import { readFileSync } from 'node:fs';
import { loadKernelBtf, type Btf } from '../btf/index.js';
import { bootFact } from '../kernel/boot-cache.js';
import { ElfFile } from '../kernel/elf.js';
import { ensureTracefs, type Tracefs } from '../kernel/tracefs.js';
import { linuxSys, type Sys } from '../sys/index.js';

export interface ProviderEnvironment {
  /** The mounted tracefs; default: mount it at /sys/kernel/tracing first when it is not mounted. */
  readonly tracefs: () => Tracefs;
  /** The running kernel's BTF (/sys/kernel/btf/vmlinux). */
  readonly btf: () => Btf;
  /** The text of /proc/kallsyms. */
  readonly kallsyms: () => string;
  /** An ELF file by path, parsed once per path. */
  readonly elf: (path: string) => ElfFile;
  /** The system call layer links are made through. */
  readonly sys: () => Sys;
  /**
   * A fact derived from the sources above, worked out by `compute` once per boot of the kernel and
   * kept on disk (kernel/boot-cache.ts); computed afresh when the kernel's BTF or tracefs is replaced.
   */
  readonly bootFact: <T>(name: string, compute: () => T, valid: (value: unknown) => value is T) => T;
}

/** The running machine, with any source replaced by `overrides`. */
export function providerEnvironment(overrides: Partial<ProviderEnvironment> = {}): ProviderEnvironment {
  const sys = overrides.sys ?? once(linuxSys);
  return {
    // Tracepoint ids live only in tracefs, and some kernels boot without it mounted; as root bpfscope
    // mounts it itself, the way perf does.
    tracefs: overrides.tracefs ?? once(() => ensureTracefs((source, target, fstype) => sys().mount(source, target, fstype))),
    btf: overrides.btf ?? (() => loadKernelBtf()),
    kallsyms: overrides.kallsyms ?? once(() => readFileSync('/proc/kallsyms', 'latin1')),
    elf: overrides.elf ?? cachedElf(),
    sys,
    // A fixture's BTF or tracefs must not leave facts behind that a real run would trust.
    bootFact: overrides.bootFact ?? (overrides.btf === undefined && overrides.tracefs === undefined ? bootFact : (_name, compute) => compute()),
  };
}

function once<T>(make: () => T): () => T {
  let value: { made: T } | undefined;
  return () => {
    value ??= { made: make() };
    return value.made;
  };
}

function cachedElf(): (path: string) => ElfFile {
  const files = new Map<string, ElfFile>();
  return (path) => {
    let file = files.get(path);
    if (file === undefined) {
      file = ElfFile.open(path);
      files.set(path, file);
    }
    return file;
  };
}
