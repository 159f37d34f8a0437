import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R1, R2, R3, R6 } from '../../asm/index.js';
import { loadKernelBtf } from '../../btf/index.js';
import { AttachType, ProgramType, SyscallError, linuxSys } from '../../sys/index.js';
import { attachRawTracepoint, attachTpBtf, tracepointBtfId } from './raw-tracepoint-link.js';
import { STATE, createStateMap, heldPython, loadCounter, readState, watchProcess } from './kernel-test-support.js';

const sys = linuxSys();
const CALLS = 23;
const SLEEPS = 10;
/** x86_64 syscall number of getppid (asm/unistd_64.h). */
const GETPPID = 110;

test(
  'a raw tracepoint on sys_enter counts exactly the getppid() calls of one process, told apart by syscall id',
  { skip: process.arch !== 'x64' && 'the syscall number used is the x86_64 one' },
  async () => {
    const map = createStateMap();
    // struct bpf_raw_tracepoint_args for sys_enter: args[0] = struct pt_regs *, args[1] = syscall id.
    const program = loadCounter(map, {
      name: 'raw_sys_enter',
      type: ProgramType.RAW_TRACEPOINT,
      filter: (b) => b.ldx('dw', R2, R6, 8).jmp('ne', R2, GETPPID, 'out'),
    });
    const child = await heldPython(`for _ in range(${CALLS}): os.getppid()`);
    watchProcess(map, child.pid);
    const link = attachRawTracepoint(sys, program, 'sys_enter');
    try {
      assert.equal(link.description, 'rawtracepoint:sys_enter');
      assert.equal(await child.release(), 0);
      assert.equal(readState(map).count, BigInt(CALLS));
    } finally {
      link.detach();
      program.close();
      map.close();
    }
  },
);

test('an unknown raw tracepoint is refused with ENOENT and named', () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'raw_unknown', type: ProgramType.RAW_TRACEPOINT });
  try {
    assert.throws(
      () => attachRawTracepoint(sys, program, 'no_such_tracepoint'),
      (error: unknown) => error instanceof SyscallError && error.code === 'ENOENT' && /no_such_tracepoint/.test(error.message),
    );
  } finally {
    program.close();
    map.close();
  }
});

test('a tp_btf program on sched_switch reads its typed task_struct argument', async () => {
  const btf = loadKernelBtf();
  const params = btf.findTracepointType('sched_switch');
  assert.ok(params, 'the kernel BTF describes sched_switch');
  // Each typed argument is one u64 slot of the context.
  const prevSlot = params.findIndex((param) => param.name === 'prev') * 8;
  const task = btf.findType('task_struct', 'struct');
  assert.ok(prevSlot >= 0 && task);
  const tgidOffset = btf.member(task.id, 'tgid').offset;
  const map = createStateMap();
  // The switch runs in the outgoing task, so for the watched process prev->tgid must equal its pid:
  // `first` sums what the typed load read, which makes it count × pid exactly.
  const program = loadCounter(map, {
    name: 'tp_btf_switch',
    type: ProgramType.TRACING,
    expectedAttachType: AttachType.TRACE_RAW_TP,
    attachBtfId: tracepointBtfId(btf, 'sched_switch'),
    filter: (b) => b.ldx('dw', R2, R6, prevSlot).jmp('eq', R2, 0, 'out'),
    record: (b) => b.ldx('dw', R3, R6, prevSlot).ldx('w', R2, R3, tgidOffset).atomic('add', 'dw', R1, STATE.first, R2),
  });
  const child = await heldPython(`for _ in range(${SLEEPS}): time.sleep(0.001)`);
  watchProcess(map, child.pid);
  const link = attachTpBtf(sys, program, 'sched_switch');
  try {
    assert.equal(link.description, 'tp_btf:sched_switch');
    assert.equal(await child.release(), 0);
    const state = readState(map);
    assert.ok(state.count >= BigInt(SLEEPS), `${state.count} switches away from a process that slept ${SLEEPS} times`);
    assert.equal(state.first, state.count * BigInt(child.pid));
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('tracepointBtfId rejects a tracepoint the kernel does not have', () => {
  assert.throws(() => tracepointBtfId(loadKernelBtf(), 'no_such_tracepoint'), /btf_trace_no_such_tracepoint/);
});
