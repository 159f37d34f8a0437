import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompiledProgram, CompiledScript, ScriptMap } from '../compiler/compiled-script.js';
import { EVENTS_RING } from '../compiler/index.js';
import { BpfMap } from '../kernel/index.js';
import { Source } from '../lang/index.js';
import { FakeSys, MapType } from '../sys/index.js';
import { LoadedScript, probeLocation } from './loaded-script.js';

const text = 'tracepoint:a:one,\n  tracepoint:a:two { }';
const targets = [{ provider: 'tracepoint', name: 'tracepoint:a:one', detail: {} }, { provider: 'tracepoint', name: 'tracepoint:a:two', detail: {} }];
const program = { targets, targetSpans: [{ start: 0, end: 16 }, { start: 20, end: 36 }] } as unknown as CompiledProgram;
const script = { source: new Source('x.bt', text) } as CompiledScript;

test('a target is located at its own attach point', () => {
  assert.deepEqual(probeLocation(script, program, targets[1])?.span, { start: 20, end: 36 });
});

test('a whole program, or a hook serving its targets, spans every attach point it serves', () => {
  const hook = { provider: 'tracepoint', name: 'tracepoint:raw_syscalls:sys_enter', detail: {} };
  assert.deepEqual(probeLocation(script, program)?.span, { start: 0, end: 36 });
  assert.deepEqual(probeLocation(script, program, hook)?.span, { start: 0, end: 36 });
});

test('nothing is located without the source or the spans', () => {
  assert.equal(probeLocation({} as CompiledScript, program), undefined);
  assert.equal(probeLocation(script, { targets } as unknown as CompiledProgram), undefined);
});

test('premade maps: one the script declares alike is used instead of being created; the others are closed', () => {
  const internal = { keyType: null, value: null };
  const events: ScriptMap = { ...EVENTS_RING, name: '.events', ...internal };
  const lost: ScriptMap = { name: '.lost', bpfName: 'lost', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, ...internal };
  const sys = new FakeSys();
  const made = (spec: ScriptMap): BpfMap => BpfMap.create({ ...spec, type: spec.type as MapType, name: spec.bpfName }, sys);
  const ring = made(events);
  const unused = made({ ...lost, bpfName: 'spare' });
  const resized = made({ ...lost, valueSize: 16 });
  const creates = (): number => sys.calls.filter((call) => call.syscall === 'bpf(MAP_CREATE)').length;
  const before = creates();
  const loaded = LoadedScript.load({ maps: [events, lost], programs: [] } as unknown as CompiledScript, {
    sys, premade: new Map([['events', ring], ['spare', unused], ['lost', resized]]),
  });
  assert.equal(loaded.map(events), ring);
  assert.notEqual(loaded.map(lost), resized, 'made to another spec');
  assert.equal(creates() - before, 1);
  assert.deepEqual([...sys.openFds].sort(), [ring.fd, loaded.map(lost).fd].sort());
  loaded.close();
  assert.deepEqual([...sys.openFds], []);
});
