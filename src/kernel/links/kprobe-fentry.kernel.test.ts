// kprobes and fentry/fexit are absent from some kernels (this project's VM has neither); on those the
// attempt must fail with the precise reason, and where they exist they must count calls exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKernelBtf } from '../../btf/index.js';
import { ProgramType, linuxSys } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { findTracefs } from '../tracefs.js';
import { FENTRY_REFUSED, attachFentry, explainFentryLoadError, fentryAttachBtfId, fentryAttachType } from './fentry-link.js';
import { KPROBES_MISSING, attachKprobe } from './kprobe-link.js';
import { sysfsPmu } from './pmu.js';
import { hasProbeEventsFile } from './probe-events.js';
import { createStateMap, heldPython, loadCounter, readState, watchProcess } from './kernel-test-support.js';

const sys = linuxSys();
const CALLS = 11;
const GETPPID_FUNCTION = '__x64_sys_getppid';
const x64Only = { skip: process.arch !== 'x64' && `${GETPPID_FUNCTION} is the x86_64 syscall entry` };

function kernelHasKprobes(): boolean {
  const tracefs = findTracefs();
  return sysfsPmu('kprobe') !== undefined || (tracefs !== undefined && hasProbeEventsFile(tracefs, 'kprobe_events'));
}

test('a kprobe counts the calls of a kernel function, or fails naming CONFIG_KPROBES', x64Only, async () => {
  const map = createStateMap();
  const program = loadCounter(map, { name: 'kprobe_getppid', type: ProgramType.KPROBE });
  try {
    if (!kernelHasKprobes()) {
      assert.throws(
        () => attachKprobe(sys, program, { function: GETPPID_FUNCTION }),
        (error: unknown) => error instanceof UnsupportedFeatureError && error.reason === KPROBES_MISSING &&
          error.feature === 'kprobes',
      );
      assert.throws(
        () => attachKprobe(sys, program, { function: GETPPID_FUNCTION }, { retprobe: true }),
        (error: unknown) => error instanceof UnsupportedFeatureError && error.feature === 'kretprobes',
      );
      return;
    }
    const child = await heldPython(`for _ in range(${CALLS}): os.getppid()`);
    watchProcess(map, child.pid);
    const link = attachKprobe(sys, program, { function: GETPPID_FUNCTION });
    try {
      assert.equal(await child.release(), 0);
      assert.equal(readState(map).count, BigInt(CALLS));
    } finally {
      link.detach();
    }
  } finally {
    program.close();
    map.close();
  }
});

/** getppid() reaches it through task_tgid_vnr(); it is a real function with BTF, unlike the syscall wrappers. */
const PID_FUNCTION = '__task_pid_nr_ns';

test('an fentry program sees the calls of a kernel function, or its refusal is explained', async () => {
  const attachBtfId = fentryAttachBtfId(loadKernelBtf(), PID_FUNCTION);
  const map = createStateMap();
  let program;
  try {
    program = loadCounter(map, {
      name: 'fentry_pid_nr',
      type: ProgramType.TRACING,
      expectedAttachType: fentryAttachType('fentry'),
      attachBtfId,
    });
  } catch (error) {
    map.close();
    const explained = explainFentryLoadError('fentry', PID_FUNCTION, error);
    assert.ok(explained instanceof UnsupportedFeatureError, `unexpected load failure: ${String(error)}`);
    assert.equal(explained.message, `fentry:${PID_FUNCTION} is not available: ${FENTRY_REFUSED}`);
    return;
  }
  const child = await heldPython(`for _ in range(${CALLS}): os.getppid()`);
  watchProcess(map, child.pid);
  const link = attachFentry(sys, program, 'fentry', PID_FUNCTION);
  try {
    assert.equal(await child.release(), 0);
    assert.ok(readState(map).count >= BigInt(CALLS));
  } finally {
    link.detach();
    program.close();
    map.close();
  }
});

test('fentry needs a kernel function with BTF', () => {
  assert.throws(() => fentryAttachBtfId(loadKernelBtf(), 'no_such_kernel_function'), /function no_such_kernel_function/);
});
