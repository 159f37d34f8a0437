// uprobe and uretprobe: user-space functions of a binary or library (`uprobe:/bin/bash:readline`,
// `uprobe:libc:malloc`, `uprobe:/path:func+0x10`, `uretprobe:libc:malloc`), for every process that
// maps the file or, with -p, one process. Targets are file offsets found from the ELF symbols.
import type { AttachPoint } from '../lang/index.js';
import type { ElfFile, ElfSymbol } from '../kernel/elf.js';
import { LibraryNotFoundError, resolveLibraryPath } from '../kernel/library-path.js';
import { attachUprobe } from '../kernel/links/uprobe-link.js';
import type { Link } from '../kernel/links/link.js';
import { ProgramType } from '../sys/index.js';
import { compareText, detailBigint, detailString, hasWildcard, parseInteger, target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import { registerContext } from './registers.js';
import { conventionalPath, processExecutable } from './user-binary.js';
import {
  ProbeError, type AttachOptions, type AttachingProvider, type ContextModel, type ExpandOptions, type ListedProbe,
  type ListOptions, type ProbeTarget, type ProgramKind,
} from './provider.js';

export type UprobeKind = 'uprobe' | 'uretprobe';

/** The binary as the script names it, the file it resolves to, and its spelling in probe names. */
interface Binary {
  readonly path: string;
  readonly shown: string;
  readonly elf: ElfFile;
}

export class UprobeProvider implements AttachingProvider {
  readonly aliases: readonly string[];
  readonly listing: 'userspace' | 'none';
  private readonly retprobe: boolean;

  constructor(
    private readonly env: ProviderEnvironment,
    readonly name: UprobeKind,
  ) {
    this.retprobe = name === 'uretprobe';
    this.aliases = [this.retprobe ? 'ur' : 'u'];
    // As in bpftrace, `-l` lists uprobe:… lines only; every one of them is a uretprobe too.
    this.listing = this.retprobe ? 'none' : 'userspace';
  }

  expand(point: AttachPoint, options: ExpandOptions): ProbeTarget[] {
    const [binaryName, place] = this.splitParts(point, options.pid);
    const binary = this.openBinary(point.raw, binaryName, options.pid);
    if (hasWildcard(place)) {
      // Symbols outside loadable segments (absolute or debug-only ones) are no place for a probe.
      const symbols = binary.elf.symbols({ type: 'func', pattern: place })
        .filter((symbol) => binary.elf.vaddrToFileOffset(symbol.value) !== undefined)
        .sort((a, b) => compareText(a.name, b.name));
      if (symbols.length === 0) throw this.noFunction(place, binary);
      return symbols.map((symbol) => this.symbolTarget(point, binary, symbol, 0n));
    }
    const address = parseInteger(place);
    if (address !== undefined) return [this.addressTarget(point, binary, address)];
    const [name, offsetText] = place.split('+');
    const offset = offsetText === undefined ? 0n : parseInteger(offsetText);
    if (offset === undefined || place.split('+').length > 2) {
      throw new ProbeError(`${point.raw}: invalid function offset in '${place}'`, 'write it as FUNCTION+OFFSET, e.g. readline+0x10');
    }
    if (offset !== 0n && this.retprobe) {
      throw new ProbeError(`${point.raw}: a uretprobe cannot take an offset`, `attach to the function itself: ${name}`);
    }
    const symbol = binary.elf.findSymbol(name);
    if (symbol === undefined) throw this.noFunction(name, binary);
    return [this.symbolTarget(point, binary, symbol, offset)];
  }

  programKind(): ProgramKind {
    return { programType: ProgramType.KPROBE };
  }

  context(): ContextModel {
    return registerContext({ retprobe: this.retprobe, userSpace: true });
  }

  /** Every uprobe program sees the same pt_regs. */
  shareKey(): string {
    return this.name;
  }

  attach(programFd: number, probe: ProbeTarget, options: AttachOptions): Link {
    return attachUprobe(
      this.env.sys(), { fd: programFd },
      { path: detailString(probe, 'path'), fileOffset: detailBigint(probe, 'fileOffset') },
      { retprobe: this.retprobe, pid: options.pid },
    );
  }

  /** `-l 'uprobe:/bin/bash:read*'`: the function symbols of one binary (of the -p process without one). */
  list(parts: readonly string[], options: ListOptions): ListedProbe[] {
    const withPid = options.pid !== undefined && parts.length === 1;
    if (parts.length < 2 && !withPid) return [];
    const binaryName = withPid ? processExecutable(options.pid as number) : parts[0];
    if (hasWildcard(binaryName)) return [];
    const pattern = (withPid ? parts[0] : parts[1]) || '*';
    const binary = this.openBinary(`${this.name}:${parts.join(':')}`, binaryName, options.pid);
    return binary.elf.symbols({ type: 'func', pattern })
      .map((symbol) => `${this.name}:${binary.shown}:${symbol.name}`)
      .sort()
      .map((name) => ({ name }));
  }

  /** `BINARY:FUNCTION`; with -p the binary may be left out and is the process's executable. */
  private splitParts(point: AttachPoint, pid: number | undefined): [string, string] {
    if (point.parts.length === 1 && pid !== undefined) return [processExecutable(pid), point.parts[0]];
    if (point.parts.length === 3) {
      throw new ProbeError(`${point.raw}: uprobes with a language part (${point.parts[1]}) are not supported`, `write it as ${this.name}:BINARY:FUNCTION`);
    }
    if (point.parts.length !== 2) {
      throw new ProbeError(
        `${point.raw}: a ${this.name} takes a binary and a function`,
        `write it as ${this.name}:BINARY:FUNCTION (the binary may be left out with -p PID)`,
      );
    }
    const [binary, place] = point.parts;
    if (binary === '' || place === '') throw new ProbeError(`${point.raw}: empty binary or function`, `write it as ${this.name}:BINARY:FUNCTION`);
    return [binary, place];
  }

  /** `raw` is the attach point or pattern, for messages. */
  private openBinary(raw: string, name: string, pid: number | undefined): Binary {
    if (hasWildcard(name)) {
      throw new ProbeError(`${raw}: wildcards in the binary's path are not supported`, 'name one binary or library');
    }
    let path: string;
    try {
      path = resolveLibraryPath(name, { pid });
    } catch (error) {
      if (!(error instanceof LibraryNotFoundError)) throw error;
      throw new ProbeError(`no uprobe target: cannot find '${name}'`, `looked in ${error.searched.join(', ')}`);
    }
    let elf: ElfFile;
    try {
      elf = this.env.elf(path);
    } catch (error) {
      throw new ProbeError(`no uprobe target: ${(error as Error).message}`, 'a uprobe needs an ELF executable or shared library');
    }
    // bpftrace prints a path as the script wrote it, and a bare library name as the linker knows it.
    return { path, shown: name.includes('/') ? name : conventionalPath(path), elf };
  }

  private symbolTarget(point: AttachPoint, binary: Binary, symbol: ElfSymbol, offset: bigint): ProbeTarget {
    const name = symbol.name;
    if (symbol.size > 0n && offset >= symbol.size) {
      throw new ProbeError(`${point.raw}: offset ${offset} is outside ${name}, which is ${symbol.size} bytes long`);
    }
    const start = binary.elf.vaddrToFileOffset(symbol.value);
    if (start === undefined) throw new ProbeError(`no uprobe target: '${name}' in ${binary.path} is in no loadable segment`);
    const shown = offset === 0n ? name : `${name}+${offset}`;
    return target(this.name, `${this.name}:${binary.shown}:${shown}`, { path: binary.path, symbol: name, fileOffset: start + offset });
  }

  private addressTarget(point: AttachPoint, binary: Binary, address: bigint): ProbeTarget {
    const fileOffset = binary.elf.vaddrToFileOffset(address);
    if (fileOffset === undefined) {
      throw new ProbeError(`${point.raw}: address 0x${address.toString(16)} is in no loadable segment of ${binary.path}`);
    }
    return target(this.name, `${this.name}:${binary.shown}:${address}`, { path: binary.path, fileOffset });
  }

  private noFunction(name: string, binary: Binary): ProbeError {
    return new ProbeError(
      `no ${this.name} target: function '${name}' not found in ${binary.path}`,
      `list its functions with: bpfscope -l '${this.name}:${binary.shown}:*'`,
      true,
    );
  }
}
