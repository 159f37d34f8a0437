import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R2, R6 } from '../asm/index.js';
import { createStateMap, heldPython, loadCounter, readState, watchProcess } from '../kernel/links/kernel-test-support.js';
import { ProgramType } from '../sys/index.js';
import { defaultProviders } from './registry.js';
import { attachPoint } from './testing/fixtures.js';
import { loadTrivialProgram } from './testing/programs.js';

const registry = defaultProviders();
const rawtracepoint = registry.expect('rawtracepoint');
const CALLS = 19;
/** x86_64 syscall number of getppid (asm/unistd_64.h). */
const GETPPID = 110;

test('sched_switch\'s args come typed from the kernel BTF', () => {
  const [probe] = registry.expand(attachPoint('rawtracepoint:sched_switch'), {});
  const args = rawtracepoint.context(probe).args;
  const prev = args.find((arg) => arg.name === 'prev');
  assert.equal(prev?.cType, 'struct task_struct *');
  assert.equal(prev?.offset, args.indexOf(prev) * 8);
});

test(
  'the id arg of sys_enter, at the offset the context model gives, tells getppid() calls apart',
  { skip: process.arch !== 'x64' && 'the syscall number used is the x86_64 one' },
  async () => {
    const [probe] = registry.expand(attachPoint('rt:sys_enter'), {});
    const id = rawtracepoint.context(probe).args.find((arg) => arg.name === 'id');
    assert.ok(id, 'sys_enter has an id argument');
    const map = createStateMap();
    const program = loadCounter(map, {
      name: 'prov_rt_count',
      type: ProgramType.RAW_TRACEPOINT,
      filter: (b) => b.ldx('dw', R2, R6, id.offset).jmp('ne', R2, GETPPID, 'out'),
    });
    const child = await heldPython(`for _ in range(${CALLS}): os.getppid()`);
    watchProcess(map, child.pid);
    const link = rawtracepoint.attach(program.fd, probe, {});
    try {
      assert.equal(await child.release(), 0);
      assert.equal(readState(map).count, BigInt(CALLS));
    } finally {
      link.detach();
      program.close();
      map.close();
    }
  },
);

test('a trivial program of the provider\'s kind attaches and detaches', () => {
  const [probe] = registry.expand(attachPoint('rawtracepoint:sched_switch'), {});
  const program = loadTrivialProgram('prov_rt', rawtracepoint.programKind(probe));
  try {
    const link = rawtracepoint.attach(program.fd, probe, {});
    assert.equal(link.description, 'rawtracepoint:sched_switch');
    link.detach();
  } finally {
    program.close();
  }
});
