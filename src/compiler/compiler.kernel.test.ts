// Generated programs in the real kernel: the verifier must accept them, and BEGIN programs run with
// BPF_PROG_TEST_RUN must leave exactly the expected records and map entries.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CONTROL_WORDS, EventKind } from '../abi/index.js';
import { loadKernelBtf } from '../btf/index.js';
import { Source, parse } from '../lang/index.js';
import { defaultProviders } from '../providers/index.js';
import { compile } from './index.js';
import { compileText } from './testing/fake-providers.js';
import { type EventRecord, LoadedForTest } from './testing/kernel-loader.js';

const open: LoadedForTest[] = [];
after(() => open.forEach((loaded) => loaded.close()));

/** Compiles with the fake providers, loads, runs the first program (BEGIN) once. */
function runBegin(text: string): { loaded: LoadedForTest; events: EventRecord[] } {
  const loaded = new LoadedForTest(compileText(text));
  open.push(loaded);
  loaded.run(0);
  return { loaded, events: loaded.events() };
}

function u64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
}

function s64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigInt64(offset, true);
}

function text(bytes: Uint8Array, offset: number, size: number): string {
  const slice = bytes.subarray(offset, offset + size);
  const end = slice.indexOf(0);
  return Buffer.from(end === -1 ? slice : slice.subarray(0, end)).toString('utf8');
}

/** Sum over CPUs of the u64 at `offset` in each CPU's slot of a per-CPU entry. */
function perCpuSum(loaded: LoadedForTest, map: string, key: Uint8Array, offset = 0): bigint {
  const live = loaded.userMap(map);
  const slots = live.lookupPerCpu(key);
  assert.ok(slots !== undefined, `${map} has the key`);
  return slots.reduce((sum, slot) => sum + u64(slot, offset), 0n);
}

function key(...words: bigint[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 8);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, word), true));
  return bytes;
}

