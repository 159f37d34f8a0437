import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, DiagnosticCode, Source, error as diagnostic } from '../lang/index.js';
import { ProbeError } from '../providers/index.js';
import { AttachError } from '../runtime/index.js';
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
