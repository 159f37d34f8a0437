// The built CLI's loader (scripts/cli-loader.cjs) notices a source changed since the build, has it
// rebuilt, and then runs. Checked on a copy of the checkout whose scripts/prepare.mjs only records
// that it ran and stamps the build, so the test neither rebuilds nor touches the real dist/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const FAKE_PREPARE = `
import { appendFileSync, existsSync, utimesSync } from 'node:fs';
const root = new URL('..', import.meta.url).pathname;
appendFileSync(root + 'prepared.log', process.argv.slice(2).join(' ') + '\\n');
if (!existsSync(root + 'stamp-elsewhere')) {
  const later = new Date(Date.now() + 60_000);
  utimesSync(root + 'dist/.stamp', later, later);
}
`;

test('a source changed since the build is rebuilt before the CLI runs, once', async () => {
  assert.ok(existsSync(join(ROOT, 'dist/.stamp')), 'the tests run after a build');
  const copy = mkdtempSync(join(tmpdir(), 'bpfscope-loader-'));
  try {
    for (const path of ['src', 'dist', 'scripts', 'package.json', 'package-lock.json']) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    writeFileSync(join(copy, 'scripts/prepare.mjs'), FAKE_PREPARE);
    const stamped = new Date(Date.now() + 30_000);
    utimesSync(join(copy, 'dist/.stamp'), stamped, stamped);
    const run = (...args: string[]): Promise<{ stdout: string }> =>
      promisify(execFile)(process.execPath, [join(copy, 'dist/bpfscope.cjs'), ...args], { encoding: 'utf8', timeout: 60_000 });
    const version = async (): Promise<string> => (await run('--version')).stdout;
    const log = (): string => (existsSync(join(copy, 'prepared.log')) ? readFileSync(join(copy, 'prepared.log'), 'utf8') : '');

    assert.match(await version(), /^bpfscope \d/);
    assert.equal(log(), '', 'nothing changed since the build');

    const edited = new Date(Date.now() + 45_000);
    utimesSync(join(copy, 'src/cli/main.ts'), edited, edited);
    assert.match(await version(), /^bpfscope \d/, 'the run goes on after the rebuild');
    assert.equal(log(), '--build\n');
    await version();
    assert.equal(log(), '--build\n', 'the new stamp covers the edit');

    // A build that does not stamp this dist/ (a copy of it elsewhere) is run after one rebuild anyway.
    writeFileSync(join(copy, 'stamp-elsewhere'), '');
    const later = new Date(Date.now() + 90_000);
    utimesSync(join(copy, 'src/cli/main.ts'), later, later);
    assert.match(await version(), /^bpfscope \d/);
    assert.equal(log(), '--build\n--build\n');
    // The run after a rebuild ends as the rebuilt CLI ends: here a usage error, status 2.
    await assert.rejects(run('--nope'), (error: { code?: unknown; stderr?: unknown }) =>
      error.code === 2 && typeof error.stderr === 'string' && error.stderr.includes("unknown option '--nope'"));
    assert.equal(log(), '--build\n--build\n--build\n');
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
