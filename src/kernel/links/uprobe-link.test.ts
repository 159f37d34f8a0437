import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture } from '../../../test/fixtures/build-fixture.js';
import { FakeSys, PerfType, SyscallError, readCString, readU32, readU64 } from '../../sys/index.js';
import { ElfFile } from '../elf.js';
import { UnsupportedFeatureError } from '../errors.js';
import { FIRST_FAKE_ID, FakeTracefs } from './fake-tracefs.js';
import type { PmuLookup } from './pmu.js';
import { attachUprobe } from './uprobe-link.js';

const program = { fd: 11 };
const UPROBE_PMU_TYPE = 9;
const uprobePmu: PmuLookup = (name) => (name === 'uprobe' ? { name, type: UPROBE_PMU_TYPE, retprobeBit: 0 } : undefined);

function perfCall(sys: FakeSys): { attr: Uint8Array; pid: number; cpu: number } {
  const call = sys.calls.find((c) => c.syscall === 'perf_event_open');
  assert.ok(call);
  const [attr, pid, cpu] = call.args as [Uint8Array, number, number];
  return { attr, pid, cpu };
}

test('a uprobe on symbol+offset passes the path in config1 and the file offset in config2', async () => {
  const path = await buildFixture('uprobe-target');
  const sys = new FakeSys();
  const link = attachUprobe(sys, program, { path, symbol: 'bpfscope_add', offset: 4n }, { pmu: uprobePmu });
  const { attr, pid, cpu } = perfCall(sys);
  assert.equal(readU32(attr, 0), UPROBE_PMU_TYPE);
  assert.equal(readU64(attr, 8), 0n);
  assert.equal(readCString(sys.deref(readU64(attr, 56))), path);
  assert.equal(readU64(attr, 64), ElfFile.open(path).symbolFileOffset('bpfscope_add') + 4n);
  assert.deepEqual([pid, cpu], [-1, 0]);
  assert.equal(link.description, `uprobe:${path}:bpfscope_add+4`);
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('a uretprobe scoped to a process opens its perf event for that pid on any CPU', () => {
  const sys = new FakeSys();
  const pmu: PmuLookup = (name) => ({ name, type: UPROBE_PMU_TYPE, retprobeBit: 5 });
  const link = attachUprobe(sys, program, { path: '/bin/true', fileOffset: 0x1234n }, { retprobe: true, pid: 4321, pmu });
  const { attr, pid, cpu } = perfCall(sys);
  assert.equal(readU64(attr, 8), 1n << 5n);
  assert.equal(readU64(attr, 64), 0x1234n);
  assert.deepEqual([pid, cpu], [4321, -1]);
  assert.equal(link.kind, 'uretprobe');
  assert.equal(link.description, 'uretprobe:/bin/true:0x1234');
  link.detach();
});

test('a pid that does not exist is named in the error', () => {
  const sys = new FakeSys();
  sys.onPerfEventOpen = () => ({ errno: 'ESRCH' });
  assert.throws(
    () => attachUprobe(sys, program, { path: '/bin/true', fileOffset: 0x10n }, { pid: 4321, pmu: uprobePmu }),
    (error: unknown) => error instanceof SyscallError && /no process 4321/.test(error.message),
  );
  assert.equal(sys.openFds.size, 0);
});

test('without the PMU a uprobe_events entry "p:bpfscope_<pid>_<n> path:0xOFF" is used and removed', () => {
  const tracefs = new FakeTracefs('uprobe_events', 'uprobes');
  try {
    const sys = new FakeSys();
    const link = attachUprobe(sys, program, { path: '/bin/true', fileOffset: 0x4f0n }, { pmu: () => undefined, tracefsRoot: tracefs.root });
    const [added] = tracefs.commands('uprobe_events');
    const n = Number(new RegExp(`^p:bpfscope_${process.pid}_(\\d+) /bin/true:0x4f0$`).exec(added ?? '')?.[1]);
    assert.ok(Number.isInteger(n), `unexpected entry ${added}`);
    const { attr, pid, cpu } = perfCall(sys);
    assert.equal(readU32(attr, 0), PerfType.TRACEPOINT);
    assert.equal(readU64(attr, 8), BigInt(FIRST_FAKE_ID + n));
    assert.deepEqual([pid, cpu], [-1, 0]);
    link.detach();
    assert.equal(tracefs.commands('uprobe_events').at(-1), `-:uprobes/bpfscope_${process.pid}_${n}`);
  } finally {
    tracefs.remove();
  }
});

test('with neither mechanism the error names CONFIG_UPROBE_EVENTS', () => {
  assert.throws(
    () => attachUprobe(new FakeSys(), program, { path: '/bin/true', fileOffset: 0n }, { pmu: () => undefined, tracefsRoot: null }),
    (error: unknown) => error instanceof UnsupportedFeatureError && error.feature === 'uprobes' && /CONFIG_UPROBE_EVENTS/.test(error.reason),
  );
});
