import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSys, PerfHardwareEvent, PerfSoftwareEvent, PerfType, readU32, readU64 } from '../../sys/index.js';
import { attachHardwareEvent, attachProfile, attachSoftwareEvent, onlineCpus } from './perf-event-link.js';

const program = { fd: 13 };
const FLAG_FREQ = 1n << 10n;

function opens(sys: FakeSys): { attr: Uint8Array; pid: number; cpu: number }[] {
  return sys.calls
    .filter((call) => call.syscall === 'perf_event_open')
    .map((call) => {
      const [attr, pid, cpu] = call.args as [Uint8Array, number, number];
      return { attr, pid, cpu };
    });
}

test('profile:hz:99 opens a cpu-clock sampler in frequency mode on each CPU', () => {
  const sys = new FakeSys();
  const link = attachProfile(sys, program, 'hz', 99, { cpus: [0, 1, 3] });
  const events = opens(sys);
  assert.deepEqual(events.map((e) => [e.pid, e.cpu]), [[-1, 0], [-1, 1], [-1, 3]]);
  for (const { attr } of events) {
    assert.equal(readU32(attr, 0), PerfType.SOFTWARE);
    assert.equal(readU64(attr, 8), BigInt(PerfSoftwareEvent.CPU_CLOCK));
    assert.equal(readU64(attr, 16), 99n);
    assert.equal(readU64(attr, 40) & FLAG_FREQ, FLAG_FREQ);
  }
  assert.equal(sys.callNames().filter((name) => name === 'bpf(LINK_CREATE)').length, 3);
  assert.equal(link.description, 'profile:hz:99');
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('profile:ms:10 samples by a period in nanoseconds', () => {
  const sys = new FakeSys();
  attachProfile(sys, program, 'ms', 10, { cpus: [0] }).detach();
  const [event] = opens(sys);
  assert.ok(event);
  assert.equal(readU64(event.attr, 16), 10_000_000n);
  assert.equal(readU64(event.attr, 40) & FLAG_FREQ, 0n);
});

test('software and hardware events take the language\'s names and aliases', () => {
  const sys = new FakeSys();
  attachSoftwareEvent(sys, program, 'faults', { period: 100 }, { cpus: [0] }).detach();
  attachHardwareEvent(sys, program, 'branches', { period: 1000n }, { cpus: [0] }).detach();
  const [software, hardware] = opens(sys);
  assert.ok(software && hardware);
  assert.deepEqual([readU32(software.attr, 0), readU64(software.attr, 8), readU64(software.attr, 16)], [PerfType.SOFTWARE, BigInt(PerfSoftwareEvent.PAGE_FAULTS), 100n]);
  assert.deepEqual([readU32(hardware.attr, 0), readU64(hardware.attr, 8)], [PerfType.HARDWARE, BigInt(PerfHardwareEvent.BRANCH_INSTRUCTIONS)]);
  assert.throws(() => attachSoftwareEvent(sys, program, 'no-such-event', { period: 1 }), /unknown software event 'no-such-event'/);
});

test('a failure on one CPU closes what the other CPUs opened', () => {
  const sys = new FakeSys();
  sys.onPerfEventOpen = (_attr, _pid, cpu) => (cpu === 2 ? { errno: 'EBUSY' } : undefined);
  assert.throws(() => attachProfile(sys, program, 'hz', 49, { cpus: [0, 1, 2] }), /EBUSY/);
  assert.equal(sys.openFds.size, 0);
});

test('timers need a positive whole count', () => {
  assert.throws(() => attachProfile(new FakeSys(), program, 'hz', 0, { cpus: [0] }), /positive whole count/);
});

test('parses the online CPU list', () => {
  assert.deepEqual(onlineCpus('0-1\n'), [0, 1]);
  assert.deepEqual(onlineCpus('0,2-4,7'), [0, 2, 3, 4, 7]);
  assert.throws(() => onlineCpus('zero'), /malformed CPU list/);
});
