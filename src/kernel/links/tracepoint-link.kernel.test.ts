import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType, SyscallError, linuxSys } from '../../sys/index.js';
import { attachTracepoint } from './tracepoint-link.js';
import { createStateMap, heldPython, loadCounter, readState, watchProcess } from './kernel-test-support.js';

const sys = linuxSys();
const CALLS = 37;

test('a tracepoint program counts exactly the getppid() calls of one process', async () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'tp_getppid', type: ProgramType.TRACEPOINT });
  const child = await heldPython(`for _ in range(${CALLS}): os.getppid()`);
  watchProcess(map, child.pid);
  const link = attachTracepoint(sys, program, 'syscalls', 'sys_enter_getppid');
  try {
    assert.equal(link.description, 'tracepoint:syscalls:sys_enter_getppid');
    assert.equal(await child.release(), 0);
    assert.equal(readState(map).count, BigInt(CALLS));
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('after detach the program no longer runs', async () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'tp_getppid', type: ProgramType.TRACEPOINT });
  const child = await heldPython(`for _ in range(${CALLS}): os.getppid()`);
  watchProcess(map, child.pid);
  attachTracepoint(sys, program, 'syscalls', 'sys_enter_getppid').detach();
  try {
    assert.equal(await child.release(), 0);
    assert.equal(readState(map).count, 0n);
  } finally {
    program.close();
    map.close();
  }
});

test('attaching the same program twice to one tracepoint is refused with EEXIST and a hint', () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'tp_getppid', type: ProgramType.TRACEPOINT });
  const link = attachTracepoint(sys, program, 'syscalls', 'sys_enter_getppid');
  try {
    assert.throws(
      () => attachTracepoint(sys, program, 'syscalls', 'sys_enter_getppid'),
      (error: unknown) => error instanceof SyscallError && error.code === 'EEXIST' &&
        /already attached to tracepoint:syscalls:sys_enter_getppid/.test(error.message),
    );
  } finally {
    link.detach();
    link.detach();
    program.close();
    map.close();
  }
});

test('an unknown tracepoint names itself', () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'tp_getppid', type: ProgramType.TRACEPOINT });
  try {
    assert.throws(() => attachTracepoint(sys, program, 'syscalls', 'sys_enter_nonexistent'), /no such tracepoint syscalls:sys_enter_nonexistent/);
  } finally {
    program.close();
    map.close();
  }
});
