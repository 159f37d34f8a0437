import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, DiagnosticCode, Source, error as diagnostic } from '../lang/index.js';
import { ProbeError } from '../providers/index.js';
import { VerifierError } from '../kernel/index.js';
import { AttachError, ProbeLoadError } from '../runtime/index.js';
import { SyscallError } from '../sys/index.js';
import { describeError } from './error-report.js';

describe('describeError', () => {
  it('renders compile errors as located diagnostics', () => {
    const source = new Source('x.bt', 'BEGIN { @ = ; }');
    const error = new CompileError(source, [diagnostic(DiagnosticCode.ExpectedExpression, 'expected an expression', { start: 12, end: 13 })]);
    assert.equal(describeError(error, false), 'x.bt:1:13: error: expected an expression\nBEGIN { @ = ; }\n            ^\n');
  });

  it('adds the hint of an error the message quotes', () => {
    const error = new AttachError('uprobe:/bin/x:f', new ProbeError('no symbol f in /bin/x', 'list them with bpfscope -l'));
    assert.equal(describeError(error, false), 'bpfscope: cannot attach uprobe:/bin/x:f: no symbol f in /bin/x\nhint: list them with bpfscope -l\n');
  });

  it('shows a probe the kernel refused at its attach point, with the errno and the hint', () => {
    const source = new Source('-e', 'BEGIN {}\nuprobe:/bin/x:f, uprobe:/bin/x:g { }');
    const location = { source, span: { start: 26, end: 41 } };
    const refused = new AttachError('uprobe:/bin/x:g', new SyscallError('perf_event_open', 22, 'the offset is not an instruction'), location);
    assert.equal(describeError(refused, false), [
      '-e:2:18: error: cannot attach uprobe:/bin/x:g: perf_event_open failed: EINVAL (the offset is not an instruction)',
      'uprobe:/bin/x:f, uprobe:/bin/x:g { }',
      '                 ^~~~~~~~~~~~~~~',
      '',
    ].join('\n'));
    const withHint = new AttachError('uprobe:/bin/x:g', new ProbeError('no symbol g in /bin/x', 'list them with bpfscope -l'), location);
    assert.match(describeError(withHint, false), /\n {17}\^~+\nhint: list them with bpfscope -l\n$/);
  });

  it("puts the verifier's summary of a rejected probe under the caret", () => {
    const source = new Source('x.bt', 'tracepoint:a:b { @ = 1; }');
    const log = '0: R1=ctx() R10=fp0\n0: (79) r6 = *(u64 *)(r10 +8)\ninvalid read from stack off 8+0 size 8\nprocessed 1 insns\n';
    const rejected = new VerifierError('tr_b', new SyscallError('bpf(PROG_LOAD)', 13), log);
    const error = new ProbeLoadError('tracepoint:a:b', rejected, { source, span: { start: 0, end: 14 } });
    assert.equal(describeError(error, false), [
      "x.bt:1:1: error: the kernel's verifier rejected tracepoint:a:b (EACCES)",
      'tracepoint:a:b { @ = 1; }',
      '^~~~~~~~~~~~~~',
      '  (1 earlier line of the verifier log omitted; -d verifier shows them)',
      '  0: (79) r6 = *(u64 *)(r10 +8)',
      '  invalid read from stack off 8+0 size 8',
      '',
    ].join('\n'));
    assert.equal(error.message.split('\n')[0], "the kernel's verifier rejected tracepoint:a:b (EACCES):", 'without the script, the message alone says it');
  });

  it('does not repeat a system call hint the message already carries, nor one of a reworded cause', () => {
    const syscall = new SyscallError('bpf(PROG_LOAD)', 1, 'refused by policy');
    assert.equal(describeError(syscall, false), 'bpfscope: bpf(PROG_LOAD) failed: EPERM (refused by policy)\n');
    const reworded = new Error('fentry is not available here', { cause: syscall });
    assert.equal(describeError(reworded, false), 'bpfscope: fentry is not available here\n');
  });

  it('lists the causes underneath with -v', () => {
    const error = new Error('outer', { cause: new Error('inner') });
    assert.equal(describeError(error, true), 'bpfscope: outer\n  caused by Error: inner\n');
  });

  it('prints thrown non-errors as text', () => {
    assert.equal(describeError('boom', false), 'bpfscope: boom\n');
  });
});
