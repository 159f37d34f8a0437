import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { buildFixture } from '../../test/fixtures/build-fixture.js';
import { resolveLibraryPath } from '../kernel/library-path.js';
import {
  HeldChild, STATE, addContextField, createStateMap, loadCounter, readState, watchProcess,
} from '../kernel/links/kernel-test-support.js';
import { ProgramType } from '../sys/index.js';
import { defaultProviders } from './registry.js';
import { attachPoint } from './testing/fixtures.js';
import { loadTrivialProgram } from './testing/programs.js';

const registry = defaultProviders();
const uprobe = registry.expect('uprobe');
const uretprobe = registry.expect('uretprobe');
const CALLS = 5;
// uprobe-target calls bpfscope_add(i, 2 * i) for i < CALLS: the a's sum to 10, the results to 30.
const SUM_A = 10n;
const SUM_RESULT = 30n;

test('uprobe:libc:malloc resolves to libc, named by the path the linker knows it by', () => {
  const [probe] = registry.expand(attachPoint('uprobe:libc:malloc'), {});
  const path = resolveLibraryPath('libc');
  assert.equal(probe.detail.path, path);
  assert.equal(probe.detail.symbol, 'malloc');
  const match = /^uprobe:(\/.+):malloc$/.exec(probe.name);
  assert.ok(match, probe.name);
  assert.equal(realpathSync(match[1]), path);
});

test('uprobe and uretprobe programs see the arguments and return values at the context model\'s offsets', async () => {
  const path = await buildFixture('uprobe-target');
  const [entry] = registry.expand(attachPoint(`uprobe:${path}:bpfscope_add`), {});
  const [exit] = registry.expand(attachPoint(`uretprobe:${path}:bpfscope_add`), {});
  const arg0 = uprobe.context(entry).argOffset?.(0);
  const retval = uretprobe.context(exit).retvalOffset;
  assert.ok(arg0 !== undefined && retval !== undefined);
  const map = createStateMap();
  const entryProgram = loadCounter(map, { name: 'prov_uprobe', type: ProgramType.KPROBE, record: addContextField(arg0, STATE.first) });
  const exitProgram = loadCounter(map, { name: 'prov_uretprobe', type: ProgramType.KPROBE, record: addContextField(retval, STATE.second) });
  const child = await HeldChild.start(path, [String(CALLS), '--wait']);
  watchProcess(map, child.pid);
  const links = [uprobe.attach(entryProgram.fd, entry, {}), uretprobe.attach(exitProgram.fd, exit, {})];
  try {
    assert.equal(await child.release(), 0);
    assert.deepEqual(readState(map), { count: BigInt(2 * CALLS), first: SUM_A, second: SUM_RESULT });
  } finally {
    for (const link of links) link.detach();
    entryProgram.close();
    exitProgram.close();
    map.close();
  }
});

test('with a pid, only that process hits the uprobe', async () => {
  const path = await buildFixture('uprobe-target');
  // Two counters, each of one process; both probes are scoped to `scoped`.
  const scopedMap = createStateMap();
  const otherMap = createStateMap();
  const scopedProgram = loadCounter(scopedMap, { name: 'prov_up_scoped', type: ProgramType.KPROBE });
  const otherProgram = loadCounter(otherMap, { name: 'prov_up_other', type: ProgramType.KPROBE });
  const scoped = await HeldChild.start(path, [String(CALLS), '--wait']);
  const other = await HeldChild.start(path, [String(CALLS), '--wait']);
  watchProcess(scopedMap, scoped.pid);
  watchProcess(otherMap, other.pid);
  const [probe] = registry.expand(attachPoint('uprobe:bpfscope_greet'), { pid: scoped.pid });
  const links = [scopedProgram, otherProgram].map((program) => uprobe.attach(program.fd, probe, { pid: scoped.pid }));
  try {
    assert.equal(await scoped.release(), 0);
    assert.equal(await other.release(), 0);
    assert.equal(readState(scopedMap).count, BigInt(CALLS));
    assert.equal(readState(otherMap).count, 0n);
  } finally {
    for (const link of links) link.detach();
    scopedProgram.close();
    otherProgram.close();
    scopedMap.close();
    otherMap.close();
  }
});

test('a trivial program attaches to libc malloc and detaches', () => {
  const [probe] = registry.expand(attachPoint('uprobe:libc:malloc'), {});
  const program = loadTrivialProgram('prov_malloc', uprobe.programKind(probe));
  try {
    uprobe.attach(program.fd, probe, {}).detach();
  } finally {
    program.close();
  }
});
