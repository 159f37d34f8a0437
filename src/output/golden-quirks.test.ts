// More goldens from bpftrace v0.17.0 (see golden.test.ts): entry order among ties and by key, and the
// special value kinds (buffers, ntop, ksym, stacks, strftime).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonFormatter, TextFormatter } from './formatter.js';
import { utcTimeZone } from './strftime.js';
import { buffer, int, str, uint, type MapEntry, type MapSnapshot, type StackValue, type Value } from './value.js';

const text = new TextFormatter({ timeZone: utcTimeZone });
const json = new JsonFormatter({ timeZone: utcTimeZone });

function entry<V>(key: Value[], value: V): MapEntry<V> {
  return { key, value };
}

function buckets(length: number, counts: Record<number, number>): bigint[] {
  return Array.from({ length }, (_, i) => BigInt(counts[i] ?? 0));
}

describe('bpftrace 0.17 golden: order of ties and bar widths', () => {
  // BEGIN { @h[256] = hist(1); @h[1] = hist(1); @h[2] = hist(1); @h[-1] = hist(1); @a[256] = avg(-7);
  //   @a[256] = avg(0); @a[1] = avg(-3); @a[-1] = avg(-3); @j = lhist(0, 0, 100, 10);
  //   @b = hist(1); @b = hist(2) x2; @b = hist(4) x3; @b = hist(8) x7; exit(); }
  // Equal totals print in the little-endian byte order of the keys: 256, 1, 2, -1.
  const one = buckets(65, { 2: 1 });
  const maps: MapSnapshot[] = [
    { kind: 'hist', name: '@h', entries: [entry([int(-1)], one), entry([int(2)], one), entry([int(1)], one), entry([int(256)], one)] },
    {
      kind: 'avg',
      name: '@a',
      entries: [
        entry([int(1)], { count: 1n, total: -3n }),
        entry([int(-1)], { count: 1n, total: -3n }),
        entry([int(256)], { count: 2n, total: -7n }),
      ],
    },
    { kind: 'lhist', name: '@j', min: 0, max: 100, step: 10, entries: [entry([], buckets(12, { 1: 1 }))] },
    { kind: 'hist', name: '@b', entries: [entry([], buckets(65, { 2: 1, 3: 2, 4: 3, 5: 7 }))] },
  ];
  const full = '|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|';
  const hist1 = (key: string): string => `@h[${key}]: \n[1]                    1 ${full}\n\n`;

  it('prints text', () => {
    assert.equal(
      text.exitDump(maps),
      '\n\n@a[256]: -3\n@a[1]: -3\n@a[-1]: -3\n\n' +
        '@b: \n' +
        '[1]                    1 |@@@@@@@                                             |\n' +
        '[2, 4)                 2 |@@@@@@@@@@@@@@                                      |\n' +
        '[4, 8)                 3 |@@@@@@@@@@@@@@@@@@@@@@                              |\n' +
        `[8, 16)                7 ${full}\n\n` +
        hist1('256') + hist1('1') + hist1('2') + hist1('-1') +
        `@j: \n[0, 10)                1 ${full}\n\n`,
    );
  });

  it('prints JSON', () => {
    const bucket1 = '[{"min": 1, "max": 1, "count": 1}]';
    assert.equal(
      json.exitDump(maps),
      '\n\n{"type": "stats", "data": {"@a": {"256": -3, "1": -3, "-1": -3}}}\n' +
        '{"type": "hist", "data": {"@b": [{"min": 1, "max": 1, "count": 1}, {"min": 2, "max": 3, "count": 2}, ' +
        '{"min": 4, "max": 7, "count": 3}, {"min": 8, "max": 15, "count": 7}]}}\n' +
        `{"type": "hist", "data": {"@h": {"256": ${bucket1}, "1": ${bucket1}, "2": ${bucket1}, "-1": ${bucket1}}}}\n` +
        '{"type": "hist", "data": {"@j": [{"min": 0, "max": 9, "count": 1}]}}\n',
    );
  });
});

