import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ProgramType, linuxSys } from '../../sys/index.js';
import { buildFixture } from '../../../test/fixtures/build-fixture.js';
import { tracefsRoot } from '../tracefs.js';
import { attachUprobe } from './uprobe-link.js';
import { listBpfscopeEntries } from './probe-events.js';
import {
  HeldChild, STATE, addContextField, createStateMap, loadCounter, readState, watchProcess, type CounterProgram,
} from './kernel-test-support.js';

const sys = linuxSys();
const CALLS = 5;
// bpfscope_add(i, 2 * i) for i < CALLS: the sums of a, b and of the return values a + b.
const SUM_A = 10n;
const SUM_B = 20n;
const SUM_RESULT = 30n;
// struct pt_regs on x86_64: the first two arguments and the return value.
const REGS = { di: 112, si: 104, ax: 80 };

const entryProgram: CounterProgram = {
  name: 'uprobe_add',
  type: ProgramType.KPROBE,
  record: (b) => {
    addContextField(REGS.di, STATE.first)(b);
    addContextField(REGS.si, STATE.second)(b);
  },
};
const returnProgram: CounterProgram = { name: 'uretprobe_add', type: ProgramType.KPROBE, record: addContextField(REGS.ax, STATE.first) };

function startTarget(path: string): Promise<HeldChild> {
  return HeldChild.start(path, [String(CALLS), '--wait']);
}

const x64Only = { skip: process.arch !== 'x64' && 'the pt_regs offsets used are the x86_64 ones' };

test('a uprobe sees the arguments of every call of a function', x64Only, async () => {
  const path = await buildFixture('uprobe-target');
  const map = createStateMap();
  const program = loadCounter(map, entryProgram);
  const child = await startTarget(path);
  watchProcess(map, child.pid);
  const link = attachUprobe(sys, program, { path, symbol: 'bpfscope_add' });
  try {
    assert.equal(link.kind, 'uprobe');
    assert.equal(link.description, `uprobe:${path}:bpfscope_add`);
    assert.equal(await child.release(), 0);
    assert.deepEqual(readState(map), { count: BigInt(CALLS), first: SUM_A, second: SUM_B });
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('a uretprobe sees the return value of every call', x64Only, async () => {
  const path = await buildFixture('uprobe-target');
  const map = createStateMap();
  const program = loadCounter(map, returnProgram);
  const child = await startTarget(path);
  watchProcess(map, child.pid);
  const link = attachUprobe(sys, program, { path, symbol: 'bpfscope_add' }, { retprobe: true });
  try {
    assert.equal(link.kind, 'uretprobe');
    assert.equal(await child.release(), 0);
    assert.deepEqual(readState(map), { count: BigInt(CALLS), first: SUM_RESULT, second: 0n });
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('a uprobe scoped to one process does not fire in another running the same binary', x64Only, async () => {
  const path = await buildFixture('uprobe-target');
  const map = createStateMap();
  const program = loadCounter(map, entryProgram);
  const scoped = await startTarget(path);
  const other = await startTarget(path);
  const link = attachUprobe(sys, program, { path, symbol: 'bpfscope_add' }, { pid: scoped.pid });
  try {
    watchProcess(map, other.pid);
    assert.equal(await other.release(), 0);
    assert.equal(readState(map).count, 0n);
    watchProcess(map, scoped.pid);
    assert.equal(await scoped.release(), 0);
    assert.deepEqual(readState(map), { count: BigInt(CALLS), first: SUM_A, second: SUM_B });
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('without the uprobe PMU, a uprobe_events entry is used and removed on detach', x64Only, async () => {
  const path = await buildFixture('uprobe-target');
  const root = tracefsRoot();
  const map = createStateMap();
  const program = loadCounter(map, returnProgram);
  const child = await startTarget(path);
  watchProcess(map, child.pid);
  const before = listBpfscopeEntries(root, 'uprobe_events');
  const link = attachUprobe(sys, program, { path, symbol: 'bpfscope_add' }, { retprobe: true, pmu: () => undefined });
  try {
    const added = listBpfscopeEntries(root, 'uprobe_events').filter((event) => !before.includes(event));
    assert.equal(added.length, 1);
    assert.match(added[0] ?? '', new RegExp(`^uprobes/bpfscope_${process.pid}_\\d+$`));
    assert.equal(await child.release(), 0);
    assert.deepEqual(readState(map), { count: BigInt(CALLS), first: SUM_RESULT, second: 0n });
  } finally {
    link.detach();
    program.close();
    map.close();
  }
  assert.deepEqual(listBpfscopeEntries(root, 'uprobe_events'), before);
});

test('a uprobe on a symbol the binary lacks names the symbol', async () => {
  const path = await buildFixture('uprobe-target');
  const map = createStateMap();
  const program = loadCounter(map, entryProgram);
  try {
    assert.throws(() => attachUprobe(sys, program, { path, symbol: 'no_such_function' }), /symbol 'no_such_function' not found/);
  } finally {
    program.close();
    map.close();
  }
});

test('a process interrupted by SIGINT removes its uprobe_events entry on the way out', async () => {
  const path = await buildFixture('uprobe-target');
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-sigint-'));
  try {
    const script = join(dir, 'attach.mts');
    const module = (name: string): string => pathToFileURL(fileURLToPath(new URL(name, import.meta.url))).href;
    writeFileSync(script, [
      `import { ProgramType, linuxSys } from '${module('../../sys/index.ts')}';`,
      `import { Program } from '${module('../program.ts')}';`,
      `import { attachUprobe } from '${module('./uprobe-link.ts')}';`,
      `const instructions = Uint8Array.of(0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0);`,
      `const program = Program.load({ name: 'sigint_probe', type: ProgramType.KPROBE, instructions, license: 'GPL' });`,
      `attachUprobe(linuxSys(), program, { path: ${JSON.stringify(path)}, symbol: 'bpfscope_add' }, { pmu: () => undefined });`,
      `console.log('attached');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout.setEncoding('utf8'), 'data')) as [string];
    assert.equal(line.trim(), 'attached');
    const childPid = child.pid ?? -1;
    const entries = (): string[] => listBpfscopeEntries(tracefsRoot(), 'uprobe_events').filter((e) => e.includes(`bpfscope_${childPid}_`));
    assert.equal(entries().length, 1);
    child.kill('SIGINT');
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.deepEqual([code, signal], [null, 'SIGINT']);
    assert.deepEqual(entries(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every test left uprobe_events without bpfscope entries of this process', () => {
  const mine = listBpfscopeEntries(tracefsRoot(), 'uprobe_events').filter((event) => event.includes(`bpfscope_${process.pid}_`));
  assert.deepEqual(mine, []);
});
