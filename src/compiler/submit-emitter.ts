// Submitting a reserved ring-buffer record, and the wake-up policy abi/events.ts describes. The kernel's
// default (adaptive) rule wakes the consumer whenever the record lands where the consumer has read up
// to — after every drain, so a consumer that keeps up is woken, and the traced thread interrupted
// (irq_work, then a cross-CPU wake-up), once per record. Here a record wakes the consumer only when it
// fills the ring past a multiple of the threshold, or when the consumer asked for it before sleeping on
// an empty ring; otherwise it waits for the consumer's next timed drain.
import { type Register, Helper, R0, R1, R2, R3 } from '../asm/index.js';
import { CONTROL_WORDS, wakeUpThreshold } from '../abi/index.js';
import { RingbufFlag, RingbufQuery } from '../sys/bpf-constants.js';
import type { ProgramEmitter } from './program-emitter.js';
import { EVENTS_SIZE } from './script-builder.js';

/** The kernel's header before every record in the ring; records are padded to 8 bytes. */
const KERNEL_HEADER_SIZE = 8;
const THRESHOLD_SHIFT = Math.log2(wakeUpThreshold(EVENTS_SIZE));

/**
 * Submits the record in `record`, `size` bytes long, waking the consumer only when it pays, or always
 * when `urgent` (exit(): the end of the run should not wait for a timer).
 */
export function emitSubmit(e: ProgramEmitter, record: Register, size: number, urgent = false): void {
  if (urgent) {
    e.asm.mov64(R1, record).mov64(R2, RingbufFlag.FORCE_WAKEUP).call(Helper.ringbuf_submit);
    return;
  }
  const ring = e.script.eventsMap();
  const quiet = e.label('quiet');
  const submit = e.label('submit');
  const space = (size + KERNEL_HEADER_SIZE + 7) & ~7;
  // Bytes unread, this record included: did this record cross a multiple of the threshold? Races with
  // other CPUs can hide a crossing; the next multiple, or the consumer's timer, still catches up.
  e.asm.ldMap(R1, ring).mov64(R2, RingbufQuery.AVAIL_DATA).call(Helper.ringbuf_query);
  e.asm.mov64(R1, R0).sub64(R1, space).xor64(R1, R0).rsh64(R1, THRESHOLD_SHIFT).jmp('eq', R1, 0, quiet);
  e.asm.mov64(R2, RingbufFlag.FORCE_WAKEUP).ja(submit);
  e.asm.label(quiet).mov64(R2, RingbufFlag.NO_WAKEUP);
  e.asm.label(submit).mov64(R1, record).call(Helper.ringbuf_submit);
  emitWakeIfArmed(e);
}

/**
 * Wakes a consumer that sleeps on an empty ring and asked to be woken. The word is read after the
 * submit, whose atomic exchange on the record's header orders the read after the record was
 * published: either the consumer's re-check before sleeping sees the record, or this read sees the
 * word. The kernel wakes consumers only on a commit, so the wake-up travels with an empty record,
 * discarded at once.
 */
function emitWakeIfArmed(e: ProgramEmitter): void {
  const done = e.label('awake');
  e.asm.ldMapValue(R1, e.script.internal('control'), CONTROL_WORDS.ARMED * 8).ldx('dw', R2, R1, 0).jmp('eq', R2, 0, done);
  e.asm.st('dw', R1, 0, 0);
  emitForcedWakeUp(e, done);
  e.asm.label(done);
}

/** A wake-up without a record to carry it: an empty one, discarded. Jumps to `done` if the ring is full. */
function emitForcedWakeUp(e: ProgramEmitter, done: string): void {
  e.asm.ldMap(R1, e.script.eventsMap()).mov64(R2, 0).mov64(R3, 0).call(Helper.ringbuf_reserve).jmp('eq', R0, 0, done);
  e.asm.mov64(R1, R0).mov64(R2, RingbufFlag.FORCE_WAKEUP).call(Helper.ringbuf_discard);
}

/**
 * exit(): sets the EXIT word, so the run ends even when the ring is too full for the EXIT record the
 * caller sends next (that record keeps exit() in order with the output before it, and wakes the
 * consumer at once).
 */
export function emitExitRequest(e: ProgramEmitter): void {
  e.asm.ldMapValue(R1, e.script.internal('control'), CONTROL_WORDS.EXIT * 8).st('dw', R1, 0, 1);
}
