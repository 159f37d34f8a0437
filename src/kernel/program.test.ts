import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachType, BpfCommand, FakeSys, ProgramType, SyscallError, readU32, readU64, type FakeAnswer } from '../sys/index.js';
import { Program, type ProgramSpec } from './program.js';
import { VerifierError } from './verifier-error.js';
import { RETURN_ZERO } from './testing/instructions.js';

const KIB = 1024;
const tracepoint: ProgramSpec = { name: 'unit', type: ProgramType.TRACEPOINT, instructions: RETURN_ZERO, license: 'GPL' };

/** A FakeSys whose PROG_LOAD answers come from `answer`, given the log buffer (absent on the fast path). */
function fakeLoader(answer: (log: Uint8Array | undefined) => FakeAnswer): { sys: FakeSys; logSizes: number[] } {
  const sys = new FakeSys();
  const logSizes: number[] = [];
  sys.onBpf = (cmd, attr) => {
    if (cmd !== BpfCommand.PROG_LOAD) return undefined;
    const size = readU32(attr, 28);
    logSizes.push(size);
    return answer(size > 0 ? sys.deref(readU64(attr, 32)) : undefined);
  };
  return { sys, logSizes };
}

function writeLog(buffer: Uint8Array, text: string): void {
  buffer.set(new TextEncoder().encode(text).subarray(0, buffer.length - 1));
}

test('a load the verifier gave up on because of a signal (EAGAIN) runs again, a few times at most', () => {
  let calls = 0;
  const { sys } = fakeLoader(() => (++calls <= 2 ? { errno: 'EAGAIN' } : undefined));
  Program.load(tracepoint, { sys }).close();
  assert.equal(calls, 3);
  const always = fakeLoader(() => ({ errno: 'EAGAIN' }));
  assert.throws(() => Program.load(tracepoint, { sys: always.sys }), (error) => error instanceof SyscallError && error.code === 'EAGAIN');
  assert.equal(always.logSizes.filter((size) => size === 0).length, 5);
});

test('a failed load is retried with a log that grows ×4 while the kernel answers ENOSPC', () => {
  let calls = 0;
  const { sys, logSizes } = fakeLoader(() => {
    calls++;
    if (calls === 1) return { errno: 'EACCES' };
    if (calls <= 3) return { errno: 'ENOSPC' };
    return undefined;
  });
  const program = Program.load(tracepoint, { sys });
  assert.deepEqual(logSizes, [0, 64 * KIB, 256 * KIB, 1024 * KIB]);
  assert.ok(sys.openFds.has(program.fd));
  program.close();
  program.close();
  assert.equal(sys.openFds.size, 0, 'close is idempotent and releases the fd');
});

