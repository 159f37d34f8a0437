import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType } from '../sys/index.js';
import { RawTracepointProvider } from './rawtracepoint.js';
import { ProbeError } from './provider.js';
import { ALL_ARGS, NO_ARGS, attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const provider = new RawTracepointProvider(fixtureEnvironment());

test('raw tracepoints are the btf_trace_ typedefs, with wildcards and an optional module', () => {
  assert.deepEqual(provider.expand(attachPoint('rawtracepoint:sched_switch')), [
    { provider: 'rawtracepoint', name: 'rawtracepoint:sched_switch', detail: { tracepoint: 'sched_switch' } },
  ]);
  assert.deepEqual(provider.expand(attachPoint('rt:s*')).map((probe) => probe.name), ['rawtracepoint:sched_switch', 'rawtracepoint:sys_enter']);
  assert.equal(provider.expand(attachPoint('rawtracepoint:vmlinux:sys_enter'))[0].name, 'rawtracepoint:vmlinux:sys_enter');
});

test('unknown raw tracepoints and modules are ProbeErrors', () => {
  assert.throws(() => provider.expand(attachPoint('rawtracepoint:nope')), (error: unknown) =>
    error instanceof ProbeError && error.message === 'rawtracepoint not found: nope');
  assert.throws(() => provider.expand(attachPoint('rawtracepoint:ext4:ext4_sync_fs')), /module 'ext4' are not supported/);
});

test('args are typed from BTF in u64 slots, argN is slot N', () => {
  const [probe] = provider.expand(attachPoint('rawtracepoint:sched_switch'));
  const context = provider.context(probe);
  assert.deepEqual(context.args.map((arg) => [arg.name, arg.cType, arg.offset, arg.size]), [
    ['preempt', '_Bool', 0, 1],
    ['prev', 'struct task_struct *', 8, 8],
    ['next', 'struct task_struct *', 16, 8],
  ]);
  assert.ok(context.args.every((arg) => arg.btfType !== undefined && !arg.userPointer));
  assert.equal(context.argOffset?.(3), 24);
  assert.deepEqual(provider.programKind(), { programType: ProgramType.RAW_TRACEPOINT });
});

test('parameter names missing from the typedef come from the __bpf_trace_ function', () => {
  const [probe] = provider.expand(attachPoint('rawtracepoint:sys_enter'));
  assert.deepEqual(provider.context(probe).args.map((arg) => arg.name), ['regs', 'id']);
});

test('programs share unless they read args of different layouts', () => {
  const [switchProbe, enterProbe] = provider.expand(attachPoint('rawtracepoint:s*'));
  assert.equal(provider.shareKey(switchProbe, NO_ARGS), provider.shareKey(enterProbe, NO_ARGS));
  assert.notEqual(provider.shareKey(switchProbe, ALL_ARGS), provider.shareKey(enterProbe, ALL_ARGS));
});

test('-l lists names; -lv adds the typed parameters', () => {
  assert.deepEqual(provider.list([], { verbose: false }), [{ name: 'rawtracepoint:sched_switch' }, { name: 'rawtracepoint:sys_enter' }]);
  assert.deepEqual(provider.list(['vmlinux', 'sched_*'], { verbose: true }), [{
    name: 'rawtracepoint:sched_switch',
    details: ['_Bool preempt', 'struct task_struct * prev', 'struct task_struct * next'],
  }]);
  assert.deepEqual(provider.list(['ext4', '*'], { verbose: false }), []);
});
