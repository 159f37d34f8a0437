// BEGIN-only programs for maps: every aggregation, several and multi-part keys, print() with top
// and divisor, clear, delete and zero. Every one also runs with `-f json` (MAP_CASES holds both).
//
// Determinism: bpftrace sorts count/sum/min/max and integer maps by value and leaves ties in the
// kernel's hash-iteration order, which is seeded at random per map; so within one such map no two
// keys share a value. hist/lhist/avg/stats ties are ordered by key bytes and may repeat.
import type { DifferentialCase } from './cases.js';

const TEXT_MAP_CASES: readonly DifferentialCase[] = [
  {
    name: 'count-several-keys',
    script: `BEGIN {
  $i = 0;
  while ($i < 4) {
    $j = 0;
    while ($j <= $i) { @calls[$i * 10] = count(); $j++; }
    $i++;
  }
  @total = count();
  exit();
}`,
  },
  {
    name: 'sum-with-negatives',
    script: 'BEGIN { @s["a"] = sum(5); @s["a"] = sum(-20); @s["b"] = sum(7); @s["c"] = sum(1000); @s["d"] = sum(-1); @one = sum(3); exit(); }',
  },
  {
    name: 'avg-several-keys',
    script: 'BEGIN { @a[1] = avg(10); @a[1] = avg(21); @a[2] = avg(-7); @a[2] = avg(2); @a[3] = avg(0); @a[4] = avg(100); @one = avg(9); exit(); }',
  },
  {
    name: 'min-max-several-keys',
    script: 'BEGIN { @mn[1] = min(5); @mn[1] = min(2); @mn[2] = min(0); @mn[3] = min(9); @mx[1] = max(5); @mx[1] = max(8); @mx[2] = max(0); @mx[3] = max(3); exit(); }',
  },
  {
    name: 'stats-several-keys',
    script: 'BEGIN { @st["x"] = stats(10); @st["x"] = stats(-4); @st["y"] = stats(7); @st["z"] = stats(100); @st["z"] = stats(200); @st["z"] = stats(301); exit(); }',
  },
  {
    name: 'hist-several-keys',
    script: `BEGIN {
  $i = 0;
  while ($i < 40) { @h["fast"] = hist($i); @h["slow"] = hist($i * 1000); $i++; }
  @h["rare"] = hist(-3);
  @h["rare"] = hist(0);
  exit();
}`,
  },
  {
    name: 'hist-power-of-two-boundaries',
    script: `BEGIN {
  @h = hist(0); @h = hist(1); @h = hist(2); @h = hist(3); @h = hist(4); @h = hist(7); @h = hist(8);
  @h = hist(1023); @h = hist(1024); @h = hist(1024); @h = hist(-1);
  @top = hist(1073741824); @top = hist(2147483647);
  exit();
}`,
  },
  {
    name: 'lhist-several-keys',
    script: `BEGIN {
  $i = 0;
  while ($i < 30) { @l[1] = lhist($i, 0, 30, 5); @l[2] = lhist($i * 2, 0, 30, 5); $i++; }
  @l[3] = lhist(1000, 0, 30, 5);
  @wide["a"] = lhist(77, 0, 100, 20); @wide["b"] = lhist(5, 0, 100, 20); @wide["b"] = lhist(15, 0, 100, 20);
  exit();
}`,
  },
  {
    name: 'lhist-edges',
    script: `BEGIN {
  @edges = lhist(0, 0, 100, 10); @edges = lhist(9, 0, 100, 10); @edges = lhist(10, 0, 100, 10);
  @edges = lhist(99, 0, 100, 10); @edges = lhist(100, 0, 100, 10); @edges = lhist(-1, 0, 100, 10);
  @uneven = lhist(24, 0, 25, 10); @uneven = lhist(25, 0, 25, 10);
  @offset = lhist(7, 5, 25, 10); @offset = lhist(4, 5, 25, 10); @offset = lhist(15, 5, 25, 10);
  exit();
}`,
  },
  {
    name: 'multi-key-maps',
    script: `BEGIN {
  @m[1, "a"] = sum(3); @m[1, "b"] = sum(5); @m[2, "a"] = sum(1); @m[2, "a"] = sum(10);
  @c[7, 8, 9] = count();
  @h[1, "x"] = hist(4); @h[1, "x"] = hist(5); @h[0, "y"] = hist(100);
  exit();
}`,
  },
  {
    name: 'integer-and-string-valued-maps',
    script: `BEGIN {
  @v[1] = 10; @v[2] = -5; @v[3] = 7; @v[4] = 0xffffffff;
  @name["zeta"] = "z"; @name["alpha"] = "a"; @name["mid"] = "m";
  @byint[30] = "thirty"; @byint[4] = "four"; @byint[256] = "big";
  exit();
}`,
  },
  {
    // print() takes effect when user space handles its event, after the probe has run, so both
    // print(@c) calls show the final counts.
    name: 'print-map-during-the-program',
    script: `BEGIN {
  @c["one"] = count(); @c["two"] = count(); @c["two"] = count();
  print(@c);
  @h = hist(5);
  print(@h);
  printf("between\\n");
  @c["three"] = count(); @c["three"] = count(); @c["three"] = count();
  exit();
}`,
  },
  {
    name: 'print-top-and-divisor',
    script: `BEGIN {
  @s[1] = sum(10); @s[2] = sum(35); @s[3] = sum(20); @s[4] = sum(5);
  print(@s, 2);
  print(@s, 0, 10);
  print(@s, 3, 10);
  @a[1] = avg(100); @a[2] = avg(50);
  print(@a, 1, 10);
  @h[1] = hist(2); @h[2] = hist(2); @h[2] = hist(20);
  print(@h, 1);
  @st[1] = stats(10); @st[2] = stats(20);
  print(@st);
  clear(@s); clear(@a); clear(@h); clear(@st);
  exit();
}`,
  },
  {
    // clear() too takes effect after the probe has run: the assignment after it is cleared as well.
    name: 'clear-then-assign-in-the-same-probe',
    script: 'BEGIN { @cleared[1] = 1; @cleared[2] = 2; clear(@cleared); @cleared[3] = 3; @kept = 1; exit(); }',
  },
  {
    name: 'clear-delete-zero',
    script: `BEGIN {
  @emptied[1] = count(); @emptied[2] = count(); clear(@emptied);
  @deleted[1] = sum(1); @deleted[2] = sum(2); @deleted[3] = sum(3); delete(@deleted[2]);
  @hdel[1] = hist(1); @hdel[2] = hist(2); delete(@hdel[1]);
  @zeroed = count(); @zeroed = count(); zero(@zeroed);
  @hzero[1] = hist(8); @hzero[2] = hist(100); zero(@hzero);
  @szero["k"] = stats(5); zero(@szero);
  exit();
}`,
  },
];

