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

export function readEventHeader(record: Uint8Array): { kind: number; id: number } {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  return { kind: view.getUint32(0, true), id: view.getUint32(4, true) };
}
