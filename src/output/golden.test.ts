// Golden outputs captured from bpftrace v0.17.0 (Debian bookworm package 0.17.0-1, kernel 6.18) running
// BEGIN-only scripts, in text and `-f json`. Each case rebuilds the maps those scripts produced and
// compares the exit dump byte for byte. The script is quoted above each case.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonFormatter, TextFormatter } from './formatter.js';
import { utcTimeZone } from './strftime.js';
import { int, str, tuple, uint, type MapEntry, type MapSnapshot, type Value } from './value.js';

const text = new TextFormatter({ timeZone: utcTimeZone });
const json = new JsonFormatter({ timeZone: utcTimeZone });

function entry<V>(key: Value[], value: V): MapEntry<V> {
  return { key, value };
}

/** Bucket counts from {index: count}, the rest zero. */
function buckets(length: number, counts: Record<number, number>): bigint[] {
  return Array.from({ length }, (_, i) => BigInt(counts[i] ?? 0));
}

const HIST = 65;

describe('bpftrace 0.17 golden: counts, sums, scalars, strings, tuples', () => {
  // BEGIN { @c["x"] = count(); @c["y"] = count() x2; @c["z"] = count() x3; @s[-5] = sum(-5);
  //   @s[3] = sum(10); @s[7] = sum(-20); @mn = min(-3); @mx[1,2] = max(99); @i = 42; @neg = -42;
  //   @str["k"] = "hello"; @str["a"] = "world"; @t = (1, "abc", -2); @str2["q\"x"] = "a\tb\n"; exit(); }
  const maps: MapSnapshot[] = [
    { kind: 'plain', name: '@t', entries: [entry([], tuple(int(1), str('abc'), int(-2)))] },
    { kind: 'plain', name: '@c', entries: [entry([str('z')], uint(3)), entry([str('x')], uint(1)), entry([str('y')], uint(2))] },
    { kind: 'plain', name: '@i', entries: [entry([], int(42))] },
    { kind: 'plain', name: '@mn', entries: [entry([], int(-3))] },
    { kind: 'plain', name: '@mx', entries: [entry([int(1), int(2)], int(99))] },
    { kind: 'plain', name: '@neg', entries: [entry([], int(-42))] },
    { kind: 'plain', name: '@s', entries: [entry([int(3)], int(10)), entry([int(-5)], int(-5)), entry([int(7)], int(-20))] },
    { kind: 'plain', name: '@str', entries: [entry([str('k')], str('hello')), entry([str('a')], str('world'))] },
    { kind: 'plain', name: '@str2', entries: [entry([str('q"x')], str('a\tb\n'))] },
  ];

  it('prints text', () => {
    assert.equal(
      text.exitDump(maps),
      '\n\n@c[x]: 1\n@c[y]: 2\n@c[z]: 3\n@i: 42\n@mn: -3\n@mx[1, 2]: 99\n@neg: -42\n' +
        '@s[7]: -20\n@s[-5]: -5\n@s[3]: 10\n@str[a]: world\n@str[k]: hello\n@str2[q"x]: a\tb\n\n' +
        '@t: (1, abc, -2)\n',
    );
  });

  it('prints JSON', () => {
    assert.equal(
      json.exitDump(maps),
      '\n\n' +
        '{"type": "map", "data": {"@c": {"x": 1, "y": 2, "z": 3}}}\n' +
        '{"type": "map", "data": {"@i": 42}}\n' +
        '{"type": "map", "data": {"@mn": -3}}\n' +
        '{"type": "map", "data": {"@mx": {"1,2": 99}}}\n' +
        '{"type": "map", "data": {"@neg": -42}}\n' +
        '{"type": "map", "data": {"@s": {"7": -20, "-5": -5, "3": 10}}}\n' +
        '{"type": "map", "data": {"@str": {"a": "world", "k": "hello"}}}\n' +
        '{"type": "map", "data": {"@str2": {"q\\"x": "a\\tb\\n"}}}\n' +
        '{"type": "map", "data": {"@t": [1,"abc",-2]}}\n',
    );
  });
});

