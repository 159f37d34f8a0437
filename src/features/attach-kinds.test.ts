import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpfCommand, PerfType, readCString, readU32, readU64 } from '../sys/index.js';
import { haveAttachKind } from './attach-kinds.js';
import { FakeEnvironment } from './fake-environment.js';

const NO_KPROBE_PMU = { '/sys/bus/event_source/devices/kprobe/type': undefined };

test('kprobes without a kprobe PMU or kprobe_events: the kernel lacks CONFIG_KPROBES', () => {
  const env = new FakeEnvironment({ files: NO_KPROBE_PMU });
  const feature = haveAttachKind('kprobe', env);
  assert.equal(feature.available, false);
  assert.equal(feature.reason, 'this kernel is built without CONFIG_KPROBES: no kprobe PMU under '
    + '/sys/bus/event_source/devices and no kprobe_events in tracefs');
  assert.deepEqual([...env.sys.openFds], []);
});

test('kprobes through tracefs kprobe_events count as available before the kprobe PMU', () => {
  const env = new FakeEnvironment({ files: { ...NO_KPROBE_PMU, '/sys/kernel/tracing/kprobe_events': '' } });
  assert.equal(haveAttachKind('kprobe', env).available, true);
});

test('a kprobe PMU attach opens a perf event on the probe function and attaches the program to it', () => {
  const env = new FakeEnvironment();
  assert.equal(haveAttachKind('kprobe', env).available, true);
  const open = env.sys.calls.find((call) => call.syscall === 'perf_event_open');
  assert.ok(open);
  const attr = open.args[0] as Uint8Array;
  assert.equal(readU32(attr, 0), 7, 'the PMU type read from sysfs');
  assert.equal(readCString(env.sys.deref(readU64(attr, 56))), 'vfs_read');
  assert.deepEqual(env.sys.callNames().filter((name) => name !== 'close'), [
    'bpf(PROG_LOAD)', 'bpf(PROG_LOAD)', 'perf_event_open', 'ioctl(PERF_EVENT_IOC_SET_BPF)',
  ]);
  assert.deepEqual([...env.sys.openFds], []);
});

test('hardware events without a cpu PMU say so', () => {
  const env = new FakeEnvironment();
  env.sys.onPerfEventOpen = (attr) => (readU32(attr, 0) === PerfType.HARDWARE ? { errno: 'ENOENT' } : undefined);
  assert.equal(haveAttachKind('hardware_event', env).reason,
    'no cpu PMU (virtual machine?): perf_event_open of the hardware cpu-cycles event fails with ENOENT');
  assert.deepEqual([...env.sys.openFds], []);
});

test('uprobes need the uprobe PMU', () => {
  const env = new FakeEnvironment({ files: { '/sys/bus/event_source/devices/uprobe/type': undefined } });
  assert.equal(haveAttachKind('uprobe', env).reason,
    'no uprobe PMU under /sys/bus/event_source/devices: the kernel is built without CONFIG_UPROBE_EVENTS');
});

test('tracepoints mount tracefs when it is not mounted', () => {
  const id = '/sys/kernel/tracing/events/sched/sched_switch/id';
  const env = new FakeEnvironment({ files: { '/proc/mounts': '', [id]: undefined } });
  env.sys.onMount = () => {
    env.setFile(id, '321\n');
    return 0;
  };
  assert.equal(haveAttachKind('tracepoint', env).available, true);
  assert.deepEqual(env.sys.calls.filter((call) => call.syscall === 'mount').map((call) => call.args), [['nodev', '/sys/kernel/tracing', 'tracefs']]);
});

test('a tracepoint probe that cannot mount tracefs says why', () => {
  const env = new FakeEnvironment({ files: { '/proc/mounts': '', '/sys/kernel/tracing/events/sched/sched_switch/id': undefined } });
  env.sys.onMount = () => ({ errno: 'EPERM' });
  assert.match(haveAttachKind('tracepoint', env).reason ?? '',
    /^tracefs is not mounted and mounting it at \/sys\/kernel\/tracing failed: mount\(tracefs on \/sys\/kernel\/tracing\) failed: EPERM/);
  const absent = new FakeEnvironment({ files: { '/proc/mounts': '', '/sys/kernel/tracing/events/sched/sched_switch/id': undefined, '/proc/filesystems': 'nodev\tproc\n' } });
  assert.match(haveAttachKind('tracepoint', absent).reason ?? '', /built without tracefs \(CONFIG_TRACING\)/);
});

test('an attach kind whose program type cannot load gives the load refusal as its reason', () => {
  const env = new FakeEnvironment();
  env.sys.onBpf = (cmd) => (cmd === BpfCommand.PROG_LOAD ? { errno: 'EINVAL' } : undefined);
  assert.match(haveAttachKind('raw_tracepoint', env).reason ?? '', /^BPF_PROG_LOAD of a RAW_TRACEPOINT program is refused with EINVAL/);
});

test('a failed attach closes what the probe opened and reports the failing call', () => {
  const env = new FakeEnvironment();
  env.sys.onBpf = (cmd) => (cmd === BpfCommand.LINK_CREATE ? { errno: 'EINVAL' } : undefined);
  const feature = haveAttachKind('perf_event_link', env);
  assert.match(feature.reason ?? '', /^bpf\(LINK_CREATE\) failed: EINVAL/);
  assert.deepEqual([...env.sys.openFds], []);
});
