import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompiledProgram, CompiledScript } from '../compiler/compiled-script.js';
import { Source } from '../lang/index.js';
import { probeLocation } from './loaded-script.js';

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
