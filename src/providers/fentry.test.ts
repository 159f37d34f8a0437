import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedFeatureError } from '../kernel/errors.js';
import { AttachType, ProgramType, SyscallError } from '../sys/index.js';
import { FentryProvider } from './fentry.js';
import { ProbeError } from './provider.js';
import { attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const env = fixtureEnvironment();
const fentry = new FentryProvider(env, 'fentry');
const fexit = new FentryProvider(env, 'fexit');

test('fentry targets are BTF functions, with wildcards; names use the canonical provider', () => {
  const vfsRead = env.btf().findFunction('vfs_read')?.id;
  assert.deepEqual(fentry.expand(attachPoint('kfunc:vfs_read')), [
    { provider: 'fentry', name: 'fentry:vfs_read', detail: { function: 'vfs_read', btfId: vfsRead } },
  ]);
  assert.deepEqual(fexit.expand(attachPoint('fexit:vfs_*')).map((probe) => probe.name), ['fexit:vfs_read', 'fexit:vfs_write']);
  assert.equal(fentry.expand(attachPoint('fentry:vmlinux:vfs_read'))[0].name, 'fentry:vmlinux:vfs_read');
  assert.deepEqual([fentry.aliases, fexit.aliases], [['f', 'kfunc'], ['fr', 'kretfunc']]);
});

test('a function without BTF is a ProbeError', () => {
  assert.throws(() => fentry.expand(attachPoint('fentry:nope')), (error: unknown) =>
    error instanceof ProbeError && error.message === "fentry target not found: kernel function 'nope' has no BTF");
  assert.throws(() => fentry.expand(attachPoint('fentry:ext4:ext4_sync_fs')), /module 'ext4' are not supported/);
});

test('the program is loaded against the function: TRACING, FENTRY/FEXIT, its BTF id', () => {
  const [entry] = fentry.expand(attachPoint('fentry:vfs_read'));
  const [exit] = fexit.expand(attachPoint('fexit:vfs_read'));
  assert.deepEqual(fentry.programKind(entry), {
    programType: ProgramType.TRACING, expectedAttachType: AttachType.TRACE_FENTRY, attachBtfId: entry.detail.btfId,
  });
  assert.equal(fexit.programKind(exit).expectedAttachType, AttachType.TRACE_FEXIT);
  // Each program is bound to one function, so none are shared.
  const [read, write] = fentry.expand(attachPoint('fentry:vfs_*'));
  assert.notEqual(fentry.shareKey(read), fentry.shareKey(write));
});

test('args are the prototype\'s parameters in slots; fexit adds the typed retval after them', () => {
  const [entry] = fentry.expand(attachPoint('fentry:vfs_read'));
  const entryContext = fentry.context(entry);
  assert.deepEqual(entryContext.args.map((arg) => [arg.name, arg.cType, arg.offset]), [
    ['file', 'struct file *', 0], ['buf', 'char *', 8], ['count', 'size_t', 16], ['pos', 'long *', 24],
  ]);
  assert.equal(entryContext.retvalOffset, undefined);
  const exitContext = fexit.context(fexit.expand(attachPoint('fexit:vfs_read'))[0]);
  assert.equal(exitContext.retvalOffset, 32);
  assert.deepEqual(
    [exitContext.retvalField?.cType, exitContext.retvalField?.offset, exitContext.retvalField?.size, exitContext.retvalField?.signed],
    ['ssize_t', 32, 8, true],
  );
});

test('-lv lists parameters, and fexit its retval', () => {
  assert.deepEqual(fentry.list(['vfs_read'], { verbose: true }), [
    { name: 'fentry:vfs_read', details: ['struct file * file', 'char * buf', 'size_t count', 'long * pos'] },
  ]);
  assert.equal(fexit.list(['vfs_read'], { verbose: true })[0].details?.at(-1), 'ssize_t retval');
  assert.deepEqual(fentry.list(['vfs_*'], { verbose: false }).map((probe) => probe.name), ['fentry:vfs_read', 'fentry:vfs_write']);
});

test('a load refused with EPERM is explained as kernel policy', () => {
  const [entry] = fentry.expand(attachPoint('fentry:vfs_read'));
  const refused = new SyscallError('bpf(PROG_LOAD)', 1);
  const explained = fentry.explainLoadError(entry, refused);
  if (process.geteuid?.() === 0) {
    assert.ok(explained instanceof UnsupportedFeatureError);
    assert.match(explained.message, /^fentry:vfs_read is not available: fentry\/fexit programs are refused by this kernel/);
  } else {
    assert.equal(explained, refused);
  }
  const other = new SyscallError('bpf(PROG_LOAD)', 22);
  assert.equal(fentry.explainLoadError(entry, other), other);
});
