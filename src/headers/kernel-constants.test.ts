import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelConstants } from './kernel-constants.js';

function value(name: string): bigint | undefined {
  const found = kernelConstants.lookup(name);
  return found?.kind === 'integer' ? found.value : undefined;
}

describe('kernelConstants', () => {
  it('knows the task states, derived ones included', () => {
    assert.equal(value('TASK_RUNNING'), 0n);
    assert.equal(value('TASK_INTERRUPTIBLE'), 1n);
    assert.equal(value('TASK_UNINTERRUPTIBLE'), 2n);
    assert.equal(value('__TASK_STOPPED'), 4n);
    assert.equal(value('__TASK_TRACED'), 8n);
    assert.equal(value('EXIT_DEAD'), 16n);
    assert.equal(value('EXIT_ZOMBIE'), 32n);
    assert.equal(value('TASK_KILLABLE'), 0x102n);
    assert.equal(value('TASK_REPORT_MAX'), 0x100n);
    assert.equal(value('TASK_COMM_LEN'), 16n);
  });

  it('knows TCP states, address families and block operations', () => {
    assert.equal(value('TCP_ESTABLISHED'), 1n);
    assert.equal(value('TCP_CLOSE'), 7n);
    assert.equal(value('TCP_NEW_SYN_RECV'), 12n);
    assert.equal(value('AF_INET6'), 10n);
    assert.equal(value('REQ_OP_WRITE'), 1n);
    assert.equal(value('REQ_OP_MASK'), 255n);
  });

  it('marks its values as kernel constants and knows nothing else', () => {
    assert.equal(kernelConstants.lookup('TASK_RUNNING')?.origin.source, 'kernel');
    assert.equal(kernelConstants.lookup('INT_MAX'), undefined);
  });
});
