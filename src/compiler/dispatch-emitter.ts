// The start of a dispatching program (`Dispatch` in providers/provider.ts), which runs for every
// event at its hook and must first find which of its targets fired, ending at once when none did.
// When the hook's context is not the targets' record, the program first rebuilds that record in its
// frame (`RecordRecipe`), and everything that reads `args` reads the copy (ProgramEmitter.loadRecord).
// A read-only table holds each target's probe name at its selector's index (PROBE_SIZE bytes each,
// zeros where a selector stands for no target): a non-empty entry selects the event, and `probe` is
// copied from it, so it prints, compares and keys maps like the constant it is elsewhere. The table
// is one map value indexed after a bounds check: no helper call, no stack.
import { type Register, Helper, R0, R1, R2, R3 } from '../asm/index.js';
import type { RecordRecipe, RecordWord, Selection } from '../providers/provider.js';
import { PROBE_SIZE } from './builtins.js';
import type { Place } from './frame.js';
import { copyBytes, placeAddress, storeZeros } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';

/**
 * Rebuilds the record, if the hook needs it, and ends the program early for events none of its
 * targets would have seen. Emits nothing for other programs.
 */
export function emitDispatchPrologue(e: ProgramEmitter): void {
  const { dispatch } = e.analysis.group;
  if (dispatch === undefined) return;
  const { record, selection } = dispatch;
  if (record === undefined) {
    if (selection !== undefined) emitSelection(e, selection);
    return;
  }
  const place = e.allocateRecord(record.size);
  storeZeros(e, place, record.size);
  copyContextWords(e, place, record.contextWords);
  // Select as soon as the selector is in the record, so most events end before any helper call.
  const early = selection !== undefined && record.contextWords.some((word) => covers(word, selection.offset));
  if (early) emitSelection(e, selection);
  if (record.pointee !== undefined) copyPointee(e, place, record.pointee);
  if (!early && selection !== undefined) emitSelection(e, selection);
}

function emitSelection(e: ProgramEmitter, selection: Selection): void {
  entryAddress(e, selection, R1, e.exitLabel);
  e.asm.ldx('b', R2, R1, 0).jmp('eq', R2, 0, e.exitLabel);
  if (selection.skipTask !== undefined) {
    // A trusted task pointer is read directly; the verifier checks the offset against BTF.
    e.asm.call(Helper.get_current_task_btf).ldx('w', R1, R0, selection.skipTask.offset)
      .jmp('set', R1, selection.skipTask.mask, e.exitLabel);
  }
}

const WORD = 8;

function covers(word: RecordWord, offset: number): boolean {
  return offset >= word.at && offset < word.at + WORD;
}

function copyContextWords(e: ProgramEmitter, place: Place, words: readonly RecordWord[]): void {
  if (words.length === 0) return;
  e.loadContext(R1);
  for (const word of words) {
    e.asm.ldx('dw', R2, R1, word.index * WORD).stx('dw', place.base, place.offset + word.at, R2);
  }
}

/** One probe read of the block behind the context's pointer, into a temporary slot, then word by word into the record. */
function copyPointee(e: ProgramEmitter, place: Place, pointee: NonNullable<RecordRecipe['pointee']>): void {
  const mark = e.frame.mark();
  const block = e.frame.allocate(pointee.length);
  e.loadContext(R3);
  e.asm.ldx('dw', R3, R3, pointee.pointer * WORD).add64(R3, pointee.offset);
  placeAddress(e, R1, block);
  e.asm.mov64(R2, pointee.length).call(Helper.probe_read_kernel);
  // A failed read leaves the block zeroed by the helper, as a faulting read of args would elsewhere.
  for (const word of pointee.words) {
    e.asm.ldx('dw', R1, block.base, block.offset + word.index * WORD).stx('dw', place.base, place.offset + word.at, R1);
  }
  e.frame.release(mark);
}

/** `probe` in a selecting program: the name of the target that fired, written at `place`. */
export function emitDispatchedProbe(e: ProgramEmitter, place: { readonly base: Register; readonly offset: number }, size: number): void {
  const selection = e.analysis.group.dispatch?.selection;
  if (selection === undefined) throw new Error('probe is a constant in programs that do not select');
  // The prologue has checked the selector, but the verifier needs the check again here, and its
  // other branch must not end the program: a ring-buffer record may be reserved.
  const outside = e.label('noprobe');
  const done = e.label('probe');
  entryAddress(e, selection, R3, outside);
  copyBytes(e, place, { base: R3, offset: 0 }, Math.min(size, PROBE_SIZE));
  if (size > PROBE_SIZE) storeZeros(e, { base: place.base, offset: place.offset + PROBE_SIZE }, size - PROBE_SIZE);
  else if (size < PROBE_SIZE) e.asm.st('b', place.base, place.offset + size - 1, 0);
  e.asm.ja(done).label(outside);
  storeZeros(e, place, size);
  e.asm.label(done);
}

/**
 * reg = the address of the event's table entry, or a jump to `outside` for selectors past the
 * table. The bounds check is what lets the verifier accept the indexed load (and a negative syscall
 * number, read as unsigned, is past it too). Uses R1 and R2.
 */
function entryAddress(e: ProgramEmitter, selection: Selection, reg: Register, outside: string): void {
  const length = Math.max(...selection.selectors.keys()) + 1;
  const table = e.script.constantTable(tableBytes(selection, length));
  e.loadRecord(R1);
  e.asm.ldx('w', R2, R1, selection.offset).jmp('ge', R2, length, outside)
    .mul64(R2, PROBE_SIZE).ldMapValue(reg, table, 0).add64(reg, R2);
}

/** Each selection's table, built once: a program asks for it at every use of `probe` (~30 KB for sys_enter_*). */
const tables = new WeakMap<Selection, Uint8Array>();

function tableBytes(selection: Selection, length: number): Uint8Array {
  let bytes = tables.get(selection);
  if (bytes !== undefined) return bytes;
  const table = Buffer.alloc(length * PROBE_SIZE);
  // Written in place, at most PROBE_SIZE - 1 bytes each (whole characters), so each name ends in a NUL.
  for (const [selector, target] of selection.selectors) table.write(target.name, selector * PROBE_SIZE, PROBE_SIZE - 1, 'utf8');
  bytes = table;
  tables.set(selection, bytes);
  return bytes;
}
