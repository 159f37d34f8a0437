// The program BTF of a script: programs with callbacks (for loops, len()) load only with BTF that
// describes each of their BPF functions. One blob describes the functions of all of them; it is loaded
// once, before them, and closed once they are loaded, since each program keeps its own reference.
// Scripts without callbacks load no BTF at all.
import { ProgramBtfBuilder } from '../btf/index.js';
import type { CompiledProgram } from '../compiler/compiled-script.js';
import { LoadedBtf, type ProgramFunctions } from '../kernel/index.js';
import type { Sys } from '../sys/index.js';

export class ScriptBtf {
  private constructor(
    private readonly btf: LoadedBtf | undefined,
    private readonly records: ReadonlyMap<CompiledProgram, ProgramFunctions['records']>,
  ) {}

  static load(programs: readonly CompiledProgram[], sys: Sys): ScriptBtf {
    const builder = new ProgramBtfBuilder();
    const records = new Map<CompiledProgram, ProgramFunctions['records']>();
    for (const program of programs) {
      if (program.functions === undefined) continue;
      records.set(program, program.functions.map((f) => ({ insnOffset: f.offset, typeId: builder.func(f.name, f.signature) })));
    }
    return new ScriptBtf(records.size === 0 ? undefined : LoadedBtf.load(builder.build(), sys), records);
  }

  /** What `program` is loaded with; undefined for a program without callbacks. */
  functions(program: CompiledProgram): ProgramFunctions | undefined {
    const records = this.records.get(program);
    if (records === undefined || this.btf === undefined) return undefined;
    return { btfFd: this.btf.fd, records };
  }

  close(): void {
    this.btf?.close();
  }
}
