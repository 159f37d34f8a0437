// `for ($kv : @map)` and len(@map) through the CLI, BEGIN-only and deterministic. bpftrace 0.17 has
// neither (both came with bpftrace 0.21), so there is no recording to compare with: each expected
// output is computed by hand, in the differential suite's form: exact stdout, with the maps printed at
// exit as bpftrace prints them (sorted by value; keyed maps without blank lines between them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-process.js';

interface Case {
  readonly name: string;
  readonly script: string;
  readonly stdout: string;
}

const CASES: readonly Case[] = [
  {
    name: 'len() after inserts and deletes',
    script: 'BEGIN { $i = 0; while ($i < 25) { @m[$i] = $i; $i++; } delete(@m[3]); delete(@m[24]); '
      + '@k["a"] = count(); @k["b"] = count(); @k["a"] = count(); printf("%d %d\\n", len(@m), len(@k)); exit(); }',
    stdout: `23 2\n\n\n@k[b]: 1\n@k[a]: 2\n${[0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23].map((k) => `@m[${k}]: ${k}\n`).join('')}`,
  },
  {
    name: 'a loop sums keys and values exactly',
    // 1 + … + 6 = 21; 1² + … + 6² = 91.
    script: 'BEGIN { $i = 1; while ($i <= 6) { @sq[$i] = $i * $i; $i++; } $n = 0; $k = 0; $v = 0; '
      + 'for ($kv : @sq) { $n++; $k += $kv.0; $v += $kv.1; } printf("%d %d %d\\n", $n, $k, $v); exit(); }',
    stdout: '6 21 91\n\n\n@sq[1]: 1\n@sq[2]: 4\n@sq[3]: 9\n@sq[4]: 16\n@sq[5]: 25\n@sq[6]: 36\n',
  },
  {
    name: 'several keys, continue and break, a map written in the body',
    // Values 10, 20, 30: one is skipped, the others add their second key (2 + 3); the second loop stops after two.
    script: 'BEGIN { @p["a", 1] = 10; @p["b", 2] = 20; @p["c", 3] = 30; $skipped = 0; $sum = 0; '
      + 'for ($kv : @p) { if ($kv.1 < 20) { $skipped++; continue; } $sum += $kv.0.1; @names[$kv.0.0] = $kv.0.1; } '
      + '$seen = 0; for ($kv : @p) { $seen++; if ($seen == 2) { break; } } printf("%d %d %d\\n", $skipped, $sum, $seen); exit(); }',
    stdout: '1 5 2\n\n\n@names[b]: 2\n@names[c]: 3\n@p[a, 1]: 10\n@p[b, 2]: 20\n@p[c, 3]: 30\n',
  },
  {
    name: 'nested loops share the probe variables',
    // (1 + 2) · (10 + 20 + 30) = 180 over 2 · 3 inner passes.
    script: 'BEGIN { @a[1] = 1; @a[2] = 2; @b[10] = 10; @b[20] = 20; @b[30] = 30; $t = 0; $n = 0; '
      + 'for ($x : @a) { for ($y : @b) { $t += $x.1 * $y.1; $n++; } } printf("%d %d\\n", $t, $n); exit(); }',
    stdout: '180 6\n\n\n@a[1]: 1\n@a[2]: 2\n@b[10]: 10\n@b[20]: 20\n@b[30]: 30\n',
  },
  {
    name: 'exit() in a loop body ends the loop and the probe',
    script: 'BEGIN { @m[1] = 1; @m[2] = 2; for ($kv : @m) { printf("once\\n"); exit(); } printf("never\\n"); }',
    stdout: 'once\n\n\n@m[1]: 1\n@m[2]: 2\n',
  },
];

describe('map iteration through the CLI', () => {
  for (const { name, script, stdout } of CASES) {
    it(name, async () => {
      const result = await runCli('-e', script);
      assert.equal(result.stderr, 'Attaching 1 probe...\n');
      assert.equal(result.status, 0);
      assert.equal(result.stdout, stdout);
    });
  }
});