test('the log stops growing at 16 MiB and the verdict is marked truncated', () => {
  const { sys, logSizes } = fakeLoader((log) => {
    if (log) writeLog(log, '5: (85) call bpf_foo#999\nunknown func bpf_foo#999\n');
    return { errno: log ? 'ENOSPC' : 'EINVAL' };
  });
  assert.throws(() => Program.load(tracepoint, { sys }), (error: unknown) => {
    assert.ok(error instanceof VerifierError);
    assert.equal(error.truncated, true);
    assert.equal(error.code, 'ENOSPC');
    assert.match(error.message, /unknown func bpf_foo#999/);
    return true;
  });
  assert.deepEqual(logSizes, [0, 64 * KIB, 256 * KIB, 1024 * KIB, 4096 * KIB, 16384 * KIB]);
});

test('a long rejection log is summarised to the failing instruction and reason', () => {
  const states = Array.from({ length: 40 }, (_, i) => `${i}: R0=scalar() R1=ctx() R10=fp0`);
  const log = [...states, '40: (61) r2 = *(u32 *)(r0 +0)', "R0 invalid mem access 'scalar'",
    'processed 41 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0', ''].join('\n');
  const { sys } = fakeLoader((buffer) => {
    if (buffer) writeLog(buffer, log);
    return { errno: 'EACCES' };
  });
  assert.throws(() => Program.load(tracepoint, { sys }), (error: unknown) => {
    assert.ok(error instanceof VerifierError);
    assert.deepEqual(error.summary, { lines: ['40: (61) r2 = *(u32 *)(r0 +0)', "R0 invalid mem access 'scalar'"], omitted: 40 });
    assert.equal(error.fullLog, log);
    assert.equal(String(error), [
      'VerifierError: the verifier rejected program unit (EACCES)',
      '(40 lines omitted)',
      '  40: (61) r2 = *(u32 *)(r0 +0)',
      "  R0 invalid mem access 'scalar'",
    ].join('\n'));
    return true;
  });
});

test('EPERM on an fentry program says the kernel policy refuses fentry/fexit, even after a clean log', () => {
  const { sys } = fakeLoader((log) => {
    if (log) writeLog(log, 'processed 2 insns (limit 1000000)\n');
    return { errno: 'EPERM' };
  });
  const fentry: ProgramSpec = {
    ...tracepoint, type: ProgramType.TRACING, expectedAttachType: AttachType.TRACE_FENTRY, attachBtfId: 1234,
  };
  assert.throws(() => Program.load(fentry, { sys }), (error: unknown) => error instanceof SyscallError
    && error.code === 'EPERM'
    && error.hint === 'fentry/fexit programs are refused on this kernel (lockdown or LSM policy)'
    && error.cause instanceof SyscallError);
});

test('EINVAL without a log names the program type and attach type', () => {
  const { sys } = fakeLoader(() => ({ errno: 'EINVAL' }));
  const tpBtf: ProgramSpec = { ...tracepoint, type: ProgramType.TRACING, expectedAttachType: AttachType.TRACE_RAW_TP };
  assert.throws(() => Program.load(tpBtf, { sys }), (error: unknown) => error instanceof SyscallError
    && error.hint === 'program type TRACING with attach type TRACE_RAW_TP is not supported by this kernel');
});

test('other errors keep the generic hint of their errno', () => {
  const { sys } = fakeLoader(() => ({ errno: 'ENOMEM' }));
  assert.throws(() => Program.load(tracepoint, { sys }), (error: unknown) => error instanceof SyscallError
    && error.code === 'ENOMEM' && /could not allocate memory/.test(error.message));
});

test('instructions that are not whole 8-byte units are refused before any system call', () => {
  const { sys, logSizes } = fakeLoader(() => undefined);
  assert.throws(() => Program.load({ ...tracepoint, instructions: new Uint8Array(12) }, { sys }), /not a whole number/);
  assert.throws(() => Program.load({ ...tracepoint, instructions: new Uint8Array(0) }, { sys }), /not a whole number/);
  assert.deepEqual(logSizes, []);
});

test('the fast path passes name, license, attach type and BTF id to the kernel', () => {
  const sys = new FakeSys();
  let seen: Uint8Array | undefined;
  sys.onBpf = (_cmd, attr) => {
    seen = attr.slice();
    return undefined;
  };
  Program.load({ ...tracepoint, type: ProgramType.TRACING, expectedAttachType: AttachType.TRACE_RAW_TP, attachBtfId: 77 }, { sys });
  assert.ok(seen);
  assert.equal(readU32(seen, 0), ProgramType.TRACING);
  assert.equal(readU32(seen, 4), 2, 'instruction count');
  assert.equal(readU32(seen, 24), 0, 'no log level on the fast path');
  assert.equal(readU32(seen, 68), AttachType.TRACE_RAW_TP);
  assert.equal(readU32(seen, 108), 77);
  assert.equal(new TextDecoder().decode(seen.subarray(48, 52)), 'unit');
});

test('a program with functions passes its BTF fd and func_info records; one without leaves those fields zero', () => {
  const sys = new FakeSys();
  const seen: { attr: Uint8Array; records?: Uint8Array }[] = [];
  sys.onBpf = (_cmd, attr) => {
    const count = readU32(attr, 88);
    seen.push({ attr: attr.slice(), ...(count > 0 ? { records: sys.deref(readU64(attr, 80)).slice(0, count * 8) } : {}) });
    return undefined;
  };
  const records = [{ insnOffset: 0, typeId: 4 }, { insnOffset: 12, typeId: 7 }];
  Program.load({ ...tracepoint, functions: { btfFd: 9, records } }, { sys });
  Program.load(tracepoint, { sys });
  const [withFunctions, without] = seen;
  assert.deepEqual([72, 76, 88].map((o) => readU32(withFunctions.attr, o)), [9, 8, 2]);
  assert.ok(withFunctions.records);
  assert.deepEqual([0, 4, 8, 12].map((o) => readU32(withFunctions.records as Uint8Array, o)), [0, 4, 12, 7]);
  assert.deepEqual([72, 76, 80, 84, 88].map((o) => readU32(without.attr, o)), [0, 0, 0, 0, 0]);
});
