import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HARDWARE_EVENTS, SOFTWARE_EVENTS, onlineCpus } from '../kernel/links/perf-event-link.js';
import { FakeSys, PerfSoftwareEvent, PerfType, ProgramType } from '../sys/index.js';
import { HARDWARE_COUNTERS, HardwareProvider } from './hardware.js';
import { SOFTWARE_COUNTERS, SoftwareProvider } from './software.js';
import { ProbeError } from './provider.js';
import { attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const software = new SoftwareProvider(fixtureEnvironment());
const hardware = new HardwareProvider(fixtureEnvironment());

test('every event name and alias is one the perf-event links can open', () => {
  for (const [table, links] of [[SOFTWARE_COUNTERS, SOFTWARE_EVENTS], [HARDWARE_COUNTERS, HARDWARE_EVENTS]] as const) {
    for (const event of table) {
      assert.ok(event.name in links, event.name);
      if (event.alias) assert.equal(links[event.alias], links[event.name], event.alias);
    }
  }
});

test('aliases and default periods are bpftrace\'s; names keep the script\'s spelling', () => {
  const cases: [string, string, string, number][] = [
    ['software:faults', 'software:faults', 'page-faults', 100],
    ['s:faults:1', 'software:faults:1', 'page-faults', 1],
    ['software:cpu', 'software:cpu', 'cpu-clock', 1_000_000],
    ['software:cpu-clock:1000000', 'software:cpu-clock:1000000', 'cpu-clock', 1_000_000],
    ['software:cs', 'software:cs', 'context-switches', 1000],
    ['software:minor-faults:*', 'software:minor-faults', 'minor-faults', 100],
    ['software:task-clock', 'software:task-clock', 'task-clock', 1],
    ['software:bpf-output:1', 'software:bpf-output:1', 'bpf-output', 1],
  ];
  for (const [raw, name, event, period] of cases) {
    assert.deepEqual(software.expand(attachPoint(raw)), [{ provider: 'software', name, detail: { event, period } }], raw);
  }
  assert.deepEqual(hardware.expand(attachPoint('h:cycles:1e6')), [
    { provider: 'hardware', name: 'hardware:cycles:1000000', detail: { event: 'cpu-cycles', period: 1_000_000 } },
  ]);
  assert.equal(hardware.expand(attachPoint('hardware:branches'))[0].detail.period, 100_000);
});

test('a wildcard attaches each matching event once, by its perf name', () => {
  assert.deepEqual(software.expand(attachPoint('software:*-faults')).map((probe) => probe.name), [
    'software:alignment-faults', 'software:emulation-faults', 'software:major-faults', 'software:minor-faults', 'software:page-faults',
  ]);
  assert.equal(software.expand(attachPoint('software:*')).length, SOFTWARE_COUNTERS.length);
});

test('an unknown event or a bad period is a ProbeError', () => {
  assert.throws(() => software.expand(attachPoint('software:nope')), (error: unknown) =>
    error instanceof ProbeError && error.message === "software:nope: unknown software event 'nope'" &&
    /cpu-clock, cpu,/.test(error.hint ?? ''));
  assert.throws(() => software.expand(attachPoint('software:faults:0')), /invalid period '0'/);
  assert.throws(() => hardware.expand(attachPoint('hardware')), /hardware probes take 1 to 2 arguments, not 0/);
});

test('counters are PERF_EVENT programs sharing one context per kind', () => {
  const [probe] = software.expand(attachPoint('software:faults'));
  assert.deepEqual(software.programKind(), { programType: ProgramType.PERF_EVENT });
  assert.equal(software.shareKey(probe), 'software');
  assert.equal(hardware.shareKey(hardware.expand(attachPoint('hardware:cycles'))[0]), 'hardware');
});

test('-l lists every name and alias with a trailing colon, sorted as bpftrace sorts them', () => {
  assert.deepEqual(software.list(['cpu*']).map((probe) => probe.name), ['software:cpu-clock:', 'software:cpu-migrations:', 'software:cpu:']);
  assert.equal(software.list([]).length, 14);
  assert.deepEqual(hardware.list(['*cycles']).map((probe) => probe.name), ['hardware:bus-cycles:', 'hardware:cpu-cycles:', 'hardware:cycles:', 'hardware:ref-cycles:']);
});

test('a software event attaches one sampler per online CPU with the period', () => {
  const sys = new FakeSys();
  const provider = new SoftwareProvider(fixtureEnvironment({ sys: () => sys }));
  const link = provider.attach(7, provider.expand(attachPoint('software:faults:10'))[0]);
  try {
    const opens = sys.calls.filter((call) => call.syscall === 'perf_event_open');
    for (const open of opens) {
      const attr = new DataView((open.args[0] as Uint8Array).buffer);
      assert.equal(attr.getUint32(0, true), PerfType.SOFTWARE);
      assert.equal(attr.getBigUint64(8, true), BigInt(PerfSoftwareEvent.PAGE_FAULTS));
      assert.equal(attr.getBigUint64(16, true), 10n);
    }
    assert.deepEqual(opens.map((open) => open.args[2]), onlineCpus());
  } finally {
    link.detach();
  }
});
