// The CLI's entry point in dist/ (the build copies this file to dist/bpfscope.cjs). It compiles the
// bundled CLI with V8's code cache: compiling the bundle from source costs ~10 ms on every run, while
// the cache — bytecode of every function the first run compiled — makes it ~2 ms.
//
// The bundle's name carries a hash of its content (BUNDLE_FILE is set by scripts/build.mjs), and so
// does the cache's: V8 checks only a cache's source length, its own version and the V8 flags, never that
// it belongs to this source. Without a cache, or when V8 rejects it (another Node version, or Node
// started with other flags than ./bpfscope's), the run compiles from source as usual and leaves a
// fresh cache behind at exit; a read-only dist/ simply never gets one.
//
// It also notices sources changed since the build (INPUT_FILES, the CLI's sources and the build's
// own files, listed by scripts/build.mjs), rebuilds, and runs the new build: stat calls from here
// cost ~0.5 ms, where the launcher's `find` cost ~1.6 ms of every start.
'use strict';
/* global BUNDLE_FILE, INPUT_FILES */
const { readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const bundle = join(__dirname, BUNDLE_FILE);
const cacheFile = `${bundle}.cache`;

function readCache() {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Written under a temporary name and renamed, so a concurrent run never reads half a cache. */
function writeCache(script) {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    // Only start-up time is lost; the next run tries again.
  }
}

/** True when an input is newer than the build, or gone, or the build never finished (no stamp). */
function stale() {
  const root = join(__dirname, '..');
  const built = statSync(join(__dirname, '.stamp'), { throwIfNoEntry: false })?.mtimeMs;
  return built === undefined || INPUT_FILES.some((path) => !(statSync(join(root, path), { throwIfNoEntry: false })?.mtimeMs <= built));
}

/**
 * Rebuilds, then runs the new build in a child with this process's stdio and arguments, and ends as
 * it ends. This process keeps the pid the launcher exec'd, so signals sent to it are passed on (Ctrl-C
 * reaches both through the terminal; a second SIGINT only asks the run to stop again).
 */
function rebuildAndRun() {
  const { spawn, spawnSync } = require('node:child_process');
  const prepared = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'prepare.mjs'), '--build'], { stdio: ['ignore', 2, 2] });
  if (prepared.status !== 0) {
    process.stderr.write('bpfscope: the rebuild failed\n');
    process.exit(1);
  }
  const child = spawn(process.execPath, [...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [REBUILT]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

function runBundle() {
  const cachedData = readCache();
  // The wrapper CommonJS gives every module, so the bundle sees require, module and __dirname. The
  // bundle lies beside this file, so this file's own `require` resolves its paths alike;
  // createRequire would cost ~1–1.5 ms of start-up, loading node:module and the ES module loader.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
  const script = new Script(source, { filename: bundle, cachedData });
  // At exit the functions this run compiled lazily are compiled too, so they are in the cache.
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeCache(script));
  const module_ = { exports: {} };
  script.runInThisContext()(module_.exports, require, module_, bundle, __dirname);
}

// Set for the run after a rebuild, which never rebuilds again: a copy of dist/ outside the checkout
// (its .stamp is not the one the build writes) would otherwise rebuild and re-run without end.
const REBUILT = 'BPFSCOPE_REBUILT';
if (process.env[REBUILT] === undefined && stale()) {
  rebuildAndRun();
} else {
  delete process.env[REBUILT];
  runBundle();
}