describe('generated BEGIN programs', () => {
  it('printf writes its arguments and exit() follows', () => {
    const { loaded, events } = runBegin('BEGIN { printf("hello %d %s\\n", 42, "x"); exit(); printf("never\\n"); }');
    assert.deepEqual(events.map((e) => [e.kind, e.id]), [[EventKind.PRINTF, 0], [EventKind.EXIT, 0]]);
    const controlMap = loaded.script.maps.find((m) => m.name === loaded.script.controlMap);
    const control = controlMap === undefined ? undefined : loaded.map(controlMap.bpfName).lookup(new Uint8Array(4));
    assert.ok(control !== undefined, 'a script that sends records has the control map');
    assert.equal(u64(control, CONTROL_WORDS.EXIT * 8), 1n, 'exit() also sets the EXIT word, for when the ring is full');
    const printf = loaded.script.printfs[0];
    assert.equal(printf.format, 'hello %d %s\n');
    assert.equal(s64(events[0].payload, printf.layout.offsets[0]), 42n);
    assert.equal(text(events[0].payload, printf.layout.offsets[1], 2), 'x');
  });

  it('arithmetic, comparisons, variables, if/else, ternary and loops compute bpftrace values', () => {
    const { events } = runBegin(`BEGIN {
      $x = 5; $y = $x * 3 + 2;
      if ($y > 10) { $a = 1; } else { $a = 2; }
      $t = $y == 17 ? 100 : 200;
      $i = 0; while ($i < 10) { $i++; if ($i == 7) { break; } }
      unroll(3) { $i += 10; }
      printf("%d %d %d %d %d %d\\n", $y, $a, $t, $i, (1 << 40) >> 38, 7 % 3 - 10);
    }`);
    const p = events[0].payload;
    assert.deepEqual([0, 8, 16, 24, 32, 40].map((o) => s64(p, o)), [17n, 1n, 100n, 37n, 4n, -9n]);
  });

  it('divides by constants as BPF divides at run time, and bounds loops that test $i % 2', () => {
    const { events } = runBegin(`BEGIN {
      $x = (uint64)77; $sum = (uint64)0;
      while (1) { $x++; if ($x % 2 == 0) { continue; } if ($x > 85) { break; } $sum += $x; }
      printf("%lu %lu %lu %lu %lu %lu %lu\\n", $x / 0, $x % 0, 10 % 0, $x / 8, $x % 8, $x / 7, $sum);
    }`);
    const p = events[0].payload;
    assert.deepEqual([0, 8, 16, 24, 32, 40, 48].map((o) => u64(p, o)), [0n, 87n, 10n, 10n, 7n, 12n, 79n + 81n + 83n + 85n]);
  });

  it('short-circuits && and || and compares strings', () => {
    const { events } = runBegin(`BEGIN {
      $s = "abc";
      printf("%d %d %d %d %d\\n", $s == "abc", $s != "abc", "ab" == "abc", 0 && @never, 1 || @never);
      @never = 1;
    }`);
    const p = events[0].payload;
    assert.deepEqual([0, 8, 16, 24, 32].map((o) => u64(p, o)), [1n, 0n, 0n, 0n, 1n]);
  });

  it('aggregations store bpftrace values per CPU', () => {
    const { loaded } = runBegin(`BEGIN {
      @c = count(); @c = count();
      @s = sum(5); @s = sum(7);
      @mn = min(9); @mn = min(3); @mx = max(3); @mx = max(9);
      @a = avg(10); @a = avg(20); @st = stats(4);
      @h = hist(1000); @h = hist(0); @h = hist(-1); @h = hist(1 << 40); @h = hist(0x7fffffffffffffff);
      @l = lhist(55, 0, 100, 10); @l = lhist(1000, 0, 100, 10);
    }`);
    const none = key(0n);
    assert.equal(perCpuSum(loaded, '@c', none), 2n);
    assert.equal(perCpuSum(loaded, '@s', none), 12n);
    assert.equal(perCpuSum(loaded, '@mn', none), 3n);
    assert.equal(perCpuSum(loaded, '@mx', none), 9n);
    assert.deepEqual([perCpuSum(loaded, '@a', none, 0), perCpuSum(loaded, '@a', none, 8)], [2n, 30n]);
    assert.deepEqual([perCpuSum(loaded, '@st', none, 0), perCpuSum(loaded, '@st', none, 8)], [1n, 4n]);
    // hist buckets: 0 negative, 1 zero, 2 + floor(log2 n) otherwise (1000 → 11), across all 64 bits.
    for (const bucket of [11n, 1n, 0n, 42n, 64n]) assert.equal(perCpuSum(loaded, '@h', key(0n, bucket)), 1n);
    // lhist buckets: 1 + (55 - 0) / 10 = 6; above max → 1 + 100 / 10 = 11.
    for (const bucket of [6n, 11n]) assert.equal(perCpuSum(loaded, '@l', key(0n, bucket)), 1n);
  });

  it('map keys of integers, strings and tuples, and scalar map values', () => {
    const { loaded } = runBegin('BEGIN { @i[7] = 1; @s["ab"] = 2; @t[3, "x"] = 3; @v = -4; @str = "hi"; @v += 10; @n++; }');
    assert.equal(u64(loaded.userMap('@i').lookup(key(7n)) ?? new Uint8Array(8)), 1n);
    assert.equal(u64(loaded.userMap('@s').lookup(new Uint8Array([0x61, 0x62, 0])) ?? new Uint8Array(8)), 2n);
    const tupleKey = new Uint8Array(16);
    tupleKey.set(key(3n));
    tupleKey[8] = 0x78;
    assert.equal(u64(loaded.userMap('@t').lookup(tupleKey.subarray(0, 16)) ?? new Uint8Array(8)), 3n);
    assert.equal(s64(loaded.userMap('@v').lookup(key(0n)) ?? new Uint8Array(8)), 6n);
    assert.equal(text(loaded.userMap('@str').lookup(key(0n)) ?? new Uint8Array(3), 0, 3), 'hi');
    assert.equal(u64(loaded.userMap('@n').lookup(key(0n)) ?? new Uint8Array(8)), 1n);
  });

  it('delete, has_key, strncmp, strcontains and builtins', () => {
    const { events } = runBegin(`BEGIN {
      @m[5] = 1; @m[6] = 1; delete(@m[5]);
      printf("%d %d %d %d %d %d %d\\n", has_key(@m, 5), has_key(@m, 6), strncmp("abc", "abd", 2), strncmp("abc", "abd", 3),
        strcontains("hello world", "o w"), strcontains("hello", "xyz"), pid == ${process.pid});
    }`);
    const p = events[0].payload;
    assert.deepEqual([0, 8, 16, 24, 32, 40, 48].map((o) => u64(p, o)), [0n, 1n, 0n, 1n, 1n, 0n, 1n]);
  });

  it('print, clear, zero and time send their events', () => {
    const { loaded, events } = runBegin('BEGIN { @x = 1; print(@x); print(@x, 5, 2); print(7); clear(@x); zero(@x); time("%s"); }');
    const index = loaded.script.maps.findIndex((m) => m.name === '@x');
    assert.deepEqual(events.map((e) => [e.kind, e.id]), [
      [EventKind.PRINT_MAP, index], [EventKind.PRINT_MAP, index], [EventKind.PRINT_VALUE, 0],
      [EventKind.CLEAR_MAP, index], [EventKind.ZERO_MAP, index], [EventKind.TIME, 0],
    ]);
    assert.deepEqual([u64(events[1].payload, 0), u64(events[1].payload, 8)], [5n, 2n]);
    assert.equal(s64(events[2].payload), 7n);
    assert.deepEqual(loaded.script.timeFormats, ['%s']);
  });
});

