// for loops and len() in the real kernel: the programs, with their callbacks and program BTF, load;
// BEGIN run once with BPF_PROG_TEST_RUN prints exactly the values computed by hand.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EventKind } from '../abi/index.js';
import { possibleCpus } from '../kernel/index.js';
import { compileText } from './testing/fake-providers.js';
import { type EventRecord, LoadedForTest } from './testing/kernel-loader.js';

const open: LoadedForTest[] = [];
after(() => open.forEach((loaded) => loaded.close()));

/** Runs BEGIN once; returns its events. */
function runBegin(text: string): EventRecord[] {
  const loaded = new LoadedForTest(compileText(text));
  open.push(loaded);
  loaded.run(0);
  return loaded.events();
}

/** The signed 64-bit words of each printf record (every argument here is an integer). */
function printed(events: readonly EventRecord[]): bigint[][] {
  return events.filter((e) => e.kind === EventKind.PRINTF).map((e) => {
    const view = new DataView(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength);
    return Array.from({ length: e.payload.byteLength / 8 }, (_, i) => view.getBigInt64(i * 8, true));
  });
}

describe('len()', () => {
  it('counts the entries after N inserts, and again after deletes', () => {
    const events = runBegin(`BEGIN {
      $i = 0; while ($i < 100) { @m[$i * 3] = $i; $i++; }
      $before = len(@m);
      $i = 0; while ($i < 40) { delete(@m[$i * 3]); $i++; }
      @one = 5; @c["x"] = count(); @c["y"] = count();
      printf("%d %d %d %d\\n", $before, len(@m), len(@one), len(@c));
    }`);
    assert.deepEqual(printed(events), [[100n, 60n, 1n, 2n]]);
  });
});

describe('for ($kv : @map)', () => {
  it('visits every entry once with its key and value', () => {
    const events = runBegin(`BEGIN {
      $i = 1; while ($i <= 50) { @sq[$i] = $i * $i; $i++; }
      $n = 0; $keys = 0; $values = 0;
      for ($kv : @sq) { $n++; $keys += $kv.0; $values += $kv.1; }
      printf("%d %d %d\\n", $n, $keys, $values);
    }`);
    // 1 + … + 50 = 1275; 1² + … + 50² = 50·51·101/6 = 42925.
    assert.deepEqual(printed(events), [[50n, 1275n, 42925n]]);
  });

  it('splits several keys into a nested tuple and reads aggregations', () => {
    const events = runBegin(`BEGIN {
      @t["a", 1] = 10; @t["bb", 2] = 20; @t["ccc", 3] = 30;
      @c[7] = count(); @c[7] = count(); @c[9] = count(); @s[1] = sum(-5); @s[2] = sum(12);
      $k = 0; $v = 0; $long = 0;
      for ($kv : @t) { $k += $kv.0.1; $v += $kv.1; if ($kv.0.0 == "ccc") { $long = $kv.0.1; } }
      $counted = 0; for ($kv : @c) { $counted += $kv.0 * $kv.1; }
      $summed = 0; for ($kv : @s) { $summed += $kv.1; }
      printf("%d %d %d %d %d\\n", $k, $v, $long, $counted, $summed);
    }`);
    assert.deepEqual(printed(events), [[6n, 60n, 3n, 7n * 2n + 9n, 7n]]);
  });

  it('adds count() and sum() up over every CPU', () => {
    // END gives the maps their kinds; the per-CPU slots are written from here, one value per CPU.
    const loaded = new LoadedForTest(compileText(`BEGIN {
      $c = 0; $s = 0; for ($kv : @c) { $c = $kv.1; } for ($kv : @s) { $s = $kv.1; }
      printf("%d %d\\n", $c, $s);
    } END { @c[1] = count(); @s[1] = sum(-1); }`));
    open.push(loaded);
    const word = (value: bigint): Uint8Array => new Uint8Array(new BigInt64Array([value]).buffer);
    const cpus = Array.from({ length: possibleCpus() }, (_, cpu) => BigInt(cpu));
    loaded.userMap('@c').updatePerCpu(word(1n), cpus.map((cpu) => word(cpu + 1n)));
    loaded.userMap('@s').updatePerCpu(word(1n), cpus.map((cpu) => word(cpu % 2n === 0n ? -10n : 3n)));
    loaded.run(0);
    const expected = [
      cpus.reduce((sum, cpu) => sum + cpu + 1n, 0n),
      cpus.reduce((sum, cpu) => sum + (cpu % 2n === 0n ? -10n : 3n), 0n),
    ];
    assert.deepEqual(printed(loaded.events()), [expected]);
  });

  it('continue skips the rest of the body, break ends the loop, and the body writes maps', () => {
    const events = runBegin(`BEGIN {
      $i = 0; while ($i < 10) { @m[$i] = $i; $i++; }
      $odd = 0; for ($kv : @m) { if ($kv.0 % 2 == 0) { continue; } $odd += $kv.1; @copy[$kv.0] = $kv.1 * 10; }
      $seen = 0; for ($kv : @m) { $seen++; if ($seen == 3) { break; } }
      printf("%d %d %d\\n", $odd, $seen, len(@copy));
    }`);
    assert.deepEqual(printed(events), [[25n, 3n, 5n]]);
  });

  it("nests, each body reaching the probe's variables", () => {
    const events = runBegin(`BEGIN {
      @a[1] = 1; @a[2] = 2; @b[10] = 10; @b[20] = 20; @b[30] = 30;
      $total = 0; $inner = 0;
      for ($x : @a) { for ($y : @b) { $total += $x.1 * $y.1; $inner++; } }
      printf("%d %d\\n", $total, $inner);
    }`);
    assert.deepEqual(printed(events), [[180n, 6n]]);
  });

  it('exit() in the body ends the loop and the probe', () => {
    const events = runBegin('BEGIN { @m[1] = 1; @m[2] = 2; @m[3] = 3; for ($kv : @m) { printf("%d\\n", 1); exit(); } printf("%d\\n", 2); }');
    assert.deepEqual(events.map((e) => e.kind), [EventKind.PRINTF, EventKind.EXIT]);
    assert.deepEqual(printed(events), [[1n]]);
  });

  it('works when the probe needs a scratch area beyond the stack', () => {
    const long = 'x'.repeat(300);
    const events = runBegin(`BEGIN {
      $s = "${long}"; @m[1] = "${long}"; @m[2] = "y";
      $n = 0; for ($kv : @m) { if ($kv.1 == $s) { $n += 100; } $n += $kv.0; }
      printf("%d\\n", $n);
    }`);
    assert.deepEqual(printed(events), [[103n]]);
  });
});
