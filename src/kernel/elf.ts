// A reader for 64-bit little-endian ELF files: headers, symbol tables and the GNU build id. It
// serves uprobes (symbol → file offset) and user-space symbolization (address → symbol).
//
// Files are read piecewise (headers, notes and symbol tables, all at open) because probe targets
// can be large binaries such as node (~100 MB) of which only the tables matter.
import { closeSync, openSync, readSync } from 'node:fs';

export class ElfError extends Error {
  override name = 'ElfError';
}

export type ElfFileType = 'rel' | 'exec' | 'dyn' | 'core' | 'other';
export type ElfSymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'ifunc' | 'other';
export type ElfSymbolBinding = 'local' | 'global' | 'weak' | 'unique' | 'other';

export interface ElfHeader {
  type: ElfFileType;
  machine: number;
  entry: bigint;
}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
}

export interface SectionHeader {
  name: string;
  type: number;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  type: ElfSymbolType;
  binding: ElfSymbolBinding;
  table: '.symtab' | '.dynsym';
  /** A non-default symbol version (`name@VER`, not `name@@VER`); name lookups prefer the default. */
  hidden: boolean;
}

export interface SymbolFilter {
  type?: ElfSymbolType;
  /** Glob over the symbol name (`*` and `?`), as in `uprobe:/bin/bash:read*`. */
  pattern?: string;
}

export const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const SHT_GNU_VERSYM = 0x6fffffff;
const SHN_UNDEF = 0;
const SHN_XINDEX = 0xffff;
const NT_GNU_BUILD_ID = 3;
const VERSYM_HIDDEN = 0x8000;

