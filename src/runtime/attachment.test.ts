import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdLink } from '../kernel/links/link.js';
import type { CompiledScript } from '../compiler/compiled-script.js';
import { Source } from '../lang/index.js';
import { FakeSys, SyscallError } from '../sys/index.js';
import { Attachment } from './attachment.js';
import { AttachError } from './errors.js';
import type { LoadedProgram } from './loaded-script.js';

test('a concurrent detach stops every link and names the ones that failed to stop', async () => {
  const sys = new FakeSys();
  const open = () => sys.perfEventOpen(new Uint8Array(128), -1, 0, -1, 0);
  const gone = open();
  sys.close(gone);
  const links = [
    new FdLink(sys, 'tracepoint', 'tracepoint:a:one', [open(), open()], [], 1),
    new FdLink(sys, 'tracepoint', 'tracepoint:a:two', [gone, open()], [], 1),
  ];
  const targets = links.map((link) => ({ provider: 'tracepoint', name: link.description }));
  const program = { compiled: { targets }, program: { fd: 3 } } as unknown as LoadedProgram;
  const attachment = new Attachment();
  let next = 0;
  attachment.attachAll({} as CompiledScript, [program], () => ({ attach: () => links[next++]!, explainLoadError: undefined }), {});
  const { stopped, detached } = attachment.detachConcurrently();
  assert.deepEqual((await stopped).map((failure) => failure.probe), ['tracepoint:a:two']);
  assert.deepEqual(await detached, []);
  assert.equal(sys.openFds.size, 0);
  assert.deepEqual(attachment.detachAll(), [], 'nothing left to do');
});

test('a target the kernel refuses is located at its attach point, and what was attached is detached', () => {
  const sys = new FakeSys();
  const source = new Source('x.bt', 'tracepoint:a:one, tracepoint:a:two { }');
  const targets = [{ provider: 'tracepoint', name: 'tracepoint:a:one' }, { provider: 'tracepoint', name: 'tracepoint:a:two' }];
  const compiled = { targets, targetSpans: [{ start: 0, end: 16 }, { start: 18, end: 34 }] };
  const program = { compiled, program: { fd: 3 } } as unknown as LoadedProgram;
  const link = new FdLink(sys, 'tracepoint', 'tracepoint:a:one', [sys.perfEventOpen(new Uint8Array(128), -1, 0, -1, 0)], [], 1);
  const refusal = new SyscallError('perf_event_open', 2);
  let calls = 0;
  const attach = () => {
    if (calls++ === 0) return link;
    throw refusal;
  };
  assert.throws(() => new Attachment().attachAll({ source } as CompiledScript, [program], () => ({ attach, explainLoadError: undefined }), {}), (error) => {
    assert.ok(error instanceof AttachError);
    assert.equal(error.probe, 'tracepoint:a:two');
    assert.equal(error.cause, refusal);
    assert.deepEqual(error.location, { source, span: { start: 18, end: 34 } });
    return true;
  });
  assert.equal(sys.openFds.size, 0, 'the first target was detached');
});

test('a hook the kernel refuses is reported under the probes it serves, not under its own name', () => {
  const targets = [{ provider: 'tracepoint', name: 'tracepoint:syscalls:sys_enter_a' }, { provider: 'tracepoint', name: 'tracepoint:syscalls:sys_enter_b' }];
  const hook = { provider: 'rawtracepoint', name: 'rawtracepoint:sys_enter' };
  const program = { compiled: { targets, hook }, program: { fd: 3 } } as unknown as LoadedProgram;
  const attach = () => {
    throw new SyscallError('bpf(RAW_TRACEPOINT_OPEN)', 2);
  };
  assert.throws(() => new Attachment().attachAll({} as CompiledScript, [program], () => ({ attach, explainLoadError: undefined }), {}), (error) => {
    assert.ok(error instanceof AttachError);
    assert.equal(error.probe, 'tracepoint:syscalls:sys_enter_a (and 1 more probe)');
    return true;
  });
});
