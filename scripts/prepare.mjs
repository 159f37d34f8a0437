// Makes a checkout ready to run: installs dependencies when node_modules is missing or older than the
// lockfile, and rebuilds dist/ when any source, or the build itself, is newer than the last build.
// Used by the ./bpfscope launcher (first run), by the CLI's loader (sources changed since the build)
// and before the tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_INPUTS } from './build-inputs.mjs';

const root = new URL('..', import.meta.url).pathname;
const at = (path) => join(root, path);
const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (mtime(at('node_modules/.package-lock.json')) < mtime(at('package-lock.json'))) {
  console.error('bpfscope: installing dependencies (first run)...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: ['ignore', 2, 2] });
}

const stamp = at('dist/.stamp');
const buildInputs = BUILD_INPUTS.map((path) => mtime(at(path)));
// --build: the CLI's loader found one of its own inputs changed, so build whatever the times say.
if (process.argv.includes('--build') || mtime(stamp) < Math.max(newestIn(at('src')), ...buildInputs)) {
  execFileSync(process.execPath, [at('scripts/build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
}
