// A probe the kernel refuses is shown where the script names it, like a compile error, and the run
// ends with a non-zero status and nothing left attached.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { haveKprobeAttach } from '../../src/features/index.js';
import { runCli, STACK_FRAME } from './cli-process.js';

const kprobes = haveKprobeAttach();

it('locates an attach failure at its attach point', { skip: kprobes.available && 'kprobes attach on this kernel' }, async () => {
  const result = await runCli('-e', 'BEGIN { }\n  kprobe:vfs_read {}');
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  const [attaching, header, ...rest] = result.stderr.split('\n');
  assert.equal(attaching, 'Attaching 2 probes...');
  assert.match(header, /^-e:2:3: error: cannot attach kprobe:vfs_read: kprobes is not available: ./);
  assert.deepEqual(rest, ['  kprobe:vfs_read {}', '  ^~~~~~~~~~~~~~~', '']);
  assert.doesNotMatch(result.stderr, STACK_FRAME);
});