describe('generated programs for kernel probes and BTF types', () => {
  const registry = defaultProviders();
  const btf = loadKernelBtf();
  const scripts = [
    'tracepoint:syscalls:sys_enter_openat { printf("%s %s %d\\n", comm, str(args->filename), args.flags); @[comm] = count(); }',
    'tracepoint:sched:sched_process_exec { printf("%s %d\\n", str(args->filename), args->pid); }',
    'tracepoint:syscalls:sys_enter_execve { join(args->argv); }',
    'tracepoint:sched:sched_switch { @[args->prev_comm] = count(); @q[args.next_pid] = sum(args.prev_state); }',
    'tracepoint:sched:sched_wakeup { @s[args->pid] = nsecs; } tracepoint:sched:sched_switch /@s[args->next_pid]/ { @lat[args->next_comm, args->next_pid] = hist(nsecs - @s[args->next_pid]); delete(@s[args->next_pid]); }',
    'rawtracepoint:sched_switch { @[arg0] = count(); }',
    'profile:hz:99 { @[kstack] = count(); @u[ustack(5)] = count(); }',
    'interval:s:1 { print(@); clear(@); } tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }',
  ];
  for (const script of scripts) {
    it(`the verifier accepts: ${script}`, () => {
      const source = new Source('test.bt', script);
      const compiled = compile(parse(source), { source, providers: (name) => registry.lookup(name), btf });
      open.push(new LoadedForTest(compiled));
    });
  }

  it('reads struct members through BTF', () => {
    const source = new Source('test.bt', 'BEGIN { printf("%d %d %s\\n", curtask->pid, ((struct task_struct *)curtask)->real_parent->tgid, curtask->comm); }');
    const loaded = new LoadedForTest(compile(parse(source), { source, providers: (name) => registry.lookup(name), btf }));
    open.push(loaded);
    loaded.run(0);
    const [event] = loaded.events();
    assert.equal(u64(event.payload, 0), BigInt(process.pid), 'curtask->pid is our thread id');
    assert.equal(u64(event.payload, 8), BigInt(process.ppid));
    assert.equal(text(event.payload, 16, 16), 'node');
  });
});
