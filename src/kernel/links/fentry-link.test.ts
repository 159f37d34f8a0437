import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachType, BpfCommand, FakeSys, SyscallError, readU32, readU64 } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { FENTRY_REFUSED, attachFentry, explainFentryLoadError, fentryAttachType } from './fentry-link.js';

test('fentry and fexit link through BPF_LINK_CREATE with their attach type and no target', () => {
  for (const kind of ['fentry', 'fexit'] as const) {
    const sys = new FakeSys();
    const link = attachFentry(sys, { fd: 21 }, kind, 'vfs_read');
    assert.deepEqual(sys.callNames(), ['bpf(LINK_CREATE)']);
    const attr = sys.calls[0]?.args[1] as Uint8Array;
    assert.deepEqual([readU32(attr, 0), readU32(attr, 4), readU32(attr, 8)], [21, 0, fentryAttachType(kind)]);
    assert.deepEqual([link.kind, link.description], [kind, `${kind}:vfs_read`]);
    link.detach();
    assert.equal(sys.openFds.size, 0);
  }
  assert.deepEqual([fentryAttachType('fentry'), fentryAttachType('fexit')], [AttachType.TRACE_FENTRY, AttachType.TRACE_FEXIT]);
});

test('kernels without tracing links get BPF_RAW_TRACEPOINT_OPEN with no name', () => {
  const sys = new FakeSys();
  sys.onBpf = (cmd) => (cmd === BpfCommand.LINK_CREATE ? { errno: 'EINVAL' } : undefined);
  const link = attachFentry(sys, { fd: 22 }, 'fexit', 'vfs_read');
  assert.deepEqual(sys.callNames(), ['bpf(LINK_CREATE)', 'bpf(RAW_TRACEPOINT_OPEN)']);
  const attr = sys.calls[1]?.args[1] as Uint8Array;
  assert.deepEqual([readU64(attr, 0), readU32(attr, 8)], [0n, 22]);
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('an EPERM load, also wrapped in a cause, becomes the policy explanation for root', () => {
  const refused = new SyscallError('bpf(PROG_LOAD)', 1);
  for (const error of [refused, new Error('loading failed', { cause: refused })]) {
    const explained = explainFentryLoadError('fexit', 'vfs_read', error);
    if (process.geteuid?.() === 0) {
      assert.ok(explained instanceof UnsupportedFeatureError);
      assert.equal(explained.message, `fexit:vfs_read is not available: ${FENTRY_REFUSED}`);
      assert.equal(explained.cause, error);
    } else {
      assert.equal(explained, error, 'without root, EPERM means missing privileges, not policy');
    }
  }
});

test('other load failures are left as they are', () => {
  const invalid = new SyscallError('bpf(PROG_LOAD)', 22);
  assert.equal(explainFentryLoadError('fentry', 'vfs_read', invalid), invalid);
});