describe('bpftrace 0.17 golden: key order, signed keys, symbol lines', () => {
  // BEGIN { @ip[1] = ntop(2, 0x0100007f); @ip[2] = ntop(2, 0x0200007f); @ks[2] = ksym(0); @ks[1] = ksym(0);
  //   @u64[(uint64)-1] = count(); @u64[5] = count() x2; @s[-5] = "neg"; @s[7] = "pos"; @s[0] = "zero";
  //   @m["b", 2] = "x"; @m["a", 9] = "y"; @m["b", 1] = "z"; @m["ab", 1] = "w"; @z = count(); zero(@z);
  //   @hs["bb"] = hist(1); @hs["a"] = hist(1); @hs["ab"] = hist(1); @hs["c"] = hist(1); @hs["c"] = hist(2); exit(); }
  const one = buckets(65, { 2: 1 });
  const maps: MapSnapshot[] = [
    {
      kind: 'hist',
      name: '@hs',
      entries: [entry([str('c')], buckets(65, { 2: 1, 3: 1 })), entry([str('bb')], one), entry([str('ab')], one), entry([str('a')], one)],
    },
    { kind: 'plain', name: '@ip', entries: [entry([int(2)], { kind: 'inet', text: '127.0.0.2' }), entry([int(1)], { kind: 'inet', text: '127.0.0.1' })] },
    { kind: 'plain', name: '@ks', entries: [entry([int(2)], { kind: 'symbol', text: '0' }), entry([int(1)], { kind: 'symbol', text: '0' })] },
    {
      kind: 'plain',
      name: '@m',
      entries: [
        entry([str('b'), int(1)], str('z')),
        entry([str('ab'), int(1)], str('w')),
        entry([str('b'), int(2)], str('x')),
        entry([str('a'), int(9)], str('y')),
      ],
    },
    { kind: 'plain', name: '@s', entries: [entry([int(-5)], str('neg')), entry([int(7)], str('pos')), entry([int(0)], str('zero'))] },
    { kind: 'plain', name: '@u64', entries: [entry([uint(5)], uint(2)), entry([uint(2n ** 64n - 1n)], uint(1))] },
    { kind: 'plain', name: '@z', entries: [entry([], uint(0))] },
  ];

  it('prints text, running ntop and ksym entries together as bpftrace 0.17 does', () => {
    const full = '|@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|';
    assert.equal(
      text.exitDump(maps),
      `\n\n@hs[a]: \n[1]                    1 ${full}\n\n` +
        `@hs[ab]: \n[1]                    1 ${full}\n\n` +
        `@hs[bb]: \n[1]                    1 ${full}\n\n` +
        `@hs[c]: \n[1]                    1 ${full}\n[2, 4)                 1 ${full}\n\n` +
        '@ip[1]: 127.0.0.1@ip[2]: 127.0.0.2\n' +
        '@ks[1]: 0@ks[2]: 0\n' +
        '@m[a, 9]: y\n@m[ab, 1]: w\n@m[b, 1]: z\n@m[b, 2]: x\n' +
        '@s[0]: zero\n@s[7]: pos\n@s[-5]: neg\n' +
        '@u64[-1]: 1\n@u64[5]: 2\n' +
        '@z: 0\n',
    );
  });

  it('prints JSON', () => {
    const b = '{"min": 1, "max": 1, "count": 1}';
    assert.equal(
      json.exitDump(maps),
      `\n\n{"type": "hist", "data": {"@hs": {"a": [${b}], "ab": [${b}], "bb": [${b}], "c": [${b}, {"min": 2, "max": 3, "count": 1}]}}}\n` +
        '{"type": "map", "data": {"@ip": {"1": "127.0.0.1", "2": "127.0.0.2"}}}\n' +
        '{"type": "map", "data": {"@ks": {"1": "0", "2": "0"}}}\n' +
        '{"type": "map", "data": {"@m": {"a,9": "y", "ab,1": "w", "b,1": "z", "b,2": "x"}}}\n' +
        '{"type": "map", "data": {"@s": {"0": "zero", "7": "pos", "-5": "neg"}}}\n' +
        '{"type": "map", "data": {"@u64": {"-1": 1, "5": 2}}}\n' +
        '{"type": "map", "data": {"@z": 0}}\n',
    );
  });
});

