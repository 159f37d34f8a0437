// What the compiler needs from the outside world, passed in rather than looked up so that compiling
// stays pure and unprivileged: the probe providers, the positional parameters, the kernel's BTF when
// there is one, symbol and cgroup lookups, and facts about the session (-c's pid, the CPU count,
// --unsafe).
import type { Btf } from '../btf/index.js';
import type { Source } from '../lang/index.js';
import type { ProbeProvider } from '../providers/provider.js';
import type { ScriptMap } from './compiled-script.js';

/** Finds the provider for a probe's provider word (canonical name or alias, e.g. `t`, `BEGIN`). */
export type ProviderRegistry = (name: string) => ProbeProvider | undefined;

/**
 * The slice of `Btf` the compiler uses. Unit tests pass a `Btf` built from a small blob; the CLI
 * passes the kernel's; without one, struct member access works only through preamble structs.
 */
export type BtfTypes = Pick<
  Btf,
  'type' | 'findType' | 'resolve' | 'sizeOf' | 'members' | 'typeName' | 'isSigned' | 'arrayInfo'
> & {
  /** Needed to find enumerators by name (`TCP_FIN_WAIT1`); without it only the preamble's enums are known. */
  readonly typeCount?: number;
};

/** Symbol addresses for kaddr() and uaddr(); `KernelSymbols` and an ELF reader fit these shapes. */
export interface KernelSymbolTable {
  address(name: string): bigint | undefined;
}

export interface UserSymbolTable {
  /** The symbol's address and size in the binary at `path`, as its symbol table gives them. */
  symbol(path: string, name: string): { readonly address: bigint; readonly size: bigint } | undefined;
}

/** cgroupid("path"): the cgroup v2 id of a path, or why it has none (`does not exist`). */
export type CgroupIdTable = (path: string) => { readonly id: bigint } | { readonly problem: string };

export interface CompileOptions {
  readonly source: Source;
  readonly providers: ProviderRegistry;
  /** `$1`…`$N` as given on the command line; `$#` is their count. */
  readonly params?: readonly string[];
  readonly btf?: BtfTypes;
  /** -p PID: scopes uprobes through the providers. */
  readonly pid?: number;
  /** -c CMD: the child's pid, the value of `cpid`. */
  readonly cpid?: number;
  /**
   * The value of `ncpus`, the possible-CPU count as bpftrace gives it; asked for only when a script uses
   * `ncpus`, which is an error without it.
   */
  readonly ncpus?: () => number;
  /** --unsafe: allows system(), cat() and signal(). */
  readonly unsafe?: boolean;
  /** Numeric object-like macros of the headers the script includes (`O_CREAT`, `INT_MAX`). */
  readonly macros?: ReadonlyMap<string, bigint>;
  /** kaddr("sym"): without it kaddr() is an error. */
  readonly kernelSymbols?: KernelSymbolTable;
  /** uaddr("sym") in uprobes: without it uaddr() is an error. */
  readonly userSymbols?: UserSymbolTable;
  /** cgroupid("path"): without it cgroupid() is an error. */
  readonly cgroupIds?: CgroupIdTable;
  /**
   * Told the script's own maps (`@name`) once they are known, before code generation, so a caller
   * may start creating them meanwhile (runtime PremadeMaps).
   */
  readonly onMaps?: (maps: readonly ScriptMap[]) => void;
}
