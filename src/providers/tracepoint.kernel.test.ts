import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType } from '../sys/index.js';
import { createStateMap, heldPython, loadCounter, readState, watchProcess } from '../kernel/links/kernel-test-support.js';
import { defaultProviders } from './registry.js';
import { NO_ARGS, attachPoint } from './testing/fixtures.js';
import { loadTrivialProgram } from './testing/programs.js';

const registry = defaultProviders();
const tracepoint = registry.expect('tracepoint');
const GETPID_CALLS = 11;
const GETPPID_CALLS = 17;

test('tracepoint:syscalls:sys_enter_open* finds openat in this kernel\'s tracefs', () => {
  const names = registry.expand(attachPoint('tracepoint:syscalls:sys_enter_open*'), {}).map((probe) => probe.name);
  assert.ok(names.includes('tracepoint:syscalls:sys_enter_openat'), names.join(', '));
  assert.ok(names.every((name) => name.startsWith('tracepoint:syscalls:sys_enter_open')));
});

test('sys_enter_openat has the syscall\'s arguments as args, its filename a user pointer', () => {
  const [openat] = registry.expand(attachPoint('tracepoint:syscalls:sys_enter_openat'), {});
  const args = tracepoint.context(openat).args;
  assert.deepEqual(args.map((arg) => arg.name), ['__syscall_nr', 'dfd', 'filename', 'flags', 'mode']);
  assert.deepEqual(args.filter((arg) => arg.userPointer).map((arg) => arg.name), ['filename']);
});

test('one program attached through a wildcard counts exactly the calls of every matched syscall', async () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'prov_tp_count', type: ProgramType.TRACEPOINT });
  const probes = registry.expand(attachPoint('t:syscalls:sys_enter_get*pid'), {});
  assert.ok(probes.some((probe) => probe.name === 'tracepoint:syscalls:sys_enter_getppid'));
  // The program reads no args, so every target shares it.
  assert.equal(new Set(probes.map((probe) => tracepoint.shareKey(probe, NO_ARGS))).size, 1);
  const child = await heldPython(`for _ in range(${GETPID_CALLS}): os.getpid()\nfor _ in range(${GETPPID_CALLS}): os.getppid()`);
  watchProcess(map, child.pid);
  const links = probes.map((probe) => tracepoint.attach(program.fd, probe, {}));
  try {
    assert.equal(await child.release(), 0);
    assert.equal(readState(map).count, BigInt(GETPID_CALLS + GETPPID_CALLS));
  } finally {
    for (const link of links) link.detach();
    program.close();
    map.close();
  }
});

test('a trivial program of the provider\'s kind attaches and detaches', () => {
  const [probe] = registry.expand(attachPoint('tracepoint:sched:sched_switch'), {});
  const program = loadTrivialProgram('prov_tp', tracepoint.programKind(probe));
  try {
    const link = tracepoint.attach(program.fd, probe, {});
    assert.equal(link.description, 'tracepoint:sched:sched_switch');
    link.detach();
  } finally {
    program.close();
  }
});
