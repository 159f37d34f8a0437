// Records that BPF programs send to user space through the ring buffer. Every record starts with an
// 8-byte header — u32 kind, u32 id (which printf format, which map, …) — followed by a payload whose
// layout is given by the compiled script (e.g. a printf's argument tuple).

export const EventKind = {
  /** id: printf format index; payload: the argument tuple. */
  PRINTF: 1,
  /** id: map index; payload: u64 top, u64 div (0 when not given). */
  PRINT_MAP: 2,
  /** id: print-value index; payload: the value. */
  PRINT_VALUE: 3,
  /** id: map index. */
  CLEAR_MAP: 4,
  ZERO_MAP: 5,
  /** id: 0; payload: none. Exits after the current event. */
  EXIT: 6,
  /** id: time() format index; payload: none. */
  TIME: 7,
  /** id: system()/cat() format index; payload: the argument tuple. */
  SYSTEM: 8,
  CAT: 9,
  /** id: join() index; payload: the strings' buffer. */
  JOIN: 10,
  /** id: delete index for maps cleared from user space on demand. */
  DELETE: 11,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

export const EVENT_HEADER_SIZE = 8;

/**
 * Wake-ups. Waking the consumer costs the traced process an interrupt (irq_work) and a cross-CPU
 * wake-up, so records are submitted without one, and the consumer mostly drains on a timer. Programs
 * force a wake-up only when it pays:
 * - the run is idle: the runtime sets CONTROL_WORDS.ARMED before sleeping on an empty ring, and the
 *   first record submitted after that clears the word and wakes it, so a lone event prints at once;
 * - the ring filled past a multiple of `wakeUpThreshold`: a burst is drained before the ring is full.
 * exit() always wakes the consumer.
 */
export function wakeUpThreshold(ringBytes: number): number {
  return ringBytes / 8;
}

/**
 * u64 words of the control map, a one-entry mmapable array shared by the programs and the runtime;
 * compiled scripts have one when a program sends records.
 */
export const CONTROL_WORDS = {
  /** Written 1 by the runtime when it sleeps on an empty ring; the next record clears it and wakes it. */
  ARMED: 0,
  /** Set to 1 by exit(), before its EXIT record: the run ends even when that record finds the ring full. */
  EXIT: 1,
} as const;

/** Bytes of the control map's one value. */
export const CONTROL_SIZE = 16;

export function readEventHeader(record: Uint8Array): { kind: number; id: number } {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  return { kind: view.getUint32(0, true), id: view.getUint32(4, true) };
}
