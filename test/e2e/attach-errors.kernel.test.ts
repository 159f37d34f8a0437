// A probe the kernel refuses, at attach or at load time, is shown where the script names it, like a
// compile error, and the run ends with a non-zero status and nothing left attached.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { haveFentryProgram, haveKprobeAttach } from '../../src/features/index.js';
import { runCli, STACK_FRAME } from './cli-process.js';

const kprobes = haveKprobeAttach();
const fentryRefused = /refused with EPERM/.test(haveFentryProgram().reason ?? '');

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

it('locates a load failure at its attach point', { skip: !fentryRefused && 'this kernel does not refuse fentry programs at load time' }, async () => {
  const result = await runCli('--dry-run', '-e', 'BEGIN {}\nfentry:vfs_read { }');
  assert.equal(result.status, 1);
  const [header, ...rest] = result.stderr.split('\n');
  assert.match(header, /^-e:2:1: error: cannot load fentry:vfs_read: .*EPERM/);
  assert.deepEqual(rest, ['fentry:vfs_read { }', '^~~~~~~~~~~~~~~', '']);
  assert.doesNotMatch(result.stderr, STACK_FRAME);
});
