import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSys, PerfType, ProgramType } from '../sys/index.js';
import { IntervalProvider } from './interval.js';
import { ProfileProvider } from './profile.js';
import { ProbeError } from './provider.js';
import { attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const interval = new IntervalProvider(fixtureEnvironment());
const profile = new ProfileProvider(fixtureEnvironment());

test('interval and profile rates in bpftrace\'s forms, with bpftrace\'s probe names', () => {
  const cases: [string, string, string, number][] = [
    ['interval:s:1', 'interval:s:1', 's', 1],
    ['interval:ms:100', 'interval:ms:100', 'ms', 100],
    ['interval:us:500', 'interval:us:500', 'us', 500],
    ['interval:hz:10', 'interval:hz:10', 'hz', 10],
    ['i:s:0x2', 'interval:s:2', 's', 2],
    // bpftrace 0.18+: one duration, in nanoseconds unless suffixed, turned into microseconds.
    ['interval:1s', 'interval:us:1000000', 'us', 1_000_000],
    ['interval:100ms', 'interval:us:100000', 'us', 100_000],
    ['interval:1500', 'interval:us:1', 'us', 1],
  ];
  for (const [raw, name, unit, count] of cases) {
    assert.deepEqual(interval.expand(attachPoint(raw)), [{ provider: 'interval', name, detail: { unit, count } }], raw);
  }
  assert.equal(profile.expand(attachPoint('p:hz:99'))[0].name, 'profile:hz:99');
});

test('bad rates are ProbeErrors naming the attach point', () => {
  const cases: [string, RegExp][] = [
    ['interval:m:1', /^interval:m:1: unknown interval unit 'm'$/],
    ['interval:s:0', /^interval:s:0: invalid count '0'$/],
    ['interval:s:x', /^interval:s:x: invalid count 'x'$/],
    ['interval:500', /the minimum is 1000 ns/],
    ['interval:soon', /^interval:soon: invalid interval rate 'soon'$/],
    ['interval', /interval probes take 1 to 2 arguments, not 0/],
    ['profile:hz:99:1', /profile probes take 1 to 2 arguments, not 3/],
  ];
  for (const [raw, message] of cases) {
    const provider = raw.startsWith('profile') ? profile : interval;
    assert.throws(() => provider.expand(attachPoint(raw)), (error: unknown) => error instanceof ProbeError && message.test(error.message), raw);
  }
});

test('timers are PERF_EVENT programs that all share one context', () => {
  const [probe] = interval.expand(attachPoint('interval:s:1'));
  assert.deepEqual(interval.programKind(), { programType: ProgramType.PERF_EVENT });
  assert.deepEqual(interval.context().args, []);
  assert.equal(interval.shareKey(probe), 'interval');
  assert.deepEqual(interval.list(), []);
});

test('an interval attaches one cpu-clock timer with its period', () => {
  const sys = new FakeSys();
  const provider = new IntervalProvider(fixtureEnvironment({ sys: () => sys }));
  const [probe] = provider.expand(attachPoint('interval:ms:250'));
  const link = provider.attach(7, probe);
  try {
    const opens = sys.calls.filter((call) => call.syscall === 'perf_event_open');
    assert.equal(opens.length, 1);
    const attr = new DataView((opens[0].args[0] as Uint8Array).buffer);
    assert.equal(attr.getUint32(0, true), PerfType.SOFTWARE);
    // sample_period follows type, size and config.
    assert.equal(attr.getBigUint64(16, true), 250_000_000n);
  } finally {
    link.detach();
  }
});
