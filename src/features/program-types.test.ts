import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpfCommand, ProgramType, readU32 } from '../sys/index.js';
import { FakeEnvironment, writeVerifierLog } from './fake-environment.js';
import { haveProgramType } from './program-types.js';

const NO_CAPABILITIES = { '/proc/self/status': 'Name:\tnode\nCapEff:\t0000000000000000\n' };

/** An environment whose kernel answers every BPF_PROG_LOAD with `errno` after writing `log`. */
function refusingLoads(errno: string, log = '', files: Record<string, string> = {}): FakeEnvironment {
  const env = new FakeEnvironment({ files });
  env.sys.onBpf = (cmd, attr) => {
    if (cmd !== BpfCommand.PROG_LOAD) return undefined;
    writeVerifierLog(env.sys, attr, log);
    return { errno };
  };
  return env;
}

test('a program type that loads is available, and its fd is closed', () => {
  const env = new FakeEnvironment();
  assert.deepEqual(haveProgramType('raw_tracepoint', env), { available: true, minKernel: '4.17' });
  assert.equal(readU32(env.sys.calls[0].args[1] as Uint8Array, 0), ProgramType.RAW_TRACEPOINT);
  assert.deepEqual([...env.sys.openFds], []);
});

test('EINVAL before verification means the kernel does not know the program type', () => {
  const feature = haveProgramType('raw_tracepoint', refusingLoads('EINVAL'));
  assert.equal(feature.available, false);
  assert.equal(feature.reason, 'BPF_PROG_LOAD of a RAW_TRACEPOINT program is refused with EINVAL before verification: '
    + 'this kernel does not know the program or attach type (added in Linux 4.17)');
});

test('EPERM with the capabilities held and no verifier log is kernel policy, refused before verification', () => {
  const feature = haveProgramType('fentry', refusingLoads('EPERM'));
  assert.equal(feature.reason, 'BPF_PROG_LOAD of a TRACING/FENTRY program is refused with EPERM (kernel policy): '
    + 'this process has the capabilities, and the refusal comes before the verifier runs');
});

test('EPERM after a finished verification says the program passed the verifier', () => {
  const log = '0: R1=ctx() R10=fp0\n0: (b7) r0 = 0\n1: (95) exit\nprocessed 2 insns (limit 1000000)\n';
  const feature = haveProgramType('fentry', refusingLoads('EPERM', log));
  assert.equal(feature.reason, 'BPF_PROG_LOAD of a TRACING/FENTRY program passes the verifier but is refused with EPERM (kernel policy)');
});

test('EPERM without CAP_BPF and CAP_PERFMON blames the missing capabilities', () => {
  const feature = haveProgramType('tracepoint', refusingLoads('EPERM', '', NO_CAPABILITIES));
  assert.equal(feature.reason, 'BPF_PROG_LOAD of a TRACEPOINT program is refused with EPERM: this process lacks CAP_BPF and CAP_PERFMON (run as root)');
});

test('a verifier rejection quotes the verifier', () => {
  const log = '0: R1=ctx() R10=fp0\n0: (95) exit\nR0 !read_ok\nprocessed 1 insns (limit 1000000)\n';
  const feature = haveProgramType('tp_btf', refusingLoads('EACCES', log));
  assert.equal(feature.reason, 'BPF_PROG_LOAD of a TRACING/RAW_TP program is rejected by the verifier with EACCES: R0 !read_ok');
});

test('TRACING probes name their BTF attach point and need kernel BTF', () => {
  const env = new FakeEnvironment({ btf: { vfs_read: 4242 } });
  assert.equal(haveProgramType('fexit', env).available, true);
  assert.equal(readU32(env.sys.calls[0].args[1] as Uint8Array, 108), 4242, 'attach_btf_id');

  const noBtf = haveProgramType('fentry', new FakeEnvironment({ files: { '/sys/kernel/btf/vmlinux': undefined } }));
  assert.equal(noBtf.reason, 'no /sys/kernel/btf/vmlinux: the kernel is built without CONFIG_DEBUG_INFO_BTF');

  const noFunction = haveProgramType('fentry', new FakeEnvironment({ btf: { vfs_read: undefined } }));
  assert.equal(noFunction.reason, "the kernel's BTF has no func named vfs_read");
});

test('each answer is computed once per environment', () => {
  const env = new FakeEnvironment();
  haveProgramType('kprobe', env);
  const calls = env.sys.calls.length;
  assert.deepEqual(haveProgramType('kprobe', env), { available: true, minKernel: '4.1' });
  assert.equal(env.sys.calls.length, calls);
});
