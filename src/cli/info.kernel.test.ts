// `bpfscope info --json` run as a separate process, as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function runCli(args: string[]) {
  const cacheHome = mkdtempSync(join(tmpdir(), 'bpfscope-info-'));
  try {
    return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    });
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}

test('info --json reports this kernel', () => {
  const result = runCli(['info', '--json']);
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Record<string, Record<string, Record<string, unknown>>>;
  assert.deepEqual(Object.keys(report), ['kernel', 'programTypes', 'mapTypes', 'attachKinds', 'helpers']);
  assert.equal(report.kernel.btf, true);
  assert.deepEqual(report.attachKinds.tracepoint, { available: true, minKernel: '4.7' });
  assert.deepEqual(report.attachKinds.raw_tracepoint, { available: true, minKernel: '4.17' });
  assert.deepEqual(report.attachKinds.uprobe, { available: true, minKernel: '4.17' });
  assert.deepEqual(report.mapTypes.ringbuf, { available: true, minKernel: '5.8' });
  assert.equal(report.attachKinds.kprobe.available, false);
  assert.match(String(report.attachKinds.kprobe.reason), /CONFIG_KPROBES/);
  assert.equal(report.programTypes.fentry.available, false);
  assert.match(String(report.programTypes.fentry.reason), /EPERM \(kernel policy\)/);
});

test('the text report has a section per family and a reason beside every no', () => {
  const result = runCli(['--info']);
  assert.equal(result.status, 0, result.stderr);
  for (const title of ['System', 'Program types', 'Map types', 'Attach kinds', 'Helpers']) {
    assert.match(result.stdout, new RegExp(`^${title}$`, 'm'));
  }
  assert.match(result.stdout, /^ {2}kprobe +no — this kernel is built without CONFIG_KPROBES/m);
  assert.match(result.stdout, /^ {2}tracepoint +yes$/m);
});

test('a word that is neither a command nor a file is one line of error and a non-zero status', () => {
  // As in bpftrace, a positional argument names a script file.
  const result = runCli(['frobnicate']);
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'bpfscope: cannot read the script frobnicate: ENOENT (no such file; a program given on the command line goes after -e)\n');
});
