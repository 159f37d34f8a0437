// The places frame.ts hands out, as emitted code reaches and fills them. A place is addressed from a
// base register: R10 for the stack; SCRATCH_BASE for the per-CPU scratch area, once `lookupScratch`
// has put its address there; and in a callback, PROGRAM_FRAME for the program's frame, the callback's
// caller's R10 (callback-emitter.ts). Every other emitter builds on these stores and copies.
//
// Stores respect natural alignment (the verifier rejects misaligned stack access), so a string that
// starts at an odd offset inside a tuple is written in smaller pieces.
import { type Assembler, type Register, Helper, R0, R1, R2, R8, R9, R10 } from '../asm/index.js';
import { sizeOf } from '../abi/index.js';
import type { Place } from './frame.js';
import type { ProgramEmitter } from './program-emitter.js';
import { type ValueType, toAbi } from './value-types.js';

/** Holds the scratch area's address in programs that have one; callee-saved, so helpers keep it. */
export const SCRATCH_BASE = R9;
/** In a callback: the address of the program's frame (R10 there), which the callback is called with. */
export const PROGRAM_FRAME = R8;

/** A slot of the program's frame as a callback reaches it. */
export function throughProgramFrame(place: Place): Place {
  return place.base === R10 ? { base: PROGRAM_FRAME, offset: place.offset } : place;
}

/**
 * SCRATCH_BASE = the scratch area, looked up with a zero key written at `key` (an R10 slot). A per-CPU
 * array's only entry always exists; the jump to `fail` on NULL is for the verifier.
 */
export function lookupScratch(asm: Assembler, map: string, key: Place, fail: string): void {
  asm.st('w', R10, key.offset, 0).ldMap(R1, map).mov64(R2, R10).add64(R2, key.offset)
    .call(Helper.map_lookup_elem).jmp('eq', R0, 0, fail).mov64(SCRATCH_BASE, R0);
}

/** Bytes a value of this type occupies in memory. */
export function valueSize(type: ValueType): number {
  return Math.max(1, sizeOf(toAbi(type)));
}

/** reg = address of the place */
export function placeAddress(e: ProgramEmitter, reg: Register, place: Place): void {
  e.asm.mov64(reg, place.base);
  if (place.offset !== 0) e.asm.add64(reg, place.offset);
}

/** The width of a load or store, in bytes, and its name in the assembler. */
export type Width = 1 | 2 | 4 | 8;
export const WIDTH_NAME = { 1: 'b', 2: 'h', 4: 'w', 8: 'dw' } as const;

/** The widest naturally aligned access at `offset` that fits in `remaining` bytes. */
function widthAt(offset: number, remaining: number, max: Width = 8): Width {
  for (const width of [8, 4, 2, 1] as const) {
    if (width <= max && width <= remaining && ((offset % width) + width) % width === 0) return width;
  }
  return 1;
}

export function storeZeros(e: ProgramEmitter, place: Place, size: number): void {
  for (let done = 0; done < size;) {
    const width = widthAt(place.offset + done, size - done);
    e.asm.st(WIDTH_NAME[width], place.base, place.offset + done, 0);
    done += width;
  }
}

/** Writes constant bytes; immediates are at most 32 bits wide. */
export function storeBytes(e: ProgramEmitter, place: Place, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    const zeros = bytes.subarray(done, done + 8).every((b) => b === 0);
    const width = widthAt(place.offset + done, bytes.length - done, zeros ? 8 : 4);
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[done + i];
    const signed = width === 4 ? value | 0 : value;
    e.asm.st(WIDTH_NAME[width], place.base, place.offset + done, signed);
    done += width;
  }
}

/** Copies between two memory places the program can access directly; R1 is the scratch register. */
export function copyBytes(e: ProgramEmitter, to: Place, from: Place, size: number): void {
  for (let done = 0; done < size;) {
    const width = Math.min(widthAt(to.offset + done, size - done), widthAt(from.offset + done, size - done)) as Width;
    e.asm.ldx(WIDTH_NAME[width], R1, from.base, from.offset + done).stx(WIDTH_NAME[width], to.base, to.offset + done, R1);
    done += width;
  }
}
