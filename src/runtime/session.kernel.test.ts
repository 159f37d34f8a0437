import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventKind, s64, stringType, type Type } from '../abi/index.js';
import { Assembler, Helper, R1, R2, R3, R4, R6, R0, R10 } from '../asm/index.js';
import type { CompiledScript, ScriptMap } from '../compiler/compiled-script.js';
import { attachTracepoint } from '../kernel/index.js';
import { heldPython } from '../kernel/links/kernel-test-support.js';
import { linuxSys, MapType } from '../sys/index.js';
import { EVENTS_SIZE } from '../compiler/script-builder.js';
import { compile } from '../index.js';
import { createFormatter } from '../output/index.js';
import { defaultProviders } from '../providers/index.js';
import { Source } from '../lang/index.js';
import { ProbeLoadError } from './errors.js';
import { OutputWriter } from './output-writer.js';
import { Session } from './session.js';
import type { AttacherLookup } from './attachment.js';
import type { RunSummary } from './run-events.js';
import { ownedBpfObjects, stillLoaded, type OwnedObjects } from './testing/owned-objects.js';
import {
  BEGIN, END, emitRecord, formatSpec, payloadBytes, program, script, tracepoint,
} from './testing/hand-built.js';

const attachers: AttacherLookup = (provider) =>
  provider === 'tracepoint'
    ? { attach: (fd, target) => attachTracepoint(linuxSys(), { fd }, String(target.detail.category), String(target.detail.event)) }
    : undefined;

interface Captured {
  stdout: string;
  stderr: string;
  summary: RunSummary;
}

async function runCaptured(compiled: CompiledScript, format: 'text' | 'json' = 'text', during?: (session: Session) => Promise<void>): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const sink = new OutputWriter({
    formatter: createFormatter(format),
    format,
    writeOut: (text) => { stdout += text; },
    writeErr: (text) => { stderr += text; },
  });
  const session = Session.load(compiled, { sink, attachers });
  session.start();
  const running = session.run();
  if (during) {
    await during(session);
    session.stop();
  }
  const summary = await running;
  return { stdout, stderr, summary };
}

function scalarMap(name: string, bpfName: string, type: Type): ScriptMap {
  return { name, bpfName, type: MapType.HASH, keySize: 8, valueSize: 8, maxEntries: 1, flags: 0, keyType: null, value: { kind: 'scalar', type } };
}

/** `@map = value` for a map without keys (key u64 0). Clobbers R0–R4. */
function storeScalar(b: Assembler, bpfName: string, value: number): void {
  b.st('dw', R10, -8, 0).st('dw', R10, -16, value);
  b.ldMap(R1, bpfName).mov64(R2, R10).add64(R2, -8).mov64(R3, R10).add64(R3, -16).mov64(R4, 0).call(Helper.map_update_elem);
}

const HELLO = formatSpec('hello %d %s\n', [s64, stringType(8)]);
const BYE = formatSpec('bye\n', []);

/** BEGIN { @a = 7; printf("hello %d %s\n", 42, "abc"); exit(); } END { printf("bye\n"); } */
function helloScript(): CompiledScript {
  return script({
    maps: [scalarMap('@a', 'a', s64)],
    printfs: [HELLO, BYE],
    programs: [
      program('BEGIN', 0, [BEGIN], (b) => {
        storeScalar(b, 'a', 7);
        emitRecord(b, EventKind.PRINTF, 0, payloadBytes([{ s64: 42 }, { string: 'abc', size: 8 }]));
        emitRecord(b, EventKind.EXIT, 0);
      }),
      program('END', 1, [END], (b) => {
        emitRecord(b, EventKind.PRINTF, 1);
      }),
    ],
  });
}