/** One hist() line of a corrected expectation, laid out as bpftrace 0.17 lays it out. */
function histLine(label: string, count: number, bar: number): string {
  return `${label.padEnd(16)}${String(count).padStart(8)} |${'@'.repeat(bar).padEnd(52)}|\n`;
}

/** One hist() bucket of a corrected JSON expectation. */
function histBucket(min: bigint, max: bigint, count: number): string {
  return `{"min": ${min}, "max": ${max}, "count": ${count}}`;
}

const G = 1n << 30n;

const BIG_HIST_SCRIPT = `BEGIN {
  @g = hist(2147483648); @g = hist(4294967295); @g = hist(4294967296);
  @h = hist(5000000000); @h = hist(20000000000);
  exit();
}`;

const BIG_HIST_BUG =
  'bpftrace 0.17 puts every hist() value of 2^32 or more in the [2G, 4G) bucket, and its JSON gives ' +
  'that bucket min -2147483648, max 0; 4294967296 and 5000000000 belong in [4G, 8G), 20000000000 in [16G, 32G)';

const MAX_SCRIPT =
  'BEGIN { @mx[1] = max(-5); @mx[1] = max(-9); @mx[2] = max(3); @mx[3] = max(0); @m = max(-7); @mn[1] = min(-2); exit(); }';

const MAX_OF_NEGATIVES_BUG =
  'bpftrace 0.17 leaves out every max() entry whose maximum is negative (here @mx[1] = -5 and @m = -7); ' +
  'max(-5, -9) is -5';

/** Where bpftrace 0.17 is wrong; the corrected expectations follow its layout everywhere else. */
const BUG_CASES: readonly DifferentialCase[] = [
  {
    name: 'hist-of-values-of-2g-and-more',
    script: BIG_HIST_SCRIPT,
    expectFromBpftraceBug: {
      reason: BIG_HIST_BUG,
      stdout:
        `\n\n@g: \n${histLine('[2G, 4G)', 2, 52)}${histLine('[4G, 8G)', 1, 26)}\n` +
        `@h: \n${histLine('[4G, 8G)', 1, 52)}${histLine('[8G, 16G)', 0, 0)}${histLine('[16G, 32G)', 1, 52)}\n`,
    },
  },
  {
    name: 'hist-of-values-of-2g-and-more-json',
    script: BIG_HIST_SCRIPT,
    json: true,
    expectFromBpftraceBug: {
      reason: BIG_HIST_BUG,
      stdout:
        `\n\n{"type": "hist", "data": {"@g": [${histBucket(2n * G, 4n * G - 1n, 2)}, ${histBucket(4n * G, 8n * G - 1n, 1)}]}}\n` +
        `{"type": "hist", "data": {"@h": [${histBucket(4n * G, 8n * G - 1n, 1)}, ` +
        `${histBucket(8n * G, 16n * G - 1n, 0)}, ${histBucket(16n * G, 32n * G - 1n, 1)}]}}\n`,
    },
  },
  {
    name: 'max-of-negative-values',
    script: MAX_SCRIPT,
    expectFromBpftraceBug: {
      reason: MAX_OF_NEGATIVES_BUG,
      stdout: '\n\n@m: -7\n@mn[1]: -2\n@mx[1]: -5\n@mx[3]: 0\n@mx[2]: 3\n',
    },
  },
  {
    name: 'max-of-negative-values-json',
    script: MAX_SCRIPT,
    json: true,
    expectFromBpftraceBug: {
      reason: MAX_OF_NEGATIVES_BUG,
      stdout:
        '\n\n{"type": "map", "data": {"@m": -7}}\n{"type": "map", "data": {"@mn": {"1": -2}}}\n' +
        '{"type": "map", "data": {"@mx": {"1": -5, "3": 0, "2": 3}}}\n',
    },
  },
];

export const MAP_CASES: readonly DifferentialCase[] = [
  ...TEXT_MAP_CASES.flatMap((testCase) => [testCase, { ...testCase, name: `${testCase.name}-json`, json: true }]),
  ...BUG_CASES,
];
