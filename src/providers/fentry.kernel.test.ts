import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedFeatureError } from '../kernel/errors.js';
import { FENTRY_REFUSED } from '../kernel/links/fentry-link.js';
import type { Program } from '../kernel/program.js';
import { defaultProviders } from './registry.js';
import { attachPoint } from './testing/fixtures.js';
import { loadTrivialProgram } from './testing/programs.js';

const registry = defaultProviders();

test('fentry:vfs_read is typed from the kernel BTF', () => {
  const [probe] = registry.expand(attachPoint('kfunc:vfs_read'), {});
  const fentry = registry.expect('fentry');
  assert.equal(probe.name, 'fentry:vfs_read');
  assert.deepEqual(fentry.context(probe).args.map((arg) => [arg.name, arg.cType]), [
    ['file', 'struct file *'], ['buf', 'char *'], ['count', 'size_t'], ['pos', 'loff_t *'],
  ]);
  const fexit = registry.expect('fexit');
  assert.equal(fexit.context(fexit.expand(attachPoint('fexit:vfs_read'), {})[0]).retvalField?.cType, 'ssize_t');
});

test('fentry and fexit attach where the kernel allows trampolines, and say why not where it refuses them', () => {
  for (const raw of ['fentry:vfs_read', 'fexit:vfs_read']) {
    const [probe] = registry.expand(attachPoint(raw), {});
    const provider = registry.expect(probe.provider);
    let program: Program;
    try {
      program = loadTrivialProgram('prov_fentry', provider.programKind(probe));
    } catch (error) {
      const explained = provider.explainLoadError?.(probe, error);
      assert.ok(explained instanceof UnsupportedFeatureError, `the load failed unexplained: ${String(error)}`);
      assert.equal(explained.reason, FENTRY_REFUSED);
      assert.equal(explained.feature, raw);
      continue;
    }
    try {
      provider.attach(program.fd, probe, {}).detach();
    } finally {
      program.close();
    }
  }
});