describe('bpftrace 0.17 golden: hist and lhist', () => {
  // BEGIN { @h = hist(-1); @h = hist(0) x2; @h = hist(1); @h = hist(2); @h = hist(1024);
  //   @h = hist(1500000); @h = hist(3000000000) (and two larger values 0.17 also puts in [2G, 4G));
  //   @g[1,"a"] = hist(5); @g[2,"b"] = hist(5); @g[2,"b"] = hist(7); @e = hist(0);
  //   @l = lhist(-5, 0, 100, 10); @l = lhist(150, 0, 100, 10); @l = lhist(50, 0, 100, 10);
  //   @k = lhist(3000, 0, 10240, 1024); @k = lhist(5000, 0, 10240, 1024);
  //   @m = lhist(2097152, 0, 4194304, 1048576); @m = lhist(4194304, 0, 4194304, 1048576);
  //   @n = lhist(7, 5, 25, 5); exit(); }
  const maps: MapSnapshot[] = [
    { kind: 'hist', name: '@e', entries: [entry([], buckets(HIST, { 1: 1 }))] },
    {
      kind: 'hist',
      name: '@g',
      entries: [entry([int(2), str('b')], buckets(HIST, { 4: 2 })), entry([int(1), str('a')], buckets(HIST, { 4: 1 }))],
    },
    { kind: 'hist', name: '@h', entries: [entry([], buckets(HIST, { 0: 1, 1: 2, 2: 1, 3: 1, 12: 1, 22: 1, 33: 3 }))] },
    { kind: 'lhist', name: '@k', min: 0, max: 10240, step: 1024, entries: [entry([], buckets(12, { 3: 1, 5: 1 }))] },
    { kind: 'lhist', name: '@l', min: 0, max: 100, step: 10, entries: [entry([], buckets(12, { 0: 1, 6: 1, 11: 1 }))] },
    { kind: 'lhist', name: '@m', min: 0, max: 4194304, step: 1048576, entries: [entry([], buckets(6, { 3: 1, 5: 1 }))] },
    { kind: 'lhist', name: '@n', min: 5, max: 25, step: 5, entries: [entry([], buckets(6, { 1: 1 }))] },
  ];
  const full = '|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|';
  const third = '|@@@@@@@@@@@@@@@@@                                   |';
  const twoThirds = '|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  |';
  const empty = '|                                                    |';
  const zeroRows = (labels: string[]): string => labels.map((label) => `${label.padEnd(16)}       0 ${empty}\n`).join('');

  it('prints text', () => {
    const expected =
      '\n\n@e: \n' +
      `[0]                    1 ${full}\n\n` +
      '@g[1, a]: \n' +
      `[4, 8)                 1 ${full}\n\n` +
      '@g[2, b]: \n' +
      `[4, 8)                 2 ${full}\n\n` +
      '@h: \n' +
      `(..., 0)               1 ${third}\n` +
      `[0]                    2 ${twoThirds}\n` +
      `[1]                    1 ${third}\n` +
      `[2, 4)                 1 ${third}\n` +
      zeroRows(['[4, 8)', '[8, 16)', '[16, 32)', '[32, 64)', '[64, 128)', '[128, 256)', '[256, 512)', '[512, 1K)']) +
      `[1K, 2K)               1 ${third}\n` +
      zeroRows(['[2K, 4K)', '[4K, 8K)', '[8K, 16K)', '[16K, 32K)', '[32K, 64K)', '[64K, 128K)', '[128K, 256K)', '[256K, 512K)', '[512K, 1M)']) +
      `[1M, 2M)               1 ${third}\n` +
      zeroRows(['[2M, 4M)', '[4M, 8M)', '[8M, 16M)', '[16M, 32M)', '[32M, 64M)', '[64M, 128M)', '[128M, 256M)', '[256M, 512M)', '[512M, 1G)', '[1G, 2G)']) +
      `[2G, 4G)               3 ${full}\n\n` +
      '@k: \n' +
      `[2K, 3K)               1 ${full}\n` +
      `[3K, 4K)               0 ${empty}\n` +
      `[4K, 5K)               1 ${full}\n\n` +
      '@l: \n' +
      `(..., 0)               1 ${full}\n` +
      zeroRows(['[0, 10)', '[10, 20)', '[20, 30)', '[30, 40)', '[40, 50)']) +
      `[50, 60)               1 ${full}\n` +
      zeroRows(['[60, 70)', '[70, 80)', '[80, 90)', '[90, 100)']) +
      `[100, ...)             1 ${full}\n\n` +
      '@m: \n' +
      `[2M, 3M)               1 ${full}\n` +
      `[3M, 4M)               0 ${empty}\n` +
      `[4M, ...)              1 ${full}\n\n` +
      '@n: \n' +
      `[5, 10)                1 ${full}\n\n`;
    assert.equal(text.exitDump(maps), expected);
  });

  it('prints JSON', () => {
    const zeros = (ranges: Array<[number, number]>): string =>
      ranges.map(([min, max]) => `, {"min": ${min}, "max": ${max}, "count": 0}`).join('');
    const powers = (from: number, to: number): Array<[number, number]> =>
      Array.from({ length: to - from + 1 }, (_, i) => [2 ** (from + i), 2 ** (from + i + 1) - 1]);
    const expected =
      '\n\n' +
      '{"type": "hist", "data": {"@e": [{"min": 0, "max": 0, "count": 1}]}}\n' +
      '{"type": "hist", "data": {"@g": {"1,a": [{"min": 4, "max": 7, "count": 1}], "2,b": [{"min": 4, "max": 7, "count": 2}]}}}\n' +
      '{"type": "hist", "data": {"@h": [{"max": -1, "count": 1}, {"min": 0, "max": 0, "count": 2}, ' +
      '{"min": 1, "max": 1, "count": 1}, {"min": 2, "max": 3, "count": 1}' +
      zeros(powers(2, 9)) +
      ', {"min": 1024, "max": 2047, "count": 1}' +
      zeros(powers(11, 19)) +
      ', {"min": 1048576, "max": 2097151, "count": 1}' +
      zeros(powers(21, 30)) +
      // bpftrace 0.17 prints {"min": -2147483648, "max": 0} here (32-bit overflow); we print the range.
      ', {"min": 2147483648, "max": 4294967295, "count": 3}]}}\n' +
      '{"type": "hist", "data": {"@k": [{"min": 2048, "max": 3071, "count": 1}, {"min": 3072, "max": 4095, "count": 0}, {"min": 4096, "max": 5119, "count": 1}]}}\n' +
      '{"type": "hist", "data": {"@l": [{"max": -1, "count": 1}, {"min": 0, "max": 9, "count": 0}, {"min": 10, "max": 19, "count": 0}, ' +
      '{"min": 20, "max": 29, "count": 0}, {"min": 30, "max": 39, "count": 0}, {"min": 40, "max": 49, "count": 0}, ' +
      '{"min": 50, "max": 59, "count": 1}, {"min": 60, "max": 69, "count": 0}, {"min": 70, "max": 79, "count": 0}, ' +
      '{"min": 80, "max": 89, "count": 0}, {"min": 90, "max": 99, "count": 0}, {"min": 100, "count": 1}]}}\n' +
      '{"type": "hist", "data": {"@m": [{"min": 2097152, "max": 3145727, "count": 1}, {"min": 3145728, "max": 4194303, "count": 0}, {"min": 4194304, "count": 1}]}}\n' +
      '{"type": "hist", "data": {"@n": [{"min": 5, "max": 9, "count": 1}]}}\n';
    assert.equal(json.exitDump(maps), expected);
  });
});