describe('Session', () => {
  it('runs BEGIN, stops at exit(), runs END and dumps the maps as bpftrace does', async () => {
    const { stdout, stderr, summary } = await runCaptured(helloScript());
    assert.equal(stdout, 'hello 42 abc\nbye\n\n\n@a: 7\n');
    assert.equal(stderr, 'Attaching 2 probes...\n');
    assert.deepEqual(summary, { reason: 'exit', lost: 0n, undecodable: 0 });
  });

  it('writes the same run as bpftrace NDJSON', async () => {
    const { stdout, stderr } = await runCaptured(helloScript(), 'json');
    assert.equal(stdout, [
      '{"type": "attached_probes", "data": {"probes": 2}}',
      '{"type": "printf", "data": "hello 42 abc\\n"}',
      '{"type": "printf", "data": "bye\\n"}',
      '',
      '',
      '{"type": "map", "data": {"@a": 7}}',
      '',
    ].join('\n'));
    assert.equal(stderr, '');
  });

  it('drops the records after exit()\'s until END, as bpftrace 0.17 does, without counting them lost', async () => {
    // Another event's records land after the EXIT record in the ring: they print nothing and
    // clear no map, while END still prints and the maps are still dumped.
    const compiled = script({
      maps: [scalarMap('@a', 'a', s64)],
      printfs: [HELLO, BYE],
      programs: [
        program('BEGIN', 0, [BEGIN], (b) => {
          storeScalar(b, 'a', 7);
          emitRecord(b, EventKind.PRINTF, 0, payloadBytes([{ s64: 1 }, { string: 'first', size: 8 }]));
          emitRecord(b, EventKind.EXIT, 0);
          emitRecord(b, EventKind.PRINTF, 0, payloadBytes([{ s64: 2 }, { string: 'second', size: 8 }]));
          emitRecord(b, EventKind.CLEAR_MAP, 2);
          emitRecord(b, EventKind.TIME, 0);
        }),
        program('END', 1, [END], (b) => {
          emitRecord(b, EventKind.PRINTF, 1);
        }),
      ],
      timeFormats: ['%H:%M:%S\n'],
    });
    const { stdout, stderr, summary } = await runCaptured(compiled);
    assert.equal(stdout, 'hello 1 first\nbye\n\n\n@a: 7\n');
    assert.equal(stderr, 'Attaching 2 probes...\n');
    assert.deepEqual(summary, { reason: 'exit', lost: 0n, undecodable: 0 });
  });

  it('prints a map on print() and empties it on clear()', async () => {
    const compiled = script({
      maps: [scalarMap('@a', 'a', s64)],
      programs: [program('BEGIN', 0, [BEGIN], (b) => {
        storeScalar(b, 'a', 7);
        emitRecord(b, EventKind.PRINT_MAP, 2, payloadBytes([{ u64: 0 }, { u64: 0 }]));
        emitRecord(b, EventKind.CLEAR_MAP, 2);
        emitRecord(b, EventKind.EXIT, 0);
      })],
    });
    const { stdout } = await runCaptured(compiled);
    assert.equal(stdout, '@a: 7\n\n\n\n');
  });

  it('counts a tracepoint per CPU and prints the exact total of a child that made 25 calls', async () => {
    const child = await heldPython('for _ in range(25): os.getppid()');
    const count: ScriptMap = {
      name: '@', bpfName: 'count', type: MapType.PERCPU_HASH, keySize: 8, valueSize: 8, maxEntries: 1,
      flags: 0, keyType: null, value: { kind: 'count' },
    };
    // tracepoint:syscalls:sys_enter_getppid /pid == CHILD/ { @ = count(); }
    const compiled = script({
      maps: [count],
      programs: [program('getppid', 0, [tracepoint('syscalls', 'sys_enter_getppid')], (b) => {
        b.call(Helper.get_current_pid_tgid).rsh64(R0, 32).jmp('ne', R0, child.pid, 'out');
        b.st('dw', R10, -8, 0).ldMap(R1, 'count').mov64(R2, R10).add64(R2, -8).call(Helper.map_lookup_elem);
        b.jmp('eq', R0, 0, 'first').ldx('dw', R1, R0, 0).add64(R1, 1).stx('dw', R0, 0, R1).ja('out');
        b.label('first').st('dw', R10, -16, 1);
        b.ldMap(R1, 'count').mov64(R2, R10).add64(R2, -8).mov64(R3, R10).add64(R3, -16).mov64(R4, 0).call(Helper.map_update_elem);
        b.label('out');
      })],
    });
    let owned: OwnedObjects = { programs: [], links: [] };
    const { stdout, stderr, summary } = await runCaptured(compiled, 'text', async () => {
      owned = ownedBpfObjects();
      assert.equal(await child.release(), 0);
    });
    assert.equal(stderr, 'Attaching 1 probe...\n');
    assert.equal(stdout, '\n\n@: 25\n');
    assert.equal(summary.reason, 'stopped');
    assert.ok(owned.programs.length === 1 && owned.links.length === 1, 'the program was loaded and linked during the run');
    assert.deepEqual(await stillLoaded(owned), { programs: [], links: [] });
  });

  it('reports every record the ring buffer refused, and delivers the rest', async () => {
    const SENT = 200;
    const small: ScriptMap = { ...script({ programs: [] }).maps[0], maxEntries: 4096 };
    const tick = formatSpec('%d\n', [s64]);
    const compiled = script({
      printfs: [tick],
      programs: [program('BEGIN', 0, [BEGIN], (b) => {
        for (let i = 0; i < SENT; i++) emitRecord(b, EventKind.PRINTF, 0, payloadBytes([{ s64: i }]));
      })],
    });
    const withSmallRing = { ...compiled, maps: [small, ...compiled.maps.slice(1)] };
    // BEGIN has run by the time start() returns, so every record is in the ring (or lost) already.
    const { stdout, stderr, summary } = await runCaptured(withSmallRing, 'text', async () => undefined);
    const delivered = stdout.split('\n').filter((line) => /^\d+$/.test(line)).length;
    assert.ok(summary.lost > 0n, 'a 4 KiB ring cannot hold 200 records');
    assert.equal(BigInt(delivered) + summary.lost, BigInt(SENT));
    assert.equal(stderr, `Attaching 1 probe...\nLost ${summary.lost} events\n`);
  });

  it('ends at an exit() whose record found the ring full, and reports every record lost', { timeout: 60_000 }, async () => {
    // 24-byte records (header, one u64) fill the ring to 15 bytes of its end: the 16-byte EXIT record
    // cannot fit, so only the EXIT control word can end the run.
    const calls = Math.floor(EVENTS_SIZE / 24) + 20_000;
    const child = await heldPython(`for _ in range(${calls}): os.getppid()`);
    const compiled = compile(`tracepoint:syscalls:sys_enter_getppid /pid == ${child.pid}/ {
      @n++; printf("%d\\n", @n); if (@n == ${calls}) { exit(); }
    }`);
    const registry = defaultProviders();
    let stdout = '';
    let stderr = '';
    const sink = new OutputWriter({
      formatter: createFormatter('text'),
      format: 'text',
      writeOut: (text) => { stdout += text; },
      writeErr: (text) => { stderr += text; },
    });
    const session = Session.load(compiled, { sink, attachers: (name) => registry.lookup(name) });
    let summary: RunSummary;
    try {
      session.start();
      // Nobody reads while the child makes every call.
      assert.equal(await child.release(), 0);
      summary = await session.run();
    } finally {
      session.close();
    }
    const delivered = stdout.split('\n').filter((line) => /^\d+$/.test(line)).length;
    assert.equal(summary.reason, 'exit');
    assert.ok(summary.lost > 0n, 'the ring overflowed');
    assert.equal(BigInt(delivered) + summary.lost, BigInt(calls));
    assert.match(stdout, new RegExp(`@n: ${calls}\n$`));
    assert.equal(stderr, `Attaching 1 probe...\nLost ${summary.lost} events\n`);
  });

  it('names the probe, quotes the verifier and locates the probe in the script when a program is rejected', () => {
    const source = new Source('x.bt', 'tracepoint:syscalls:sys_enter_getppid { }');
    const bad = program('bad', 0, [tracepoint('syscalls', 'sys_enter_getppid')], (b) => {
      b.ldx('dw', R6, R10, 8); // reads past the top of the stack
    });
    const compiled = script({ source, programs: [{ ...bad, targetSpans: [{ start: 0, end: 37 }] }] });
    const sink = { event: () => undefined, flush: () => undefined };
    assert.throws(() => Session.load(compiled, { sink, attachers }), (error: Error) => {
      assert.ok(error instanceof ProbeLoadError);
      assert.match(error.message, /^the kernel's verifier rejected tracepoint:syscalls:sys_enter_getppid \(EACCES\):\n/);
      assert.match(error.details.join('\n'), /invalid read from stack|invalid stack/);
      assert.deepEqual(error.location, { source, span: { start: 0, end: 37 } });
      return true;
    });
  });
});
