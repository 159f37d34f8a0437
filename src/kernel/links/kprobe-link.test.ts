import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSys, PerfType, SyscallError, readCString, readU32, readU64 } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { FIRST_FAKE_ID, FakeTracefs } from './fake-tracefs.js';
import { KPROBES_MISSING, attachKprobe } from './kprobe-link.js';
import type { PmuLookup } from './pmu.js';

const program = { fd: 9 };
const KPROBE_PMU_TYPE = 8;
const kprobePmu: PmuLookup = (name) => (name === 'kprobe' ? { name, type: KPROBE_PMU_TYPE, retprobeBit: 0 } : undefined);
const noPmu: PmuLookup = () => undefined;

function perfAttr(sys: FakeSys): { attr: Uint8Array; pid: number; cpu: number } {
  const call = sys.calls.find((c) => c.syscall === 'perf_event_open');
  assert.ok(call);
  const [attr, pid, cpu] = call.args as [Uint8Array, number, number];
  return { attr, pid, cpu };
}

test('a kprobe through the PMU passes the function name in config1 and the offset in config2', () => {
  const sys = new FakeSys();
  const link = attachKprobe(sys, program, { function: 'vfs_read', offset: 16n }, { pmu: kprobePmu, tracefsRoot: null });
  const { attr, pid, cpu } = perfAttr(sys);
  assert.equal(readU32(attr, 0), KPROBE_PMU_TYPE);
  assert.equal(readU64(attr, 8), 0n, 'no retprobe bit');
  assert.equal(readCString(sys.deref(readU64(attr, 56))), 'vfs_read');
  assert.equal(readU64(attr, 64), 16n);
  assert.deepEqual([pid, cpu], [-1, 0]);
  assert.equal(link.kind, 'kprobe');
  assert.equal(link.description, 'kprobe:vfs_read+16');
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('a kretprobe sets the retprobe bit the PMU names', () => {
  const sys = new FakeSys();
  const pmu: PmuLookup = (name) => ({ name, type: KPROBE_PMU_TYPE, retprobeBit: 3 });
  const link = attachKprobe(sys, program, { function: 'vfs_read' }, { retprobe: true, pmu });
  assert.equal(readU64(perfAttr(sys).attr, 8), 1n << 3n);
  assert.equal(link.kind, 'kretprobe');
  assert.equal(link.description, 'kretprobe:vfs_read');
  link.detach();
});

test('a kretprobe with an offset is refused before any system call', () => {
  const sys = new FakeSys();
  assert.throws(() => attachKprobe(sys, program, { function: 'vfs_read', offset: 4n }, { retprobe: true, pmu: kprobePmu }), /cannot take an offset/);
  assert.deepEqual(sys.calls, []);
});

test('a function the kernel cannot probe gets a hint', () => {
  const sys = new FakeSys();
  sys.onPerfEventOpen = () => ({ errno: 'ENOENT' });
  assert.throws(
    () => attachKprobe(sys, program, { function: 'not_a_function' }, { pmu: kprobePmu }),
    (error: unknown) => error instanceof SyscallError && /cannot probe not_a_function: no such function/.test(error.message),
  );
});

test('without the PMU, a kprobe_events entry is opened as a tracepoint and removed on detach', () => {
  const tracefs = new FakeTracefs('kprobe_events', 'kprobes');
  try {
    const sys = new FakeSys();
    const link = attachKprobe(sys, program, { function: 'vfs_read' }, { retprobe: true, maxActive: 50, pmu: noPmu, tracefsRoot: tracefs.root });
    const [added] = tracefs.commands('kprobe_events');
    const n = Number(/^r50:bpfscope_\d+_(\d+) vfs_read\+0$/.exec(added ?? '')?.[1]);
    assert.ok(Number.isInteger(n), `unexpected entry ${added}`);
    const { attr } = perfAttr(sys);
    assert.equal(readU32(attr, 0), PerfType.TRACEPOINT);
    assert.equal(readU64(attr, 8), BigInt(FIRST_FAKE_ID + n));
    link.detach();
    assert.equal(sys.openFds.size, 0);
    assert.equal(tracefs.commands('kprobe_events').at(-1), `-:kprobes/bpfscope_${process.pid}_${n}`);
  } finally {
    tracefs.remove();
  }
});

test('a failed attach through tracefs removes the entry it made', () => {
  const tracefs = new FakeTracefs('kprobe_events', 'kprobes');
  try {
    const sys = new FakeSys();
    sys.onPerfEventOpen = () => ({ errno: 'EINVAL' });
    assert.throws(() => attachKprobe(sys, program, { function: 'vfs_read' }, { pmu: noPmu, tracefsRoot: tracefs.root }), SyscallError);
    assert.match(tracefs.commands('kprobe_events').at(-1) ?? '', /^-:kprobes\/bpfscope_\d+_\d+$/);
  } finally {
    tracefs.remove();
  }
});

test('with neither the PMU nor kprobe_events the error says the kernel lacks CONFIG_KPROBES', () => {
  const tracefs = new FakeTracefs('uprobe_events', 'uprobes');
  try {
    for (const tracefsRoot of [tracefs.root, null]) {
      assert.throws(
        () => attachKprobe(new FakeSys(), program, { function: 'vfs_read' }, { pmu: noPmu, tracefsRoot }),
        (error: unknown) => error instanceof UnsupportedFeatureError && error.feature === 'kprobes' && error.reason === KPROBES_MISSING &&
          error.message === `kprobes is not available: ${KPROBES_MISSING}`,
      );
    }
  } finally {
    tracefs.remove();
  }
});
