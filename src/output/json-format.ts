// bpftrace 0.17's `-f json` output: one object per line, `{"type": "<kind>", "data": <payload>}`, spaced
// with `": "` and `, ` exactly as bpftrace writes it by hand (so JSON.stringify is not used).
//
// - maps: `{"type": "map", "data": {"@m": {"k": v, ...}}}`; a map without keys has its value in place of
//   the inner object; multiple subscripts are joined with "," into one key string ("1,a");
// - hist/lhist: type "hist", each entry an array of {"min", "max", "count"} with the open end omitted;
// - avg and stats: type "stats", avg as a number, stats as {"count", "average", "total"};
// - an empty map prints nothing at all;
// - integers are bare numbers; strings, buffers, symbols, addresses and stacks are quoted; tuples and
//   arrays are `[a,b]` without spaces; records are `{ "a": 1, "b": 2 }`.
//
// Deliberate divergences from bpftrace 0.17, each where it emits invalid JSON: strftime() values are
// quoted (0.17 prints them bare), bytes >= 0x80 are copied as UTF-8 instead of the sign-extended
// `\uffffffc3` escapes 0.17 writes, and hist ranges from 2^31 up are exact instead of overflowed.
import { histRange, histRows, lhistRange, lhistRows, type BucketRange, type BucketRow } from './histogram.js';
import { average, histTotal, keepTop, orderByTotal, orderPlainEntries } from './map-order.js';
import type { TimeZone } from './strftime.js';
import { divideInt, divisor, formatKeyText, formatValueText } from './value-text.js';
import type { MapEntry, MapSnapshot, PrintMapOptions, StatsCounters, Value } from './value.js';

/** bpftrace's json_escape: `"`, `\`, `\n`, `\r`, `\t` by name, other control characters as \u00XX. */
export function jsonEscape(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code <= 0x1f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out;
}

function quote(text: string): string {
  return `"${jsonEscape(text)}"`;
}

export function formatValueJson(value: Value, zone?: TimeZone): string {
  switch (value.kind) {
    case 'int':
    case 'pointer':
      return formatValueText(value, zone);
    case 'tuple':
    case 'array':
      return `[${value.elements.map((element) => formatValueJson(element, zone)).join(',')}]`;
    case 'record':
      return `{ ${value.fields.map((field) => `"${field.name}": ${formatValueJson(field.value, zone)}`).join(', ')} }`;
    default:
      return quote(formatValueText(value, zone));
  }
}

/** One message line; `data` is already JSON. */
export function jsonLine(type: string, data: string): string {
  return `{"type": "${type}", "data": ${data}}\n`;
}

/** `printf`, `time`, `cat`, `join` and `syscall` output: the text as a JSON string. */
export function formatMessageJson(type: string, text: string): string {
  return jsonLine(type, quote(text));
}

function rangeJson(range: BucketRange, count: bigint): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`"min": ${range.min}`);
  if (range.max !== undefined) parts.push(`"max": ${range.max}`);
  parts.push(`"count": ${count}`);
  return `{${parts.join(', ')}}`;
}

function bucketsJson(rows: readonly BucketRow[], range: (index: number) => BucketRange, div: bigint): string {
  return `[${rows.map((row) => rangeJson(range(row.index), row.count / div)).join(', ')}]`;
}

export function formatHistJson(buckets: readonly bigint[], div = 1n): string {
  return bucketsJson(histRows(buckets), histRange, div);
}

function statsJson(counters: StatsCounters): string {
  return `{"count": ${counters.count}, "average": ${average(counters)}, "total": ${counters.total}}`;
}

/** `{"@m": value}` for a map without keys, `{"@m": {"k": value, ...}}` otherwise. */
function mapData<V>(name: string, entries: readonly MapEntry<V>[], valueJson: (value: V) => string, zone?: TimeZone): string {
  const keyed = entries[0].key.length > 0;
  const members = entries.map((entry) => {
    const value = valueJson(entry.value);
    if (!keyed) return value;
    const key = entry.key.map((part) => formatKeyText(part, zone)).join(',');
    return `${quote(key)}: ${value}`;
  });
  const body = keyed ? `{${members.join(', ')}}` : members.join(', ');
  return `{${quote(name)}: ${body}}`;
}

export function formatMapJson(map: MapSnapshot, options: PrintMapOptions = {}, zone?: TimeZone): string {
  if (map.entries.length === 0) return '';
  const div = divisor(options);
  const top = options.top ?? 0;
  switch (map.kind) {
    case 'plain': {
      const shown = keepTop(orderPlainEntries(map.entries), top);
      const valueJson = (value: Value): string =>
        formatValueJson(value.kind === 'int' ? divideInt(value, div) : value, zone);
      return jsonLine('map', mapData(map.name, shown, valueJson, zone));
    }
    case 'hist': {
      const shown = keepTop(orderByTotal(map.entries, histTotal), top);
      return jsonLine('hist', mapData(map.name, shown, (buckets) => formatHistJson(buckets, div), zone));
    }
    case 'lhist': {
      const shown = keepTop(orderByTotal(map.entries, histTotal), top);
      const lhistJson = (buckets: readonly bigint[]): string =>
        bucketsJson(lhistRows(buckets, map), (index) => lhistRange(index, map), 1n);
      return jsonLine('hist', mapData(map.name, shown, lhistJson, zone));
    }
    case 'avg': {
      const shown = keepTop(orderByTotal(map.entries, average), top);
      return jsonLine('stats', mapData(map.name, shown, (counters) => String(average(counters) / div), zone));
    }
    case 'stats':
      return jsonLine('stats', mapData(map.name, orderByTotal(map.entries, average), statsJson, zone));
  }
}
