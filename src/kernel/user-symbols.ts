// User-space address → symbol, for usym() and ustack.
//
// A run-time address becomes a file offset through the process's mappings (address − map start +
// map file offset), then an ELF virtual address through the PT_LOAD segment holding that offset,
// which removes the load bias of PIE executables and shared libraries (and is the identity for
// non-PIE ones). Parsed ELF files are cached per (device, inode), so one library shared by many
// processes is read once.
import { ElfFile } from './elf.js';
import { addressToFileLocation, findMapping, readProcessMaps, type MemoryMapping } from './proc-maps.js';

export interface UserSymbol {
  name: string;
  /** Bytes from the symbol's start to the address. */
  offset: number;
  /** The file the symbol came from, as the process mapped it. */
  path: string;
}

export interface UserSymbolizerOptions {
  readMaps?: (pid: number) => MemoryMapping[];
  openElf?: (pid: number, mapping: MemoryMapping) => ElfFile;
}

export interface FormatOptions {
  /** Append "+offset" as ustack does; usym() prints the bare name. */
  offset: boolean;
  /** Append " (path)" of the file, or " ([unknown])", as ustack(perf) does. */
  module?: boolean;
}

/**
 * Opens the file through the process's own view: /proc/PID/root reaches files inside containers,
 * and map_files/ still reaches a mapped file that was deleted or replaced on disk.
 */
function openMappedFile(pid: number, mapping: MemoryMapping): ElfFile {
  if (mapping.deleted) {
    return ElfFile.open(`/proc/${pid}/map_files/${mapping.start.toString(16)}-${mapping.end.toString(16)}`);
  }
  return ElfFile.open(`/proc/${pid}/root${mapping.path}`);
}

export class UserSymbolizer {
  private readonly readMaps: (pid: number) => MemoryMapping[];
  private readonly openElf: (pid: number, mapping: MemoryMapping) => ElfFile;
  private readonly mapsByPid = new Map<number, MemoryMapping[]>();
  // null records a mapped file that is not a readable ELF (locale archives, fonts, ...).
  private readonly elfByFile = new Map<string, ElfFile | null>();

  constructor(options: UserSymbolizerOptions = {}) {
    this.readMaps = options.readMaps ?? readProcessMaps;
    this.openElf = options.openElf ?? openMappedFile;
  }

  resolve(pid: number, address: bigint): UserSymbol | undefined {
    let maps = this.maps(pid, false);
    // An address outside every mapping may belong to a library loaded (dlopen) after the maps
    // were cached; one inside anonymous memory (JIT code, say) never resolves, so no re-read.
    if (findMapping(maps, address) === undefined) maps = this.maps(pid, true);
    const location = addressToFileLocation(maps, address);
    if (location === undefined) return undefined;
    const elf = this.elf(pid, location.mapping);
    if (elf === null) return undefined;
    const vaddr = elf.fileOffsetToVaddr(location.fileOffset);
    if (vaddr === undefined) return undefined;
    const hit = elf.symbolAt(vaddr);
    if (hit === undefined) return undefined;
    return { name: hit.symbol.name, offset: Number(hit.offset), path: location.path };
  }

  /** "name", "name+offset", or the address in hex when it resolves to no symbol; then the module if asked. */
  format(pid: number, address: bigint, options: FormatOptions): string {
    const symbol = this.resolve(pid, address);
    const module = options.module === true ? ` (${symbol?.path ?? '[unknown]'})` : '';
    if (symbol === undefined) return `0x${address.toString(16)}${module}`;
    return `${options.offset ? `${symbol.name}+${symbol.offset}` : symbol.name}${module}`;
  }

  /** Drops the cached mappings of a process, e.g. once it exited or exec'ed. */
  forget(pid: number): void {
    this.mapsByPid.delete(pid);
  }

  private maps(pid: number, refresh: boolean): MemoryMapping[] {
    const cached = this.mapsByPid.get(pid);
    if (cached !== undefined && !refresh) return cached;
    let fresh: MemoryMapping[];
    try {
      fresh = this.readMaps(pid);
    } catch {
      // The process has exited: stack addresses captured before that still resolve from the
      // last maps we saw, if any.
      return cached ?? [];
    }
    this.mapsByPid.set(pid, fresh);
    return fresh;
  }

  private elf(pid: number, mapping: MemoryMapping): ElfFile | null {
    const key = `${mapping.dev}:${mapping.inode}`;
    let elf = this.elfByFile.get(key);
    if (elf === undefined) {
      try {
        elf = this.openElf(pid, mapping);
      } catch {
        elf = null;
      }
      this.elfByFile.set(key, elf);
    }
    return elf;
  }
}
