// Between Instruction values and the kernel's bytecode: 8 little-endian bytes per slot laid out as
// struct bpf_insn (opcode u8, dst:4|src:4 u8, off s16, imm s32). Encoding is where a program is
// checked as a whole: labels resolve, map names become fds, and every field must fit its width.

import { AsmError } from './asm-error.js';
import { type Instruction, highS32, isWideLoad, lowS32, slots } from './instruction.js';
import { resolveLabels } from './labels.js';
import { LD_IMM64, PseudoLoad } from './opcodes.js';

export const SLOT_BYTES = 8;

/** Supplies the fd of a map the program names; called once per reference. */
export type MapResolver = (name: string) => number;

/** A wide load that refers to a map by name, for loaders that patch or report fds themselves. */
export interface MapRelocation {
  /** Index in the instruction list. */
  readonly index: number;
  /** Slot of the wide load's first half; its imm field holds the fd. */
  readonly slot: number;
  readonly map: string;
}

export interface EncodedProgram {
  readonly bytes: Uint8Array;
  readonly relocations: readonly MapRelocation[];
}

function checkInteger(index: number, field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AsmError(`instruction ${index}: ${field} ${value} does not fit in [${min}, ${max}]`);
  }
}

function checkFields(index: number, insn: Instruction): void {
  checkInteger(index, 'opcode', insn.opcode, 0, 0xff);
  checkInteger(index, 'dst register', insn.dst, 0, 0xf);
  checkInteger(index, 'src register', insn.src, 0, 0xf);
  checkInteger(index, 'off (signed 16-bit)', insn.off, -0x8000, 0x7fff);
  if (!isWideLoad(insn)) {
    checkInteger(index, 'imm (signed 32-bit)', insn.imm, -0x80000000, 0x7fffffff);
    if (insn.mapRef !== undefined) {
      throw new AsmError(`instruction ${index}: only a wide load can refer to map '${insn.mapRef}'`);
    }
  }
}

/** The 64-bit constant of a wide load, with the map's fd in place of a map name when resolvable. */
function wideConstant(index: number, insn: Instruction, resolveMap: MapResolver | undefined): bigint {
  if (insn.imm64 === undefined) throw new AsmError(`instruction ${index}: wide load without imm64`);
  if (insn.mapRef === undefined || resolveMap === undefined) return insn.imm64;
  if (insn.src !== PseudoLoad.MAP_FD && insn.src !== PseudoLoad.MAP_VALUE) {
    throw new AsmError(`instruction ${index}: map '${insn.mapRef}' referenced with pseudo source ${insn.src}`);
  }
  const fd = resolveMap(insn.mapRef);
  checkInteger(index, `fd of map '${insn.mapRef}'`, fd, 0, 0x7fffffff);
  return (BigInt.asUintN(64, insn.imm64) & 0xffffffff_00000000n) | BigInt(fd);
}

function writeSlot(view: DataView, slot: number, opcode: number, dst: number, src: number, off: number, imm: number): void {
  const at = slot * SLOT_BYTES;
  view.setUint8(at, opcode);
  view.setUint8(at + 1, (src << 4) | dst);
  view.setInt16(at + 2, off, true);
  view.setInt32(at + 4, imm, true);
}

/**
 * Encodes a program. Map references are patched with `resolveMap`'s fds; without a resolver their
 * fd fields stay as the instructions hold them (0 from the builder) and only the relocations tell
 * where they are.
 */
export function encode(program: readonly Instruction[], resolveMap?: MapResolver): EncodedProgram {
  const resolved = resolveLabels(program);
  const slotCount = resolved.reduce((n, insn) => n + slots(insn), 0);
  const bytes = new Uint8Array(slotCount * SLOT_BYTES);
  const view = new DataView(bytes.buffer);
  const relocations: MapRelocation[] = [];
  let slot = 0;
  resolved.forEach((insn, index) => {
    checkFields(index, insn);
    if (!isWideLoad(insn)) {
      writeSlot(view, slot, insn.opcode, insn.dst, insn.src, insn.off, insn.imm);
      slot += 1;
      return;
    }
    const constant = wideConstant(index, insn, resolveMap);
    writeSlot(view, slot, insn.opcode, insn.dst, insn.src, insn.off, lowS32(constant));
    writeSlot(view, slot + 1, 0, 0, 0, 0, highS32(constant));
    if (insn.mapRef !== undefined) relocations.push({ index, slot, map: insn.mapRef });
    slot += 2;
  });
  return { bytes, relocations };
}

/** Reads bytecode back into instructions (no labels or map names: those are not in the bytes). */
export function decode(bytes: Uint8Array): Instruction[] {
  if (bytes.length % SLOT_BYTES !== 0) {
    throw new AsmError(`bytecode of ${bytes.length} bytes is not a whole number of 8-byte slots`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const slotCount = bytes.length / SLOT_BYTES;
  const program: Instruction[] = [];
  for (let slot = 0; slot < slotCount; slot += 1) {
    const at = slot * SLOT_BYTES;
    const opcode = view.getUint8(at);
    const regs = view.getUint8(at + 1);
    const insn = { opcode, dst: regs & 0xf, src: regs >> 4, off: view.getInt16(at + 2, true), imm: view.getInt32(at + 4, true) };
    if (opcode !== LD_IMM64) {
      program.push(insn);
      continue;
    }
    if (slot + 1 >= slotCount || view.getUint8(at + SLOT_BYTES) !== 0) {
      throw new AsmError(`wide load at slot ${slot} is missing its second slot`);
    }
    const high = view.getUint32(at + SLOT_BYTES + 4, true);
    const low = view.getUint32(at + 4, true);
    program.push({ ...insn, imm64: (BigInt(high) << 32n) | BigInt(low) });
    slot += 1;
  }
  return program;
}