const FILE_TYPES: Record<number, ElfFileType> = { 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' };
const SYMBOL_TYPES: Record<number, ElfSymbolType> = {
  0: 'notype', 1: 'object', 2: 'func', 3: 'section', 4: 'file', 5: 'common', 6: 'tls', 10: 'ifunc',
};
const SYMBOL_BINDINGS: Record<number, ElfSymbolBinding> = { 0: 'local', 1: 'global', 2: 'weak', 10: 'unique' };

/** Reads `length` bytes at `offset`; throws if the source is shorter. */
type ByteSource = (offset: number, length: number) => Buffer;

export class ElfFile {
  readonly header: ElfHeader;
  readonly programHeaders: ProgramHeader[];
  readonly sections: SectionHeader[];
  /** The GNU build id as lowercase hex, from the first note section that carries one. */
  readonly buildId: string | undefined;
  private readonly symbolList: ElfSymbol[];
  private byAddress: ElfSymbol[] | undefined;

  private constructor(
    readonly path: string,
    private readonly read: ByteSource,
  ) {
    const ident = read(0, 64);
    if (ident.readUInt32BE(0) !== 0x7f454c46) throw new ElfError(`${path} is not an ELF file`);
    if (ident[4] !== 2) throw new ElfError(`${path} is a 32-bit ELF file; only ELF64 is supported`);
    if (ident[5] !== 1) throw new ElfError(`${path} is a big-endian ELF file; only little-endian is supported`);
    this.header = {
      type: FILE_TYPES[ident.readUInt16LE(16)] ?? 'other',
      machine: ident.readUInt16LE(18),
      entry: ident.readBigUInt64LE(24),
    };
    this.programHeaders = this.readProgramHeaders(ident);
    this.sections = this.readSections(ident);
    this.buildId = this.readBuildId();
    this.symbolList = this.loadSymbols();
  }

  static open(path: string): ElfFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new ElfError(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return new ElfFile(path, (offset, length) => readExactly(fd, path, offset, length));
    } finally {
      closeSync(fd);
    }
  }

  static fromBuffer(buffer: Buffer, name = '<buffer>'): ElfFile {
    return new ElfFile(name, (offset, length) => {
      if (offset + length > buffer.length) throw new ElfError(`${name} is truncated at offset ${offset}`);
      return buffer.subarray(offset, offset + length);
    });
  }

  /** Position-independent: an executable or shared object loaded at a bias chosen at run time. */
  get isDynamic(): boolean {
    return this.header.type === 'dyn';
  }

  /** Defined symbols from .symtab and .dynsym, each name once (.symtab first, default versions first). */
  symbols(filter: SymbolFilter = {}): ElfSymbol[] {
    const matcher = filter.pattern === undefined ? undefined : globToRegExp(filter.pattern);
    const seen = new Set<string>();
    return this.symbolList.filter((symbol) => {
      if (seen.has(symbol.name)) return false;
      seen.add(symbol.name);
      if (filter.type !== undefined && symbol.type !== filter.type) return false;
      return matcher === undefined || matcher.test(symbol.name);
    });
  }

  findSymbol(name: string): ElfSymbol | undefined {
    return this.symbolList.find((symbol) => symbol.name === name);
  }

  symbol(name: string): ElfSymbol {
    const symbol = this.findSymbol(name);
    if (symbol === undefined) throw new ElfError(`symbol '${name}' not found in ${this.path} (.symtab/.dynsym)`);
    return symbol;
  }

  /** The file offset a uprobe on `name` needs; the same formula holds for PIE and non-PIE files. */
  symbolFileOffset(name: string): bigint {
    const symbol = this.symbol(name);
    const offset = this.vaddrToFileOffset(symbol.value);
    if (offset === undefined) {
      throw new ElfError(`symbol '${name}' in ${this.path} (0x${symbol.value.toString(16)}) is in no loadable segment`);
    }
    return offset;
  }

  vaddrToFileOffset(vaddr: bigint): bigint | undefined {
    const segment = this.programHeaders.find(
      (header) => header.type === PT_LOAD && header.vaddr <= vaddr && vaddr < header.vaddr + header.memsz,
    );
    return segment === undefined ? undefined : vaddr - segment.vaddr + segment.offset;
  }

  fileOffsetToVaddr(offset: bigint): bigint | undefined {
    const segment = this.programHeaders.find(
      (header) => header.type === PT_LOAD && header.offset <= offset && offset < header.offset + header.filesz,
    );
    return segment === undefined ? undefined : offset - segment.offset + segment.vaddr;
  }

  /**
   * The function or object symbol containing `vaddr`. A sized symbol must cover the address;
   * zero-sized ones (assembly labels) claim everything up to the next symbol.
   */
  symbolAt(vaddr: bigint): { symbol: ElfSymbol; offset: bigint } | undefined {
    this.byAddress ??= this.sortByAddress();
    const sorted = this.byAddress;
    let low = 0;
    let high = sorted.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle].value <= vaddr) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return undefined;
    // Among symbols at the same address, the sort put the preferred name first.
    const value = sorted[found].value;
    while (found > 0 && sorted[found - 1].value === value) found--;
    const symbol = sorted[found];
    if (symbol.size > 0n && vaddr >= symbol.value + symbol.size) return undefined;
    return { symbol, offset: vaddr - symbol.value };
  }

  private readProgramHeaders(ident: Buffer): ProgramHeader[] {
    const offset = Number(ident.readBigUInt64LE(32));
    const entrySize = ident.readUInt16LE(54);
    const count = ident.readUInt16LE(56);
    if (count === 0) return [];
    const table = this.read(offset, entrySize * count);
    const headers: ProgramHeader[] = [];
    for (let i = 0; i < count; i++) {
      const at = i * entrySize;
      headers.push({
        type: table.readUInt32LE(at),
        flags: table.readUInt32LE(at + 4),
        offset: table.readBigUInt64LE(at + 8),
        vaddr: table.readBigUInt64LE(at + 16),
        filesz: table.readBigUInt64LE(at + 32),
        memsz: table.readBigUInt64LE(at + 40),
      });
    }
    return headers;
  }

  private readSections(ident: Buffer): SectionHeader[] {
    const offset = Number(ident.readBigUInt64LE(40));
    const entrySize = ident.readUInt16LE(58);
    if (offset === 0) return [];
    // Files with 0xff00 or more sections keep the real count and string-table index in section 0.
    const first = this.read(offset, entrySize);
    let count = ident.readUInt16LE(60);
    if (count === 0) count = Number(first.readBigUInt64LE(32));
    let namesIndex = ident.readUInt16LE(62);
    if (namesIndex === SHN_XINDEX) namesIndex = first.readUInt32LE(40);
    const table = this.read(offset, entrySize * count);
    const raw = Array.from({ length: count }, (_, i) => {
      const at = i * entrySize;
      return {
        nameOffset: table.readUInt32LE(at),
        type: table.readUInt32LE(at + 4),
        addr: table.readBigUInt64LE(at + 16),
        offset: Number(table.readBigUInt64LE(at + 24)),
        size: Number(table.readBigUInt64LE(at + 32)),
        link: table.readUInt32LE(at + 40),
        entsize: Number(table.readBigUInt64LE(at + 56)),
      };
    });
    const names = namesIndex < count ? this.read(raw[namesIndex].offset, raw[namesIndex].size) : Buffer.alloc(0);
    return raw.map(({ nameOffset, ...section }) => ({ name: readCString(names, nameOffset), ...section }));
  }

  private readBuildId(): string | undefined {
    for (const section of this.sections) {
      if (section.type !== SHT_NOTE) continue;
      const id = findBuildIdNote(this.read(section.offset, section.size));
      if (id !== undefined) return id;
    }
    return undefined;
  }

  private loadSymbols(): ElfSymbol[] {
    const fromSymtab = this.sections
      .filter((section) => section.type === SHT_SYMTAB)
      .flatMap((section) => this.readSymbolTable(section, '.symtab', undefined));
    const versions = this.sections.find((section) => section.type === SHT_GNU_VERSYM);
    const fromDynsym = this.sections
      .filter((section) => section.type === SHT_DYNSYM)
      .flatMap((section) => this.readSymbolTable(section, '.dynsym', versions));
    // Stable sort: default versions ahead of hidden ones, so name lookups find `name@@VER`.
    return [...fromSymtab, ...fromDynsym].sort((a, b) => Number(a.hidden) - Number(b.hidden));
  }

  private readSymbolTable(
    section: SectionHeader,
    table: ElfSymbol['table'],
    versions: SectionHeader | undefined,
  ): ElfSymbol[] {
    const strings = this.sections[section.link];
    if (strings === undefined || section.entsize === 0) return [];
    const data = this.read(section.offset, section.size);
    const names = this.read(strings.offset, strings.size);
    const versionData = versions === undefined ? undefined : this.read(versions.offset, versions.size);
    const symbols: ElfSymbol[] = [];
    const count = Math.floor(section.size / section.entsize);
    for (let i = 1; i < count; i++) {
      const at = i * section.entsize;
      const name = readCString(names, data.readUInt32LE(at));
      if (name === '' || data.readUInt16LE(at + 6) === SHN_UNDEF) continue;
      const info = data[at + 4];
      const hidden = versionData !== undefined && 2 * i + 2 <= versionData.length
        && (versionData.readUInt16LE(2 * i) & VERSYM_HIDDEN) !== 0;
      symbols.push({
        name,
        value: data.readBigUInt64LE(at + 8),
        size: data.readBigUInt64LE(at + 16),
        type: SYMBOL_TYPES[info & 0xf] ?? 'other',
        binding: SYMBOL_BINDINGS[info >> 4] ?? 'other',
        table,
        hidden,
      });
    }
    return symbols;
  }

  private sortByAddress(): ElfSymbol[] {
    const rank = (symbol: ElfSymbol): number =>
      (symbol.hidden ? 4 : 0) + (symbol.binding === 'local' ? 2 : 0) + (symbol.binding === 'weak' ? 1 : 0);
    return this.symbolList
      .filter((symbol) => symbol.type === 'func' || symbol.type === 'ifunc' || symbol.type === 'object')
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : rank(a) - rank(b)));
  }
}

/** A RegExp for a bpftrace-style wildcard: `*` matches any run of characters, `?` one character. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function matchesGlob(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

function readExactly(fd: number, path: string, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const count = readSync(fd, buffer, done, length - done, offset + done);
    if (count === 0) throw new ElfError(`${path} is truncated at offset ${offset + done}`);
    done += count;
  }
  return buffer;
}

function readCString(buffer: Buffer, offset: number): string {
  if (offset >= buffer.length) return '';
  const end = buffer.indexOf(0, offset);
  return buffer.toString('latin1', offset, end < 0 ? buffer.length : end);
}

function findBuildIdNote(notes: Buffer): string | undefined {
  const align4 = (n: number): number => (n + 3) & ~3;
  let at = 0;
  while (at + 12 <= notes.length) {
    const nameSize = notes.readUInt32LE(at);
    const descSize = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const nameStart = at + 12;
    const descStart = nameStart + align4(nameSize);
    if (type === NT_GNU_BUILD_ID && notes.toString('latin1', nameStart, nameStart + nameSize) === 'GNU\0') {
      return notes.subarray(descStart, descStart + descSize).toString('hex');
    }
    at = descStart + align4(descSize);
  }
  return undefined;
}
