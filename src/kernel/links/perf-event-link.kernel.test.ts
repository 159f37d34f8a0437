import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Assembler, Helper, R0, R1, R2, R10, encode } from '../../asm/index.js';
import { MapType, ProgramType, linuxSys } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { BpfMap } from '../map.js';
import { Program } from '../program.js';
import { NO_CPU_PMU, attachHardwareEvent, attachInterval, attachProfile, attachSoftwareEvent, onlineCpus } from './perf-event-link.js';
import { hasCpuPmu } from './pmu.js';
import { HeldChild, createStateMap, heldPython, loadCounter, readState, watchProcess } from './kernel-test-support.js';

const sys = linuxSys();
const KEY = new Uint8Array(4);

/** A PERF_EVENT program adding 1 to entry 0 of `map` (an array or per-CPU array of one u64). */
function loadSampleCounter(map: BpfMap): Program {
  const b = new Assembler()
    .st('w', R10, -4, 0)
    .ldMap(R1, 'counts')
    .mov64(R2, R10)
    .add64(R2, -4)
    .call(Helper.map_lookup_elem)
    .jmp('eq', R0, 0, 'out')
    .mov64(R1, 1)
    .atomic('add', 'dw', R0, 0, R1)
    .label('out')
    .mov64(R0, 0)
    .exit();
  const { bytes } = encode(b.instructions(), () => map.fd);
  return Program.load({ name: 'sample_count', type: ProgramType.PERF_EVENT, instructions: bytes, license: 'GPL' });
}

function counterMap(type: MapType): BpfMap {
  return BpfMap.create({ name: 'sample_counts', type, keySize: 4, valueSize: 8, maxEntries: 1 });
}

function perCpuCounts(map: BpfMap): bigint[] {
  const values = map.lookupPerCpu(KEY);
  assert.ok(values);
  return values.map((value) => new DataView(value.buffer, value.byteOffset).getBigUint64(0, true));
}

function total(map: BpfMap): bigint {
  const value = map.lookup(KEY);
  assert.ok(value);
  return new DataView(value.buffer, value.byteOffset).getBigUint64(0, true);
}

/** Polls until `done` holds; gives up after a generous bound so a broken probe fails the test. */
async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (done()) return;
    await sleep(10);
  }
  assert.fail(`gave up waiting for ${what}`);
}

test('profile:hz:999 samples on every online CPU while both are busy', async () => {
  const map = counterMap(MapType.PERCPU_ARRAY);
  const program = loadSampleCounter(map);
  const cpus = onlineCpus();
  const link = attachProfile(sys, program, 'hz', 999);
  const spinners = await Promise.all(cpus.map(() => HeldChild.start('python3', ['-c', "print('ready', flush=True)\nwhile True: pass"])));
  try {
    assert.equal(link.description, 'profile:hz:999');
    await waitFor(() => cpus.every((cpu) => (perCpuCounts(map)[cpu] ?? 0n) > 0n), 'a sample on every CPU');
  } finally {
    for (const spinner of spinners) spinner.process.kill('SIGKILL');
    link.detach();
    program.close();
    map.close();
  }
});

test('software:page-faults:1 counts the faults of a process that touches new memory', async () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'fault_count', type: ProgramType.PERF_EVENT });
  const child = await heldPython('b = bytearray(64 << 20)');
  watchProcess(map, child.pid);
  const link = attachSoftwareEvent(sys, program, 'page-faults', { period: 1 });
  try {
    assert.equal(link.description, 'software:page-faults:1');
    assert.equal(await child.release(), 0);
    // 64 MiB of fresh zeroed pages fault at least once per 2 MiB, even with transparent huge pages.
    assert.ok(readState(map).count >= 32n, `${readState(map).count} faults`);
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('interval:ms:5 fires from one timer, not one per CPU', async () => {
  const map = counterMap(MapType.PERCPU_ARRAY);
  const program = loadSampleCounter(map);
  const link = attachInterval(sys, program, 'ms', 5);
  try {
    assert.equal(link.description, 'interval:ms:5');
    await waitFor(() => perCpuCounts(map).some((count) => count >= 3n), 'three ticks');
    const counts = perCpuCounts(map);
    assert.equal(counts.filter((count) => count > 0n).length, 1, `ticks per CPU: ${counts.join(', ')}`);
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('after detach the samplers stop', async () => {
  const map = counterMap(MapType.ARRAY);
  const program = loadSampleCounter(map);
  const link = attachInterval(sys, program, 'ms', 1);
  try {
    await waitFor(() => total(map) > 0n, 'a first tick');
  } finally {
    link.detach();
  }
  const stopped = total(map);
  await sleep(50);
  assert.equal(total(map), stopped);
  program.close();
  map.close();
});

test('hardware events need a CPU PMU and say so when the machine has none', () => {
  const map = counterMap(MapType.PERCPU_ARRAY);
  const program = loadSampleCounter(map);
  try {
    if (hasCpuPmu()) {
      attachHardwareEvent(sys, program, 'cycles', { period: 1_000_000 }).detach();
      return;
    }
    assert.equal(existsSync('/sys/bus/event_source/devices/cpu'), false);
    assert.throws(
      () => attachHardwareEvent(sys, program, 'cycles', { period: 1_000_000 }),
      (error: unknown) => error instanceof UnsupportedFeatureError && error.reason === NO_CPU_PMU &&
        error.message.includes('hardware:cycles:1000000'),
    );
  } finally {
    program.close();
    map.close();
  }
});
