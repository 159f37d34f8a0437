// Kernel text symbols from /proc/kallsyms, for ksym() and kstack.
//
// The file has ~120k lines, so it is parsed once, on first use, into a sorted BigUint64Array of
// addresses (binary search for lookups) plus parallel name and module arrays. Only text symbols
// (T/t/W/w) are kept: stacks and probe targets are code. Data symbols would not help anyway on
// kernels built without CONFIG_KALLSYMS_ALL, where kallsyms lists none of them.
import { readFileSync } from 'node:fs';

export interface KernelSymbol {
  name: string;
  /** Bytes from the symbol's start to the looked-up address. */
  offset: number;
  /** Loadable module (or "bpf" for JIT-ed programs) that owns the symbol; absent for vmlinux. */
  module?: string;
}

interface SymbolTable {
  addresses: BigUint64Array;
  names: string[];
  modules: (string | undefined)[];
  byName: Map<string, number>;
}

const TEXT_TYPES = new Set(['T', 't', 'W', 'w']);

export class KernelSymbols {
  private table: SymbolTable | undefined;

  private constructor(private readonly readText: () => string) {}

  /** Reads the running kernel's symbols (on first query, not now). */
  static fromProcfs(path = '/proc/kallsyms'): KernelSymbols {
    return new KernelSymbols(() => readFileSync(path, 'latin1'));
  }

  /** Symbols from text in kallsyms format; used by tests and for saved symbol files. */
  static fromText(text: string): KernelSymbols {
    return new KernelSymbols(() => text);
  }

  /** Number of text symbols. */
  get size(): number {
    return this.load().names.length;
  }

  /**
   * The symbol containing `address`: the nearest symbol at or below it. kallsyms has no sizes, so
   * an address past the last symbol of a region still resolves to that symbol.
   */
  lookup(address: bigint): KernelSymbol | undefined {
    const { addresses, names, modules } = this.load();
    let low = 0;
    let high = addresses.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (addresses[middle] <= address) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return undefined;
    // Several names can share one address (aliases such as _text/_stext); report the first
    // one kallsyms lists, which the stable sort placed first.
    while (found > 0 && addresses[found - 1] === addresses[found]) found--;
    const symbol: KernelSymbol = { name: names[found], offset: Number(address - addresses[found]) };
    const module = modules[found];
    if (module !== undefined) symbol.module = module;
    return symbol;
  }

  /** Address of a text symbol; static functions with duplicate names give the first listed. */
  address(name: string): bigint | undefined {
    const table = this.load();
    const index = table.byName.get(name);
    return index === undefined ? undefined : table.addresses[index];
  }

  has(name: string): boolean {
    return this.load().byName.has(name);
  }

  private load(): SymbolTable {
    this.table ??= parseKallsyms(this.readText());
    return this.table;
  }
}

function parseKallsyms(text: string): SymbolTable {
  const rawAddresses: bigint[] = [];
  const rawNames: string[] = [];
  const rawModules: (string | undefined)[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Line layout: "<hex address> <type> <name>[\t[module]]". Searches stay within the line:
    // an unbounded indexOf for the (usually absent) tab would rescan the rest of the file.
    const line = text.slice(start, end);
    const firstSpace = line.indexOf(' ');
    if (firstSpace > 0 && firstSpace + 3 < line.length && TEXT_TYPES.has(line[firstSpace + 1])) {
      const tab = line.indexOf('\t', firstSpace + 3);
      const nameEnd = tab >= 0 ? tab : line.length;
      rawAddresses.push(BigInt('0x' + line.slice(0, firstSpace)));
      rawNames.push(line.slice(firstSpace + 3, nameEnd));
      rawModules.push(tab >= 0 ? parseModule(line.slice(tab + 1)) : undefined);
    }
    start = end + 1;
  }
  const order = sortedOrder(rawAddresses);
  const addresses = new BigUint64Array(order.length);
  const names: string[] = new Array<string>(order.length);
  const modules: (string | undefined)[] = new Array<string | undefined>(order.length);
  const byName = new Map<string, number>();
  for (let i = 0; i < order.length; i++) {
    const from = order[i];
    addresses[i] = rawAddresses[from];
    names[i] = rawNames[from];
    modules[i] = rawModules[from];
  }
  // A second pass in original file order so that duplicate names map to the first one listed.
  const position = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) position[order[i]] = i;
  for (let from = 0; from < rawNames.length; from++) {
    if (!byName.has(rawNames[from])) byName.set(rawNames[from], position[from]);
  }
  return { addresses, names, modules, byName };
}

function parseModule(field: string): string | undefined {
  const trimmed = field.trim();
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : undefined;
}

/** Indices of `values` in ascending, stable order; kallsyms is mostly sorted already. */
function sortedOrder(values: bigint[]): Uint32Array {
  const order = new Uint32Array(values.length);
  let sorted = true;
  for (let i = 0; i < values.length; i++) {
    order[i] = i;
    if (i > 0 && values[i - 1] > values[i]) sorted = false;
  }
  if (sorted) return order;
  return order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : a - b));
}
