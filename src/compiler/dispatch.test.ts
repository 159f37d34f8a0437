import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttachPoint } from '../lang/index.js';
import type { Dispatch, DispatchSplit, ProbeProvider, ProbeTarget } from '../providers/provider.js';
import { MapFlag, MapType, ProgramType } from '../sys/bpf-constants.js';
import { PROBE_SIZE } from './builtins.js';
import type { CompiledScript } from './compiled-script.js';
import { compileText, fakeProviders } from './testing/fake-providers.js';

const HOOK: ProbeTarget = { provider: 'demo', name: 'demo:hook', detail: {} };
const SELECTORS: Readonly<Record<string, number>> = { a: 1, b: 3 };

/** `demo:NAME` targets; those named in SELECTORS are served from one hook, the rest attach alone. */
const demo: ProbeProvider = {
  name: 'demo',
  aliases: [],
  expand: (point: AttachPoint) => [{ provider: 'demo', name: `demo:${point.parts[0]}`, detail: { name: point.parts[0] } }],
  programKind: () => ({ programType: ProgramType.TRACEPOINT }),
  context: () => ({ args: [], userSpace: false }),
  shareKey: () => 'demo',
  dispatch(targets): DispatchSplit {
    const served = targets.filter((target) => SELECTORS[String(target.detail.name)] !== undefined);
    const selectors = new Map(served.map((target) => [SELECTORS[String(target.detail.name)], target]));
    const dispatches: Dispatch[] = served.length < 2 ? [] : [{ hook: HOOK, kind: { programType: ProgramType.TRACEPOINT }, targets: served, selection: { offset: 8, selectors } }];
    return { dispatches, rest: dispatches.length === 0 ? targets : targets.filter((target) => !served.includes(target)) };
  },
};

function compileDemo(text: string): CompiledScript {
  return compileText(text, { providers: (name) => (name === 'demo' ? demo : fakeProviders(name)) });
}

const programTargets = (script: CompiledScript): [string[], string | undefined][] =>
  script.programs.map((program) => [program.targets.map((target) => target.name), program.hook?.name]);

test('targets the provider dispatches share one program at its hook, even when the probe uses `probe`', () => {
  const script = compileDemo('demo:a, demo:b, demo:c, demo:d { @[probe] = count(); }');
  // `probe` is a constant of every other program, so c and d get one each.
  assert.deepEqual(programTargets(script), [[['demo:a', 'demo:b'], 'demo:hook'], [['demo:c'], undefined], [['demo:d'], undefined]]);
  assert.deepEqual(programTargets(compileDemo('demo:a, demo:b, demo:c, demo:d { @ = count(); }')), [
    [['demo:a', 'demo:b'], 'demo:hook'], [['demo:c', 'demo:d'], undefined],
  ]);
  assert.deepEqual(programTargets(compileDemo('demo:a, demo:c { @[probe] = count(); }')), [[['demo:a'], undefined], [['demo:c'], undefined]]);
});

test('a dispatching program reads its targets\' names from a read-only table indexed by selector', () => {
  const script = compileDemo('demo:a, demo:b { @[probe] = count(); } demo:b, demo:a { printf("%s\\n", probe); }');
  const tables = script.maps.filter((map) => map.initial !== undefined);
  // Both probes serve the same targets by the same selectors: one table.
  assert.equal(tables.length, 1);
  const [table] = tables;
  assert.deepEqual([table.type, table.keySize, table.maxEntries, table.flags], [MapType.ARRAY, 4, 1, MapFlag.RDONLY_PROG]);
  assert.equal(table.valueSize, 4 * PROBE_SIZE);
  const [entry] = table.initial ?? [];
  assert.deepEqual(entry.key, new Uint8Array(4));
  const name = (selector: number): string => Buffer.from(entry.value.subarray(selector * PROBE_SIZE, (selector + 1) * PROBE_SIZE)).toString('latin1');
  assert.equal(name(1), 'demo:a'.padEnd(PROBE_SIZE, '\0'));
  assert.equal(name(3), 'demo:b'.padEnd(PROBE_SIZE, '\0'));
  assert.equal(name(0) + name(2), '\0'.repeat(2 * PROBE_SIZE));
  for (const program of script.programs) {
    assert.ok(program.instructions.some((insn) => insn.mapRef === table.bpfName), `${program.name} reads the table`);
  }
});

test('a hook runs at most eight programs; the targets of any more keep hooks of their own', () => {
  const probes = Array.from({ length: 10 }, (_, i) => `demo:a, demo:b { @n${i} = count(); }`).join('\n');
  const hooks = programTargets(compileDemo(probes)).map(([, hook]) => hook);
  assert.deepEqual(hooks, [...Array<string>(8).fill('demo:hook'), undefined, undefined]);
});
