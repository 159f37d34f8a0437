// What the compiler produces and the runtime consumes: maps to create, programs to load (with the
// targets each attaches to), and the descriptions needed to decode what programs send back.
// Deterministic and free of file descriptors — a blueprint, not live objects.
import type { Instruction } from '../asm/index.js';
import type { Layout, MapValueKind, Type } from '../abi/index.js';
import type { FunctionSignature } from '../btf/index.js';
import type { Diagnostic, Source, Span } from '../lang/index.js';
import type { ProbeTarget } from '../providers/provider.js';

export interface ScriptMap {
  /** `@name` for user maps (`@` alone for the anonymous map); internal maps start with `.`. */
  readonly name: string;
  /** Kernel-side name (at most 15 characters of [A-Za-z0-9_.]) and the symbolic name in instructions. */
  readonly bpfName: string;
  readonly type: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  /** Null for maps without keys; a tuple type for multi-key maps. */
  readonly keyType: Type | null;
  /** Null for internal maps (ring buffer, loss counter, scratch space, stack traces). */
  readonly value: MapValueKind | null;
  /** Entries to write once the map is created, before any program runs: tables programs only read. */
  readonly initial?: readonly MapEntry[];
}

export interface MapEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export interface CompiledProgram {
  /** Kernel program name (at most 15 characters). */
  readonly name: string;
  /** Index of the probe in the script, in source order. */
  readonly probeIndex: number;
  /** The attach targets that share this program (a wildcard may expand to many). */
  readonly targets: readonly ProbeTarget[];
  /**
   * Where the script names each target (its attach point), parallel to `targets`, so a target the
   * kernel refuses can be shown in the script. Absent in programs built without a script.
   */
  readonly targetSpans?: readonly Span[];
  /** Where the program attaches when one attachment serves all its targets; otherwise at each target. */
  readonly hook?: ProbeTarget;
  readonly programType: number;
  readonly expectedAttachType?: number;
  readonly attachBtfId?: number;
  readonly instructions: readonly Instruction[];
  /**
   * Present when the program has callbacks (`for` over a map, len()): its BPF functions in order,
   * its own code first. The kernel loads such a program only with program BTF describing them.
   */
  readonly functions?: readonly ProgramFunction[];
}

/** One BPF function of a program made of several. */
export interface ProgramFunction {
  readonly name: string;
  /** Its first instruction, in 8-byte slots from the program's start (as the kernel counts). */
  readonly offset: number;
  readonly signature: FunctionSignature;
}

/** A printf()/system()/cat() call site: its format string and the argument tuple's layout. */
export interface FormatSpec {
  readonly format: string;
  readonly args: readonly Type[];
  readonly layout: Layout;
}

/**
 * A join() call site. Its JOIN event's payload is a u64 count of strings read, then `count`
 * slots of `size` bytes, each a NUL-terminated string; the line printed is the strings joined
 * with `delimiter`, then a newline.
 */
export interface JoinSpec {
  readonly delimiter: string;
  readonly count: number;
  readonly size: number;
}

export interface CompiledScript {
  /** The script compiled, which programs' `targetSpans` point into; absent when built without one. */
  readonly source?: Source;
  readonly maps: readonly ScriptMap[];
  readonly programs: readonly CompiledProgram[];
  /** Indexed by the `id` of PRINTF events. */
  readonly printfs: readonly FormatSpec[];
  /** Indexed by the `id` of SYSTEM and CAT events. */
  readonly commands: readonly FormatSpec[];
  /** Indexed by the `id` of TIME events: strftime formats. */
  readonly timeFormats: readonly string[];
  /** Indexed by the `id` of PRINT_VALUE events. */
  readonly printedValues: readonly Type[];
  /** Indexed by the `id` of JOIN events. */
  readonly joins: readonly JoinSpec[];
  /** Name of the ring-buffer map and of the per-CPU counter of records it refused. */
  readonly eventsMap: string;
  readonly lostMap: string;
  /** The words programs and the runtime signal each other with (abi CONTROL_WORDS); absent when no program sends records. */
  readonly controlMap?: string;
  /** Needs --unsafe (system, cat, signal). */
  readonly unsafe: boolean;
  /** Problems that did not stop compilation (attach points skipped), for stderr before the run. */
  readonly warnings?: readonly Diagnostic[];
}
