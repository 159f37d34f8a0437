// src/output — the value model and bpftrace-compatible text and JSON formatters. Owns: the decoded value
// and map-snapshot types, bpftrace 0.17's text layout (maps, hist/lhist bars, stats), its `-f json`
// NDJSON messages, printf() and strftime() formatting, and the order in which map entries print.
// Pure: it turns values into strings and writes nothing. Must not import sys, kernel, runtime, lang or
// any other bpfscope module; the runtime decodes kernel bytes into these values and writes the strings.
//
// Where bpftrace 0.17 prints something broken, this module prints the corrected form, and says so at
// the code that does it: `%%` in printf, `%%f` in strftime, JSON for strftime values, non-ASCII bytes
// in JSON strings, and hist bucket ranges past 2^31 in JSON.
export type {
  ArrayValue,
  BufferValue,
  InetValue,
  IntBits,
  IntValue,
  MapEntry,
  MapSnapshot,
  PointerValue,
  PrintMapOptions,
  RecordField,
  RecordValue,
  StackFrame,
  StackValue,
  StatsCounters,
  StringValue,
  SymbolValue,
  TimestampValue,
  TupleValue,
  Value,
} from './value.js';
export { buffer, int, str, tuple, uint } from './value.js';
export { formatBuffer, formatKeyText, formatStack, formatValueText, type BufferStyle } from './value-text.js';
export { formatHistText, formatLhistText, formatMapText, formatStatsLine } from './text-format.js';
export { formatHistJson, formatMapJson, formatMessageJson, formatValueJson, jsonEscape } from './json-format.js';
export { formatPrintf } from './printf.js';
export { localTimeZone, strftime, utcTimeZone, type TimeZone } from './strftime.js';
export {
  createFormatter,
  JsonFormatter,
  TextFormatter,
  type FormatterOptions,
  type MessageKind,
  type OutputFormatter,
} from './formatter.js';
