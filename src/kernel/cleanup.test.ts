import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { liveResources, register, releaseAll, unregister } from './cleanup.js';

const cleanupModule = pathToFileURL(fileURLToPath(new URL('./cleanup.ts', import.meta.url))).href;

/**
 * Runs `scenario` in a fresh Node process that has registered two resources, which print when
 * released; the second one registered must be released first.
 */
function runScenario(scenario: string): { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null } {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscope-cleanup-'));
  try {
    const script = join(dir, 'scenario.mts');
    writeFileSync(script, [
      `import { writeSync } from 'node:fs';`,
      `import { register } from '${cleanupModule}';`,
      `const say = (text: string) => writeSync(1, text + '\\n');`,
      `register({ description: 'first', release: () => say('released first') });`,
      `register({ description: 'second', release: () => say('released second') });`,
      scenario,
    ].join('\n'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    return { stdout: result.stdout, stderr: result.stderr, status: result.status, signal: result.signal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RELEASED = 'released second\nreleased first\n';

test('resources are released newest first when the program ends normally', () => {
  const run = runScenario('');
  assert.deepEqual([run.stdout, run.status], [RELEASED, 0]);
});

test('process.exit keeps its exit code', () => {
  const run = runScenario('process.exit(3);');
  assert.deepEqual([run.stdout, run.status], [RELEASED, 3]);
});

test('an uncaught exception still prints and exits 1, after the release', () => {
  const run = runScenario(`setImmediate(() => { throw new Error('boom'); });`);
  assert.deepEqual([run.stdout, run.status], [RELEASED, 1]);
  assert.match(run.stderr, /Error: boom/);
});

test('an unhandled rejection releases once and exits 1', () => {
  const run = runScenario(`void Promise.reject(new Error('refused'));`);
  assert.deepEqual([run.stdout, run.status], [RELEASED, 1]);
  assert.match(run.stderr, /refused/);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} releases and then ends the process by the signal itself`, () => {
    const run = runScenario(`setInterval(() => {}, 1000); process.kill(process.pid, '${signal}');`);
    assert.deepEqual([run.stdout, run.signal], [RELEASED, signal]);
  });
}

test('a program with its own SIGINT listener owns the signal; release happens at its exit', () => {
  const run = runScenario(
    `setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => { say('own handler'); process.exit(130); });\n` +
      `process.kill(process.pid, 'SIGINT');`,
  );
  assert.deepEqual([run.stdout, run.status], [`own handler\n${RELEASED}`, 130]);
});

test('a program that survives an exception with its own listener keeps its resources until exit', () => {
  const run = runScenario(
    `process.on('uncaughtException', () => say('survived'));\nsetImmediate(() => { throw new Error('boom'); });`,
  );
  assert.deepEqual([run.stdout, run.status], [`survived\n${RELEASED}`, 0]);
});

test('a release that throws is reported and does not stop the others', () => {
  const run = runScenario(`register({ description: 'broken', release: () => { throw new Error('EBUSY'); } });`);
  assert.equal(run.stdout, RELEASED);
  assert.match(run.stderr, /bpfscope: could not release broken: EBUSY/);
  assert.equal(run.status, 0);
});

test('releaseAll releases each resource once and forgets unregistered ones', () => {
  const released: string[] = [];
  const kept = { description: 'kept', release: () => released.push('kept') };
  const dropped = { description: 'dropped', release: () => released.push('dropped') };
  register(kept);
  register(dropped);
  unregister(dropped);
  assert.deepEqual(releaseAll(), []);
  assert.deepEqual(releaseAll(), []);
  assert.deepEqual(released, ['kept']);
  assert.deepEqual(liveResources(), []);
});
