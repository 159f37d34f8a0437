import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpfCommand, readU32 } from '../sys/index.js';
import { FakeEnvironment, writeVerifierLog } from './fake-environment.js';
import { haveHelper } from './helpers.js';

/** An environment whose kernel rejects every program that is not the plain `r0 = 0; exit`. */
function rejectingHelperCalls(log: string): FakeEnvironment {
  const env = new FakeEnvironment();
  env.sys.onBpf = (cmd, attr) => {
    if (cmd !== BpfCommand.PROG_LOAD || readU32(attr, 4) === 2) return undefined;
    writeVerifierLog(env.sys, attr, log);
    return { errno: 'EINVAL' };
  };
  return env;
}

test('an unknown helper id means the kernel predates the helper', () => {
  const env = rejectingHelperCalls('2: (85) call unknown#173\ninvalid func unknown#173\nprocessed 3 insns\n');
  assert.deepEqual(haveHelper('get_func_ip', env), {
    available: false,
    reason: 'this kernel has no helper bpf_get_func_ip (added in Linux 5.15)',
    minKernel: '5.15',
  });
});

test('a helper refused for the program type says which type', () => {
  const env = rejectingHelperCalls('func bpf_send_signal#109 not supported for program type 2\nprocessed 3 insns\n');
  assert.equal(haveHelper('send_signal', env).reason, 'KPROBE programs cannot call bpf_send_signal on this kernel (allowed since Linux 5.3)');
});

test('a helper probe creates the maps its program refers to and closes them', () => {
  const env = new FakeEnvironment();
  assert.equal(haveHelper('ringbuf_output', env).available, true);
  assert.ok(env.sys.callNames().includes('bpf(MAP_CREATE)'));
  assert.deepEqual([...env.sys.openFds], []);
});

test('a helper that needs a missing map type says so', () => {
  const env = new FakeEnvironment();
  env.sys.onBpf = (cmd) => (cmd === BpfCommand.MAP_CREATE ? { errno: 'EINVAL' } : undefined);
  assert.equal(haveHelper('ringbuf_reserve', env).reason,
    'it needs a ringbuf map: BPF_MAP_CREATE of a ringbuf map is refused with EINVAL: this kernel does not know the map type (added in Linux 5.8)');
});
