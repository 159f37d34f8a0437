// compiler: semantic analysis and code generation, from a parsed `Program` to a `CompiledScript`
// (maps, BPF programs, and the tables that decode their ring-buffer events). Pure and unprivileged:
// providers and BTF come in through `CompileOptions`. May import lang, asm, abi, btf (types), the
// provider contract and the UAPI constants of sys/bpf-constants.ts; must not import kernel, runtime
// or the FFI-backed parts of sys.
//
// The passes, in order:
//   1. preamble.ts         — structs, #define and enum constants from the C preamble
//   2. probe-expansion.ts  — attach points → targets through the providers, grouped into programs
//   3. checker.ts          — names, types, map shapes; it dispatches to the *-checker.ts files
//                            (statements and variables, operators, identifiers, maps, written types,
//                            calls, addresses) and member-access.ts
//   4. program-emitter.ts  — one BPF program per group (with the *-emitter.ts files)
//   5. script-builder.ts   — maps and event tables gathered into the CompiledScript
import { type Diagnostic, type Program, CompileError } from '../lang/index.js';
import type { ProbeTarget } from '../providers/provider.js';
import { Checker } from './checker.js';
import type { CompileOptions } from './compile-options.js';
import type { CompiledProgram, CompiledScript } from './compiled-script.js';
import { MapTable } from './map-table.js';
import { readPreamble, evaluateConstant } from './preamble.js';
import { expandProbes } from './probe-expansion.js';
import { emitProgram } from './program-emitter.js';
import { ScriptBuilder } from './script-builder.js';
import { TypeUniverse } from './type-universe.js';

export type { BtfTypes, CompileOptions, KernelSymbolTable, ProviderRegistry, UserSymbolTable } from './compile-options.js';
export type * from './compiled-script.js';
export { dumpScript, type DumpKind } from './dump.js';
export { EVENTS_RING } from './script-builder.js';

/** Compiles a parsed program. Throws CompileError with every problem found, each located. */
export function compile(program: Program, options: CompileOptions): CompiledScript {
  const diagnostics: Diagnostic[] = [];
  const fail = (): never => {
    throw new CompileError(options.source, diagnostics);
  };
  const preamble = readPreamble(program, options.macros);
  const universe = new TypeUniverse(options.btf, preamble.records, (expr) => evaluateConstant(expr, preamble.macros));
  const warnings: Diagnostic[] = [];
  const groups = expandProbes(program, options, diagnostics, warnings);
  if (diagnostics.length > 0) fail();

  const maps = new MapTable();
  const checker = new Checker(options, universe, maps, preamble.macros);
  const analyses = checker.run(groups);
  diagnostics.push(...checker.diagnostics);
  warnings.push(...checker.warnings);
  if (diagnostics.length > 0) fail();

  const script = new ScriptBuilder(maps);
  options.onMaps?.([...script.maps]);
  const eventsMap = script.eventsMap();
  const lostMap = script.internal('lost');
  const programs: CompiledProgram[] = analyses.map((analysis) => {
    const { instructions, callbacks } = emitProgram(analysis, script, universe, diagnostics);
    const { group } = analysis;
    const name = programName(group.targets[0]);
    return {
      name,
      probeIndex: group.probeIndex,
      targets: group.targets,
      targetSpans: group.targetSpans,
      ...(group.dispatch === undefined ? {} : { hook: group.dispatch.hook }),
      programType: group.kind.programType,
      ...(group.kind.expectedAttachType === undefined ? {} : { expectedAttachType: group.kind.expectedAttachType }),
      ...(group.kind.attachBtfId === undefined ? {} : { attachBtfId: group.kind.attachBtfId }),
      instructions,
      ...(callbacks === undefined ? {} : { functions: [{ name, offset: 0, signature: 'program' as const }, ...callbacks] }),
    };
  });
  if (diagnostics.length > 0) fail();

  return {
    source: options.source,
    maps: script.maps,
    programs,
    printfs: script.printfs,
    commands: script.commands,
    timeFormats: script.timeFormats,
    printedValues: script.printedValues,
    joins: script.joins,
    eventsMap: script.maps.find((m) => m.bpfName === eventsMap)?.name ?? eventsMap,
    lostMap: script.maps.find((m) => m.bpfName === lostMap)?.name ?? lostMap,
    ...controlMap(script),
    unsafe: checker.unsafeUsed,
    warnings,
  };
}

/** The control map, when the programs made one (it is created with their first record). */
function controlMap(script: ScriptBuilder): { controlMap?: string } {
  const control = script.maps.find((m) => m.name === '.control');
  return control === undefined ? {} : { controlMap: control.name };
}

/** A kernel program name (15 characters of [A-Za-z0-9_]) that says which probe it serves. */
function programName(target: ProbeTarget): string {
  const last = target.name.split(':').filter((part) => part !== '').pop() ?? target.provider;
  const short = target.provider === last ? last : `${target.provider.slice(0, 2)}_${last}`;
  return short.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 15);
}
