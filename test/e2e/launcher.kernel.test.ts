// The CLI as users start it: the ./bpfscope launcher, the bundle scripts/build.mjs makes and the
// loader that compiles it with V8's code cache (scripts/cli-loader.cjs). The other e2e tests run the
// TypeScript sources, so this is where the build's choices (CommonJS, koffi's native module required
// directly, lazily loaded modules, the cache) are checked to work. test/build/node-flags.test.ts checks
// the launcher's Node flags against the ones the cache is warmed under.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const LAUNCHER = fileURLToPath(new URL('../../bpfscope', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function launch(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(LAUNCHER, args, { encoding: 'utf8' });
}

/** The code cache of the current bundle (the launcher has built it by now). */
function cacheFile(): string {
  const bundle = readdirSync(DIST).find((name) => /^cli-[0-9a-f]+\.cjs$/.test(name));
  assert.ok(bundle !== undefined, `no bundle in ${DIST}`);
  return join(DIST, `${bundle}.cache`);
}

describe('the launcher and the built CLI', () => {
  it('runs a script, with the -c command and system() loaded only when asked for', async () => {
    assert.equal((await launch('--version')).stdout, `bpfscope ${VERSION}\n`);
    const plain = await launch('-e', 'BEGIN { printf("%d\\n", 6 * 7); exit(); }');
    assert.deepEqual(plain, { stdout: '42\n\n\n', stderr: 'Attaching 1 probe...\n' });
    const withCommand = await launch('-q', '-c', 'true', '--unsafe', '-e', 'BEGIN { printf("%d\\n", cpid > 0); system("echo shell"); }');
    assert.equal(withCommand.stdout, '1\nshell\n\n\n');
  });

  it('leaves a code cache, and replaces one V8 refuses', async () => {
    await launch('--version');
    const cache = cacheFile();
    const built = readFileSync(cache);
    assert.ok(built.byteLength > 1024);
    const garbage = Buffer.alloc(4096, 0x5a);
    writeFileSync(cache, garbage);
    try {
      assert.equal((await launch('--version')).stdout, `bpfscope ${VERSION}\n`);
      assert.notDeepEqual(readFileSync(cache), garbage);
    } finally {
      // The replacement holds only what --version compiled; the build's warmed cache serves every
      // later run (and the benchmarks) better.
      writeFileSync(cache, built);
    }
  });
});
