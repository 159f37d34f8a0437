// Loads a CompiledScript into the kernel for the compiler's kernel tests: creates its maps, loads
// every program (so the verifier judges the generated code), runs raw-tracepoint programs such as
// BEGIN with BPF_PROG_TEST_RUN, and reads back ring-buffer records and map entries.
import { encode } from '../../asm/index.js';
import { EVENT_HEADER_SIZE, readEventHeader } from '../../abi/index.js';
import { BpfMap, Program, RingBufferReader } from '../../kernel/index.js';
import { ScriptBtf } from '../../runtime/script-btf.js';
import { type AttachType, type MapType, type ProgramType, linuxSys, progTestRunRawTracepoint } from '../../sys/index.js';
import type { CompiledScript } from '../compiled-script.js';

export interface EventRecord {
  readonly kind: number;
  readonly id: number;
  readonly payload: Uint8Array;
}

export class LoadedForTest {
  private readonly maps = new Map<string, BpfMap>();
  private readonly programs: Program[] = [];
  private readonly reader: RingBufferReader;

  constructor(readonly script: CompiledScript) {
    try {
      for (const spec of script.maps) {
        this.maps.set(spec.bpfName, BpfMap.create({ name: spec.bpfName, type: spec.type as MapType, keySize: spec.keySize,
          valueSize: spec.valueSize, maxEntries: spec.maxEntries, flags: spec.flags }));
      }
      const btf = ScriptBtf.load(script.programs, linuxSys());
      try {
        for (const program of script.programs) {
          const { bytes } = encode(program.instructions, (name) => this.map(name).fd);
          const functions = btf.functions(program);
          this.programs.push(Program.load({ name: program.name, type: program.programType as ProgramType, instructions: bytes,
            license: 'GPL', expectedAttachType: program.expectedAttachType as AttachType | undefined, ...(functions ? { functions } : {}) }));
        }
      } finally {
        btf.close();
      }
      const events = script.maps.find((m) => m.name === script.eventsMap);
      if (events === undefined) throw new Error('no events map');
      this.reader = new RingBufferReader(this.map(events.bpfName).fd, events.maxEntries);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  map(bpfName: string): BpfMap {
    const map = this.maps.get(bpfName);
    if (map === undefined) throw new Error(`no map ${bpfName}`);
    return map;
  }

  /** The live map of a user map such as `@x`. */
  userMap(name: string): BpfMap {
    const spec = this.script.maps.find((m) => m.name === name);
    if (spec === undefined) throw new Error(`no map ${name}`);
    return this.map(spec.bpfName);
  }

  /** Runs program `index` (a RAW_TRACEPOINT program) once with zeroed arguments. */
  run(index: number): void {
    progTestRunRawTracepoint(linuxSys(), this.programs[index].fd, new BigUint64Array(6));
  }

  events(): EventRecord[] {
    const records: EventRecord[] = [];
    this.reader.drain((record) => {
      const { kind, id } = readEventHeader(record);
      records.push({ kind, id, payload: record.slice(EVENT_HEADER_SIZE) });
    });
    return records;
  }

  close(): void {
    this.reader?.close();
    for (const program of this.programs) program.close();
    for (const map of this.maps.values()) map.close();
  }
}
