import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { disassemble } from '../asm/index.js';
import { EVENT_HEADER_SIZE, typeName } from '../abi/index.js';
import { MapType, ProgramType } from '../sys/bpf-constants.js';
import { CompileError, DiagnosticCode, Source, parse } from '../lang/index.js';
import { dumpScript } from './index.js';
import { compileText } from './testing/fake-providers.js';

describe('compile', () => {
  it('describes user maps with their storage kinds and kernel names', () => {
    const script = compileText(`BEGIN {
      @c = count(); @[comm, pid] = sum(1); @h = hist(1); @l[tid] = lhist(1, 0, 100, 10); @m = min(1); @s = "str";
    }`);
    const rows = script.maps.map((m) => [m.name, m.bpfName, m.type, m.keySize, m.valueSize, m.keyType && typeName(m.keyType), m.value?.kind]);
    assert.deepEqual(rows, [
      ['@c', 'm0_c', MapType.PERCPU_HASH, 8, 8, null, 'count'],
      ['@', 'm1_anon', MapType.PERCPU_HASH, 24, 8, '(string[16], uint64)', 'sum'],
      ['@h', 'm2_h', MapType.PERCPU_HASH, 16, 8, null, 'hist'],
      ['@l', 'm3_l', MapType.PERCPU_HASH, 16, 8, 'uint64', 'lhist'],
      ['@m', 'm4_m', MapType.PERCPU_HASH, 8, 16, null, 'min'],
      ['@s', 'm5_s', MapType.HASH, 8, 4, null, 'scalar'],
      ['.events', 'events', MapType.RINGBUF, 0, 0, null, undefined],
      ['.lost', 'lost', MapType.PERCPU_ARRAY, 4, 8, null, undefined],
    ]);
    assert.equal(script.eventsMap, '.events');
    assert.equal(script.lostMap, '.lost');
  });

  it('tells onMaps the script\'s own maps, once, before code generation adds the internal ones', () => {
    const told: string[][] = [];
    const script = compileText('BEGIN { @c = count(); @[pid] = sum(1); printf("x\\n"); }', { onMaps: (maps) => told.push(maps.map((m) => m.bpfName)) });
    assert.deepEqual(told, [['m0_c', 'm1_anon']]);
    assert.deepEqual(script.maps.slice(0, 2).map((m) => m.bpfName), ['m0_c', 'm1_anon']);
  });

  it('lays out printf arguments as stored values', () => {
    const script = compileText('BEGIN { printf("%s %d %s\\n", comm, (uint8)1, "xyz"); printf("%s %d %s\\n", comm, (uint8)1, "xyz"); }');
    assert.equal(script.printfs.length, 2, 'each call site has its own id');
    const [spec] = script.printfs;
    assert.deepEqual(spec.args.map(typeName), ['string[16]', 'uint64', 'string[4]']);
    assert.deepEqual(spec.layout, { offsets: [0, 16, 24], size: 32 });
    assert.equal(EVENT_HEADER_SIZE, 8);
  });

  it('makes one program per group with the provider program type', () => {
    const script = compileText('BEGIN { exit(); } tracepoint:syscalls:sys_enter_openat, rawtracepoint:sched_switch { @ = count(); }');
    assert.deepEqual(script.programs.map((p) => [p.name, p.probeIndex, p.programType, p.targets.map((t) => t.name)]), [
      ['BEGIN', 0, ProgramType.RAW_TRACEPOINT, ['BEGIN']],
      ['tr_sys_enter_op', 1, ProgramType.TRACEPOINT, ['tracepoint:syscalls:sys_enter_openat']],
      ['ra_sched_switch', 1, ProgramType.RAW_TRACEPOINT, ['rawtracepoint:sched_switch']],
    ]);
  });

  it('locates each target at the attach point that first named it', () => {
    const text = 'BEGIN { exit(); }\nt:sched:*, tracepoint:*:sys_enter_*, tracepoint:*:sys_enter_openat { @ = count(); }';
    const script = compileText(text);
    assert.equal(script.source?.text, text);
    const located = script.programs.map((p) => p.targets.map((t, i) => [t.name, text.slice(p.targetSpans?.[i]?.start, p.targetSpans?.[i]?.end)]));
    assert.deepEqual(located, [
      [['BEGIN', 'BEGIN']],
      [['tracepoint:sched:sched_process_exec', 't:sched:*'], ['tracepoint:syscalls:sys_enter_openat', 'tracepoint:*:sys_enter_*']],
    ]);
  });

  it('marks scripts that use unsafe functions', () => {
    assert.equal(compileText('BEGIN { system("true"); }', { unsafe: true }).unsafe, true);
    assert.equal(compileText('BEGIN { exit(); }').unsafe, false);
  });

  it('records the tables that decode events', () => {
    const script = compileText('BEGIN { time(); time("%s"); print(1); join((uint64)0, ","); printf("%s\\n", strftime("%H", nsecs)); }');
    assert.deepEqual(script.timeFormats, ['%H:%M:%S\n', '%s']);
    assert.deepEqual(script.printedValues, [{ kind: 'int', bits: 64, signed: true }]);
    assert.deepEqual(script.joins.map((j) => j.delimiter), [',']);
    assert.deepEqual(script.printfs[0].args, [{ kind: 'timestamp', format: '%H' }]);
  });

  it('gives a per-CPU scratch area only to programs whose values overflow the stack', () => {
    const strings = (count: number, length: number): string => Array.from({ length: count }, (_, i) => `str("${i}", ${length})`).join(', ');
    const script = compileText(`BEGIN { @small[comm] = count(); } END { @big[${strings(9, 63)}] = count(); }`);
    const scratch = script.maps.filter((m) => m.name.startsWith('.scratch'));
    assert.deepEqual(scratch.map((m) => [m.bpfName, m.type, m.keySize, m.maxEntries]), [['scratch0', MapType.PERCPU_ARRAY, 4, 1]]);
    assert.doesNotMatch(disassemble(script.programs[0].instructions), /scratch/);
    assert.match(disassemble(script.programs[1].instructions), /r1 = map\[scratch0\]/);
    assert.throws(() => compileText(`BEGIN { @huge[${strings(40, 1023)}] = count(); }`), (caught) =>
      caught instanceof CompileError && caught.diagnostics.length === 1 && caught.diagnostics[0].code === DiagnosticCode.StackLimit &&
      /more than 512 bytes of BPF stack and 32768 bytes of scratch space/.test(caught.diagnostics[0].message));
  });

  it('dumps the typed tables and the disassembly', () => {
    const text = 'BEGIN { @x = count(); }';
    const script = compileText(text);
    const program = parse(new Source('t.bt', text));
    assert.match(dumpScript('ir', program, script), /^map 0 @x \(m0_x\) type 5 key - \[8\] value count \[8\] max 1$/m);
    assert.match(dumpScript('asm', program, script), /^; BEGIN: BEGIN\n0: \(7a\) \*\(u64 \*\)\(r10 -16\) = 0$/m);
  });

  it('saves the context only for programs that read it, and writes each key byte once', () => {
    const text = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); @f[args.flags, comm] = count(); }';
    const asm = dumpScript('asm', parse(new Source('t.bt', text)), compileText(text));
    assert.match(asm, /^0: \(7b\) \*\(u64 \*\)\(r10 -8\) = r1$/m, 'args needs the context');
    const plain = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }';
    const first = dumpScript('asm', parse(new Source('t.bt', plain)), compileText(plain)).split('\n')[1];
    assert.equal(first, '0: (bf) r1 = r10', 'no context store and no zeroing before get_current_comm');
  });
});

/** Golden disassembly: refresh with UPDATE_GOLDEN=1 after an intended change to code generation. */
describe('golden disassembly', () => {
  const goldens: readonly [string, string][] = [
    ['count', 'BEGIN { @x = count(); }'],
    ['predicate-printf', 'tracepoint:syscalls:sys_enter_openat /pid > 1/ { printf("%d\\n", args.flags); }'],
  ];
  for (const [name, text] of goldens) {
    it(name, () => {
      const path = new URL(`./testdata/${name}.golden`, import.meta.url);
      const actual = `${text}\n${compileText(text).programs.map((p) => disassemble(p.instructions)).join('\n')}\n`;
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
      assert.equal(actual, readFileSync(path, 'utf8'));
    });
  }
});
