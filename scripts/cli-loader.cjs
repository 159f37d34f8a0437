// The CLI's entry point in dist/ (the build copies this file to dist/bpfscope.cjs). It compiles the
// bundled CLI with V8's code cache: compiling the bundle from source costs ~10 ms on every run, while
// the cache — bytecode of every function the first run compiled — makes it ~2 ms.
//
// The bundle's name carries a hash of its content (BUNDLE_FILE is set by scripts/build.mjs), and so
// does the cache's: V8 checks only a cache's source length, its own version and the V8 flags, never that
// it belongs to this source. Without a cache, or when V8 rejects it (another Node version, or Node
// started with other flags than ./bpfscope's), the run compiles from source as usual and leaves a
// fresh cache behind at exit; a read-only dist/ simply never gets one.
'use strict';
/* global BUNDLE_FILE */
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
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

const cachedData = readCache();
// The wrapper CommonJS gives every module, so the bundle sees require, module and __dirname. The bundle
// lies beside this file, so this file's own `require` resolves its paths alike; createRequire would
// cost ~1 ms of start-up, loading node:module and the ES module loader behind it.
const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
const script = new Script(source, { filename: bundle, cachedData });
// At exit the functions this run compiled lazily are compiled too, so they are in the cache.
if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeCache(script));
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, require, module_, bundle, __dirname);