describe('bpftrace 0.17 golden: buffers, addresses, stacks, timestamps', () => {
  // BEGIN { @ts = strftime("%Y-%m-%d", nsecs); @b = buf("a\x00\x7f\"z", 5); @bk[buf("xy", 2)] = 1;
  //   @ip6 = ntop(pton("fe80::1")); @kk[kstack] = count(); @st = kstack; @i8 = (int8)-3; @u8 = (uint8)250;
  //   print(buf("q\n", 2)); exit(); }  — stack frames shortened to two.
  const stack: StackValue = {
    kind: 'stack',
    mode: 'bpftrace',
    frames: [
      { address: 0xffffffff81000000n, symbol: '__sys_bpf+2593' },
      { address: 0xffffffff81000100n, symbol: 'do_syscall_64+113' },
    ],
  };
  // 2026-11-21T21:37:14Z
  const epochNanos = 1_795_297_034_000_000_000n;
  const maps: MapSnapshot[] = [
    { kind: 'plain', name: '@b', entries: [entry([], buffer([0x61, 0, 0x7f, 0x22, 0x7a]))] },
    { kind: 'plain', name: '@bk', entries: [entry([buffer([0x78, 0x79])], uint(1))] },
    { kind: 'plain', name: '@i8', entries: [entry([], int(-3, true, 8))] },
    { kind: 'plain', name: '@ip6', entries: [entry([], { kind: 'inet', text: 'fe80::1' })] },
    { kind: 'plain', name: '@kk', entries: [entry([stack], uint(1))] },
    { kind: 'plain', name: '@st', entries: [entry([], stack)] },
    { kind: 'plain', name: '@ts', entries: [entry([], { kind: 'timestamp', format: '%Y-%m-%d', epochNanos })] },
    { kind: 'plain', name: '@u8', entries: [entry([], uint(250, 8))] },
  ];

  it('prints text', () => {
    assert.equal(text.value(buffer([0x71, 0x0a])), 'q\\x0a\n');
    assert.equal(
      text.exitDump(maps),
      '\n\n@b: a\\x00\\x7f"z\n' +
        '@bk[xy]: 1\n' +
        '@i8: -3\n' +
        '@ip6: fe80::1\n' +
        '@kk[\n    __sys_bpf+2593\n    do_syscall_64+113\n]: 1\n' +
        '@st: \n        __sys_bpf+2593\n        do_syscall_64+113\n\n' +
        '@ts: 2026-11-21\n' +
        '@u8: 250\n',
    );
  });

  it('prints JSON, quoting the strftime value that 0.17 leaves bare', () => {
    assert.equal(json.value(buffer([0x71, 0x0a])), '{"type": "value", "data": "q\\\\x0a"}\n');
    assert.equal(
      json.exitDump(maps),
      '\n\n{"type": "map", "data": {"@b": "a\\\\x00\\\\x7f\\"z"}}\n' +
        '{"type": "map", "data": {"@bk": {"xy": 1}}}\n' +
        '{"type": "map", "data": {"@i8": -3}}\n' +
        '{"type": "map", "data": {"@ip6": "fe80::1"}}\n' +
        '{"type": "map", "data": {"@kk": {"\\n    __sys_bpf+2593\\n    do_syscall_64+113\\n": 1}}}\n' +
        '{"type": "map", "data": {"@st": "\\n        __sys_bpf+2593\\n        do_syscall_64+113\\n"}}\n' +
        '{"type": "map", "data": {"@ts": "2026-11-21"}}\n' +
        '{"type": "map", "data": {"@u8": 250}}\n',
    );
  });
});