describe('bpftrace 0.17 golden: print() with top and div, avg, stats, empty maps', () => {
  // BEGIN { @a[1] = avg(10); @a[1] = avg(5); @a[2] = avg(-4); @a[3] = avg(100); @s["x"] = stats(10);
  //   @s["x"] = stats(20); @s["y"] = stats(1); @c[1] = count(); @c[2] = count() x2; @c[3] = count() x3;
  //   print(@c, 2); print(@c, 0, 2); print(@a, 2); print(@s, 1); @h[1] = hist(10); @h[2] = hist(10) x2;
  //   @h[3] = hist(100); @h[3] = hist(200); @h[3] = hist(300); print(@h, 2, 2); @v = 5; print(@v);
  //   print(123); print(-5); print("str"); print((1, "x")); print(@a); print(@s);
  //   @e[1] = 1; delete(@e[1]); print(@e); exit(); }
  const c: MapSnapshot = {
    kind: 'plain',
    name: '@c',
    entries: [entry([int(3)], uint(3)), entry([int(1)], uint(1)), entry([int(2)], uint(2))],
  };
  const a: MapSnapshot = {
    kind: 'avg',
    name: '@a',
    entries: [
      entry([int(3)], { count: 1n, total: 100n }),
      entry([int(1)], { count: 2n, total: 15n }),
      entry([int(2)], { count: 1n, total: -4n }),
    ],
  };
  const s: MapSnapshot = {
    kind: 'stats',
    name: '@s',
    entries: [entry([str('x')], { count: 2n, total: 30n }), entry([str('y')], { count: 1n, total: 1n })],
  };
  const h: MapSnapshot = {
    kind: 'hist',
    name: '@h',
    entries: [
      entry([int(3)], buckets(HIST, { 8: 1, 9: 1, 10: 1 })),
      entry([int(1)], buckets(HIST, { 5: 1 })),
      entry([int(2)], buckets(HIST, { 5: 2 })),
    ],
  };
  const v: MapSnapshot = { kind: 'plain', name: '@v', entries: [entry([], int(5))] };
  const e: MapSnapshot = { kind: 'plain', name: '@e', entries: [] };
  const bar = '|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|';

  it('prints text', () => {
    const printed =
      text.map(c, { top: 2 }) + text.map(c, { top: 0, div: 2 }) + text.map(a, { top: 2 }) + text.map(s, { top: 1 }) +
      text.map(h, { top: 2, div: 2 }) + text.map(v) + text.value(int(123)) + text.value(int(-5)) +
      text.value(str('str')) + text.value(tuple(int(1), str('x'))) + text.map(a) + text.map(s) + text.map(e) +
      text.exitDump([a, c, e, h, s, v]);
    const expected =
      '@c[2]: 2\n@c[3]: 3\n' +
      '@c[1]: 0\n@c[2]: 1\n@c[3]: 1\n' +
      '@a[1]: 7\n@a[3]: 100\n\n' +
      '@s[y]: count 1, average 1, total 1\n@s[x]: count 2, average 15, total 30\n\n' +
      `@h[2]: \n[8, 16)                1 ${bar}\n\n` +
      `@h[3]: \n[64, 128)              0 ${bar}\n[128, 256)             0 ${bar}\n[256, 512)             0 ${bar}\n\n` +
      '@v: 5\n123\n-5\nstr\n(1, x)\n' +
      '@a[2]: -4\n@a[1]: 7\n@a[3]: 100\n\n' +
      '@s[y]: count 1, average 1, total 1\n@s[x]: count 2, average 15, total 30\n\n' +
      '\n' +
      '\n\n' +
      '@a[2]: -4\n@a[1]: 7\n@a[3]: 100\n\n' +
      '@c[1]: 1\n@c[2]: 2\n@c[3]: 3\n' +
      '\n' +
      `@h[1]: \n[8, 16)                1 ${bar}\n\n` +
      `@h[2]: \n[8, 16)                2 ${bar}\n\n` +
      `@h[3]: \n[64, 128)              1 ${bar}\n[128, 256)             1 ${bar}\n[256, 512)             1 ${bar}\n\n` +
      '@s[y]: count 1, average 1, total 1\n@s[x]: count 2, average 15, total 30\n\n' +
      '@v: 5\n';
    assert.equal(printed, expected);
  });

  it('prints JSON', () => {
    const printed =
      json.map(c, { top: 2 }) + json.map(c, { top: 0, div: 2 }) + json.map(a, { top: 2 }) + json.map(s, { top: 1 }) +
      json.map(h, { top: 2, div: 2 }) + json.map(v) + json.value(int(123)) + json.value(int(-5)) +
      json.value(str('str')) + json.value(tuple(int(1), str('x'))) + json.map(a) + json.map(s) + json.map(e) +
      json.exitDump([a, c, e, h, s, v]);
    const stats = '{"@s": {"y": {"count": 1, "average": 1, "total": 1}, "x": {"count": 2, "average": 15, "total": 30}}}';
    const expected =
      '{"type": "map", "data": {"@c": {"2": 2, "3": 3}}}\n' +
      '{"type": "map", "data": {"@c": {"1": 0, "2": 1, "3": 1}}}\n' +
      '{"type": "stats", "data": {"@a": {"1": 7, "3": 100}}}\n' +
      `{"type": "stats", "data": ${stats}}\n` +
      '{"type": "hist", "data": {"@h": {"2": [{"min": 8, "max": 15, "count": 1}], "3": [{"min": 64, "max": 127, "count": 0}, ' +
      '{"min": 128, "max": 255, "count": 0}, {"min": 256, "max": 511, "count": 0}]}}}\n' +
      '{"type": "map", "data": {"@v": 5}}\n' +
      '{"type": "value", "data": 123}\n' +
      '{"type": "value", "data": -5}\n' +
      '{"type": "value", "data": "str"}\n' +
      '{"type": "value", "data": [1,"x"]}\n' +
      '{"type": "stats", "data": {"@a": {"2": -4, "1": 7, "3": 100}}}\n' +
      `{"type": "stats", "data": ${stats}}\n` +
      '\n\n' +
      '{"type": "stats", "data": {"@a": {"2": -4, "1": 7, "3": 100}}}\n' +
      '{"type": "map", "data": {"@c": {"1": 1, "2": 2, "3": 3}}}\n' +
      '{"type": "hist", "data": {"@h": {"1": [{"min": 8, "max": 15, "count": 1}], "2": [{"min": 8, "max": 15, "count": 2}], ' +
      '"3": [{"min": 64, "max": 127, "count": 1}, {"min": 128, "max": 255, "count": 1}, {"min": 256, "max": 511, "count": 1}]}}}\n' +
      `{"type": "stats", "data": ${stats}}\n` +
      '{"type": "map", "data": {"@v": 5}}\n';
    assert.equal(printed, expected);
  });
});
