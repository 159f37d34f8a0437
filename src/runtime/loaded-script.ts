// A compiled script made live: its maps created and its programs loaded, in that order (programs name
// maps by their symbolic names, which become fds at encoding). Nothing is attached yet. If any step
// fails, everything created so far is closed before the error is thrown.
import { encode } from '../asm/index.js';
import type { CompiledProgram, CompiledScript, ScriptMap } from '../compiler/compiled-script.js';
import { BpfMap, Program, type MapSpec } from '../kernel/index.js';
import type { ProbeTarget } from '../providers/index.js';
import { linuxSys, type AttachType, type MapType, type ProgramType, type Sys } from '../sys/index.js';
import type { AttacherLookup } from './attachment.js';
import { MapCreateError, ProbeLoadError, type ScriptLocation } from './errors.js';
import { ScriptBtf } from './script-btf.js';

export interface LoadOptions {
  readonly sys?: Sys;
  /** The providers, which may reword a load failure they know the reason of (fentry refused by policy). */
  readonly attachers?: AttacherLookup;
  /** Keep every program's verifier log, at the most detailed level (`-d verifier`). */
  readonly verifierLog?: boolean;
  /**
   * Maps made ahead of loading (on worker threads while the script compiled: PremadeMaps), by
   * kernel name. `load` takes them over: it uses each one the script declares alike and
   * closes the others.
   */
  readonly premade?: ReadonlyMap<string, BpfMap>;
}

export interface LoadedProgram {
  readonly compiled: CompiledProgram;
  readonly program: Program;
}

/** How a program is named to the user: its probe, or its first probe and how many share it. */
export function probeLabel(program: CompiledProgram): string {
  const [first] = program.targets;
  if (first === undefined) return `probe ${program.probeIndex + 1}`;
  const others = program.targets.length - 1;
  return others === 0 ? first.name : `${first.name} (and ${others} more ${others === 1 ? 'probe' : 'probes'})`;
}

/**
 * Where the script names a program's `target`, or, without one, every attach point the program
 * serves (from the first to the last). Undefined for a script compiled without its source.
 */
export function probeLocation(script: CompiledScript, program: CompiledProgram, target?: ProbeTarget): ScriptLocation | undefined {
  const { source } = script;
  const spans = program.targetSpans;
  if (source === undefined || spans === undefined || spans.length === 0) return undefined;
  const index = target === undefined ? -1 : program.targets.indexOf(target);
  const chosen = index >= 0 ? [spans[index]] : spans;
  return {
    source,
    span: { start: Math.min(...chosen.map((s) => s.start)), end: Math.max(...chosen.map((s) => s.end)) },
  };
}

export class LoadedScript {
  private closed = false;

  private constructor(
    readonly script: CompiledScript,
    private readonly maps: ReadonlyMap<string, BpfMap>,
    readonly programs: readonly LoadedProgram[],
  ) {}

  static load(script: CompiledScript, options: LoadOptions = {}): LoadedScript {
    const sys = options.sys ?? linuxSys();
    const maps = new Map<string, BpfMap>();
    const programs: LoadedProgram[] = [];
    const premade = new Map(options.premade);
    try {
      for (const spec of script.maps) maps.set(spec.bpfName, takePremade(premade, spec) ?? createMap(spec, sys));
      const btf = ScriptBtf.load(script.programs, sys);
      try {
        for (const compiled of script.programs) {
          programs.push({ compiled, program: loadProgram(compiled, maps, btf, sys, options, probeLocation(script, compiled)) });
        }
      } finally {
        btf.close();
      }
    } catch (error) {
      for (const { program } of programs) program.close();
      for (const map of maps.values()) map.close();
      throw error;
    } finally {
      for (const unused of premade.values()) unused.close();
    }
    return new LoadedScript(script, maps, programs);
  }

  /** The live map of a script map, found by its kernel-side name. */
  map(spec: ScriptMap): BpfMap {
    return this.mapNamed(spec.bpfName);
  }

  mapNamed(bpfName: string): BpfMap {
    const map = this.maps.get(bpfName);
    if (map === undefined) throw new Error(`the compiled script has no map named ${bpfName}`);
    return map;
  }

  /** Programs first, so no program can run against a closed map. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { program } of this.programs) program.close();
    for (const map of this.maps.values()) map.close();
  }
}

/** The kernel map a script map is created as. */
export function mapSpecOf(spec: ScriptMap): MapSpec {
  return {
    name: spec.bpfName,
    type: spec.type as MapType,
    keySize: spec.keySize,
    valueSize: spec.valueSize,
    maxEntries: spec.maxEntries,
    flags: spec.flags,
  };
}

/** The premade map of `spec`'s name, removed from `premade`, when it was made to the same spec. */
function takePremade(premade: Map<string, BpfMap>, spec: ScriptMap): BpfMap | undefined {
  const map = premade.get(spec.bpfName);
  if (map === undefined || spec.initial !== undefined) return undefined;
  const wanted = mapSpecOf(spec);
  const made: MapSpec = { ...map.spec, flags: map.spec.flags ?? 0 };
  if ((Object.keys(wanted) as (keyof MapSpec)[]).some((field) => made[field] !== wanted[field])) return undefined;
  premade.delete(spec.bpfName);
  return map;
}

function createMap(spec: ScriptMap, sys: Sys): BpfMap {
  let map: BpfMap | undefined;
  try {
    map = BpfMap.create(mapSpecOf(spec), sys);
    for (const { key, value } of spec.initial ?? []) map.update(key, value);
    return map;
  } catch (error) {
    map?.close();
    throw error instanceof Error ? new MapCreateError(spec.name, error) : error;
  }
}

function loadProgram(
  compiled: CompiledProgram, maps: ReadonlyMap<string, BpfMap>, btf: ScriptBtf, sys: Sys, options: LoadOptions,
  location: ScriptLocation | undefined,
): Program {
  const { bytes } = encode(compiled.instructions, (name) => {
    const map = maps.get(name);
    if (map === undefined) throw new Error(`program ${compiled.name} refers to map ${name}, which the script does not declare`);
    return map.fd;
  });
  const functions = btf.functions(compiled);
  try {
    return Program.load({
      name: compiled.name,
      type: compiled.programType as ProgramType,
      instructions: bytes,
      license: 'GPL',
      expectedAttachType: compiled.expectedAttachType as AttachType | undefined,
      attachBtfId: compiled.attachBtfId,
      ...(functions === undefined ? {} : { functions }),
    }, { sys, log: options.verifierLog === true, logLevel: options.verifierLog === true ? 2 : 1 });
  } catch (error) {
    const [target] = compiled.targets;
    const explained = target === undefined ? error : options.attachers?.(target.provider)?.explainLoadError?.(target, error) ?? error;
    throw explained instanceof Error ? new ProbeLoadError(probeLabel(compiled), explained, location) : explained;
  }
}
