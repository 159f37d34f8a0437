// bpftrace 0.17's text output of maps: `print(@m[, top[, div]])` and the dump of every map at exit.
//
// Layout rules, all checked against bpftrace 0.17 itself:
// - plain maps print one `@m[k]: v` line per entry and NO blank line after the map;
// - hist/lhist print `@m[k]: ` (trailing space), the bucket lines, and a blank line after each entry;
// - avg/stats print one line per entry and a blank line after the map;
// - an empty map still prints its trailing newline(s).
// - `top` keeps the largest entries (stats() ignores it); `div` divides plain integer values, avg()
//   averages and hist() counts (not lhist(), not stats(), and never the hist bars).
import {
  histLabel,
  histRows,
  lhistLabel,
  lhistRows,
  type BucketRow,
  type LinearLayout,
} from './histogram.js';
import { average, histTotal, keepTop, orderByTotal, orderPlainEntries } from './map-order.js';
import type { TimeZone } from './strftime.js';
import { divideInt, divisor, formatKeyText, formatValueText } from './value-text.js';
import type { MapEntry, MapSnapshot, PrintMapOptions, StatsCounters, Value } from './value.js';

/** `@name` or `@name[a, b]`. */
export function mapEntryPrefix(name: string, key: readonly Value[], zone?: TimeZone): string {
  if (key.length === 0) return name;
  return `${name}[${key.map((part) => formatKeyText(part, zone)).join(', ')}]`;
}

const BAR_WIDTH = 52;
const LABEL_WIDTH = 16;
const COUNT_WIDTH = 8;

/** Bar length as bpftrace computes it, in single-precision float: count / (float)max * 52, truncated. */
function barLength(count: bigint, max: bigint): number {
  const ratio = Math.fround(Math.fround(Number(count)) / Math.fround(Number(max)));
  return Math.trunc(Math.fround(ratio * BAR_WIDTH));
}

function bucketLines(rows: readonly BucketRow[], label: (index: number) => string, div: bigint): string {
  const max = rows.reduce((largest, row) => (row.count > largest ? row.count : largest), 0n);
  return rows
    .map((row) => {
      const bar = '@'.repeat(barLength(row.count, max));
      const count = String(row.count / div);
      return `${label(row.index).padEnd(LABEL_WIDTH)}${count.padStart(COUNT_WIDTH)} |${bar.padEnd(BAR_WIDTH)}|\n`;
    })
    .join('');
}

export function formatHistText(buckets: readonly bigint[], div = 1n): string {
  return bucketLines(histRows(buckets), histLabel, div);
}

export function formatLhistText(buckets: readonly bigint[], layout: LinearLayout): string {
  return bucketLines(lhistRows(buckets, layout), (index) => lhistLabel(index, layout), 1n);
}

// Values whose text bpftrace treats as carrying its own line end (only stacks really do), so it joins
// their entries without a newline; ksym, usym and ntop results end up run together on one line.
const SELF_TERMINATED_KINDS: ReadonlySet<Value['kind']> = new Set(['stack', 'symbol', 'inet']);

function plainText(name: string, entries: readonly MapEntry<Value>[], options: PrintMapOptions, zone?: TimeZone): string {
  const div = divisor(options);
  const shown = keepTop(orderPlainEntries(entries), options.top ?? 0);
  const lines = shown.map((entry) => {
    const value = entry.value.kind === 'int' ? divideInt(entry.value, div) : entry.value;
    return `${mapEntryPrefix(name, entry.key, zone)}: ${formatValueText(value, zone)}`;
  });
  const first = entries[0];
  const separator = first !== undefined && SELF_TERMINATED_KINDS.has(first.value.kind) ? '' : '\n';
  return `${lines.join(separator)}\n`;
}

function histogramText(
  name: string,
  entries: readonly MapEntry<readonly bigint[]>[],
  options: PrintMapOptions,
  body: (buckets: readonly bigint[]) => string,
  zone?: TimeZone,
): string {
  const shown = keepTop(orderByTotal(entries, histTotal), options.top ?? 0);
  const blocks = shown.map((entry) => `${mapEntryPrefix(name, entry.key, zone)}: \n${body(entry.value)}`);
  return `${blocks.join('\n')}\n`;
}

function statsText(
  name: string,
  entries: readonly MapEntry<StatsCounters>[],
  statsLine: (counters: StatsCounters) => string,
  zone?: TimeZone,
): string {
  const lines = entries.map((entry) => `${mapEntryPrefix(name, entry.key, zone)}: ${statsLine(entry.value)}`);
  return `${lines.join('\n')}\n\n`;
}

export function formatStatsLine(counters: StatsCounters): string {
  return `count ${counters.count}, average ${average(counters)}, total ${counters.total}`;
}

export function formatMapText(map: MapSnapshot, options: PrintMapOptions = {}, zone?: TimeZone): string {
  const div = divisor(options);
  switch (map.kind) {
    case 'plain':
      return plainText(map.name, map.entries, options, zone);
    case 'hist':
      return histogramText(map.name, map.entries, options, (buckets) => formatHistText(buckets, div), zone);
    case 'lhist':
      return histogramText(map.name, map.entries, options, (buckets) => formatLhistText(buckets, map), zone);
    case 'avg': {
      const shown = keepTop(orderByTotal(map.entries, average), options.top ?? 0);
      return statsText(map.name, shown, (counters) => String(average(counters) / div), zone);
    }
    case 'stats':
      // bpftrace 0.17 applies neither top nor div to stats().
      return statsText(map.name, orderByTotal(map.entries, average), formatStatsLine, zone);
  }
}
