// Hand-built CompiledScripts for the runtime's kernel tests: what the compiler would produce for small
// scripts, written instruction by instruction so the runtime is tested without the compiler. Programs
// emit records exactly as abi/events.ts lays them out and count refused records in the lost map, as
// generated code does.
import { Assembler, Helper, R0, R1, R2, R3, R4, R10 } from '../../asm/index.js';
import type { Type } from '../../abi/index.js';
import { tupleLayout } from '../../abi/index.js';
import type { CompiledProgram, CompiledScript, FormatSpec, ScriptMap } from '../../compiler/compiled-script.js';
import type { ProbeTarget } from '../../providers/provider.js';
import { MapType, ProgramType } from '../../sys/index.js';

export const EVENTS_MAP: ScriptMap = {
  name: '.events', bpfName: 'events', type: MapType.RINGBUF, keySize: 0, valueSize: 0,
  maxEntries: 64 * 1024, flags: 0, keyType: null, value: null,
};

export const LOST_MAP: ScriptMap = {
  name: '.lost', bpfName: 'lost', type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8,
  maxEntries: 1, flags: 0, keyType: null, value: null,
};

export const BEGIN: ProbeTarget = { provider: 'BEGIN', name: 'BEGIN', detail: {} };
export const END: ProbeTarget = { provider: 'END', name: 'END', detail: {} };

export function tracepoint(category: string, event: string): ProbeTarget {
  return { provider: 'tracepoint', name: `tracepoint:${category}:${event}`, detail: { category, event } };
}

export function formatSpec(format: string, args: readonly Type[]): FormatSpec {
  return { format, args, layout: tupleLayout(args) };
}

/** The bytes of a record payload built from parts: numbers as u64, bigints as u64, strings NUL-padded to `size`. */
export type PayloadPart = { u64: bigint | number } | { s64: bigint | number } | { string: string; size: number };

export function payloadBytes(parts: readonly PayloadPart[]): Uint8Array {
  const chunks = parts.map((part) => {
    if ('string' in part) {
      const bytes = new Uint8Array(part.size);
      bytes.set(new TextEncoder().encode(part.string).subarray(0, part.size - 1));
      return bytes;
    }
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    if ('u64' in part) view.setBigUint64(0, BigInt(part.u64), true);
    else view.setBigInt64(0, BigInt(part.s64), true);
    return bytes;
  });
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Distinguishes the labels of successive records in one program. */
let emitted = 0;

/**
 * Emits one record: header (kind, id) and payload written on the stack, then bpf_ringbuf_output; a
 * refused record adds 1 to this CPU's lost counter. Clobbers R0–R5.
 */
export function emitRecord(b: Assembler, kind: number, id: number, payload: Uint8Array = new Uint8Array()): Assembler {
  const size = 8 + Math.ceil(payload.byteLength / 8) * 8;
  const base = -size;
  const lostKey = base - 8;
  const done = `emitted_${emitted++}`;
  b.st('w', R10, base, kind).st('w', R10, base + 4, id);
  const words = new DataView(new Uint8Array(size - 8).buffer);
  new Uint8Array(words.buffer).set(payload);
  for (let offset = 0; offset < size - 8; offset += 8) {
    b.ldImm64(R1, words.getBigUint64(offset, true)).stx('dw', R10, base + 8 + offset, R1);
  }
  b.ldMap(R1, EVENTS_MAP.bpfName).mov64(R2, R10).add64(R2, base).mov64(R3, size).mov64(R4, 0).call(Helper.ringbuf_output);
  b.jmp('eq', R0, 0, done);
  b.st('w', R10, lostKey, 0).ldMap(R1, LOST_MAP.bpfName).mov64(R2, R10).add64(R2, lostKey).call(Helper.map_lookup_elem);
  b.jmp('eq', R0, 0, done).mov64(R1, 1).atomic('add', 'dw', R0, 0, R1);
  return b.label(done);
}

export function program(name: string, probeIndex: number, targets: readonly ProbeTarget[], body: (b: Assembler) => void): CompiledProgram {
  const b = new Assembler();
  body(b);
  b.mov64(R0, 0).exit();
  const programType = targets[0]?.provider === 'tracepoint' ? ProgramType.TRACEPOINT : ProgramType.RAW_TRACEPOINT;
  return { name, probeIndex, targets, programType, instructions: b.instructions() };
}

export function script(parts: Partial<CompiledScript> & Pick<CompiledScript, 'programs'>): CompiledScript {
  return {
    printfs: [], commands: [], timeFormats: [], printedValues: [], joins: [], unsafe: false,
    eventsMap: EVENTS_MAP.name, lostMap: LOST_MAP.name,
    ...parts,
    maps: [EVENTS_MAP, LOST_MAP, ...(parts.maps ?? [])],
  };
}
