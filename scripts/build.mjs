// Bundles the CLI and the library into dist/ with esbuild. Type checking is separate (`npm run
// typecheck`); esbuild only strips types. Start-up time is felt on every one-liner, so the CLI is
// built for it (docs/ARCHITECTURE.md, Build, has the measurements):
//  - one CommonJS file: Node's ESM loader costs more per file than its CommonJS loader;
//  - koffi's native module required directly: koffi's own JavaScript (resolving its platform package,
//    checking the C library, esbuild's interop copies of node:fs and node:util) is not paid per run;
//  - whitespace removed (less source to read and hash), names kept;
//  - started by dist/bpfscope.cjs (scripts/cli-loader.cjs), which compiles it with V8's code cache;
//  - no source map: the CLI never shows a stack trace.
// The library (dist/index.mjs) stays ESM with a source map, for programs that import it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { BUILD_INPUTS } from './build-inputs.mjs';

/**
 * Compiled once with --dry-run (parse, compile, load; nothing attached) so the code cache holds the
 * functions a tool-sized script needs. It takes root; without it the first real run writes the cache.
 */
const WARM_UP = `
tracepoint:syscalls:sys_enter_openat { @start[tid] = nsecs; @path[tid] = args->filename; }
tracepoint:syscalls:sys_exit_openat /@start[tid]/ {
  $ret = args->ret;
  @usecs = hist((nsecs - @start[tid]) / 1000);
  @opens[comm] = count();
  printf("%-16s %d %s\\n", comm, $ret >= 0 ? $ret : -1, str(@path[tid]));
  delete(@start[tid]); delete(@path[tid]);
}
interval:s:1 { print(@opens); clear(@opens); }
END { clear(@start); clear(@path); }`;

/**
 * The flags ./bpfscope starts Node with: V8 accepts a code cache only under the flags that made it
 * (test/build/node-flags.test.ts compares the two lists).
 */
const NODE_FLAGS = ['--no-rehash-snapshot', '--min-semi-space-size=4', '--no-sparkplug'];

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

/**
 * The file of koffi's native module on this machine, as koffi itself picks it (prebuilt package for
 * the platform, glibc or musl build, or one built from source). koffi's default export is that
 * module's object; koffi's JavaScript only finds it and adds deprecated aliases bpfscope does not use.
 * dist/ is built on the machine that runs it (on first use), so the choice holds there.
 */
function koffiNativeModule() {
  const require = createRequire(import.meta.url);
  const koffi = require('koffi');
  const file = Object.keys(require.cache).find((loaded) => loaded.endsWith('.node') && loaded.includes('koffi'));
  if (file === undefined) throw new Error('koffi loaded, but no native module of its was found among the loaded modules');
  // The bundle relies on this: should a koffi release export something else, the build fails here.
  if (koffi.default !== require(file)) throw new Error(`koffi's default export is no longer its native module (${file})`);
  return file;
}

/** Resolves `import koffi from 'koffi'` in the CLI to a require of the native module, relative to dist/. */
const koffiNative = {
  name: 'koffi-native',
  setup(bundler) {
    // Both sides resolved through symlinks, as Node resolves the bundle's own path and the require.
    const file = relative(realpathSync('dist'), koffiNativeModule());
    bundler.onResolve({ filter: /^koffi$/ }, () => ({ path: 'koffi', namespace: 'koffi-native' }));
    bundler.onResolve({ filter: /\.node$/, namespace: 'koffi-native' }, (args) => ({ path: args.path, external: true }));
    bundler.onLoad({ filter: /.*/, namespace: 'koffi-native' }, () => ({ contents: `export default require(${JSON.stringify(file)});` }));
  },
};

await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  sourcemap: true,
  // koffi loads a native module relative to its own package directory, so it stays external.
  external: ['koffi'],
  // Bundled ESM has no `require`; some Node built-ins are required by dependencies.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

const { outputFiles: [cli], metafile } = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  write: false,
  metafile: true,
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  plugins: [koffiNative],
  minifyWhitespace: true,
  // import.meta does not exist in CommonJS; main.ts uses its url to find package.json. A getter, so
  // only --version pays for building the URL (~0.4 ms).
  define: { 'import.meta.url': '__bpfscopeMeta.url' },
  banner: { js: "const __bpfscopeMeta = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
});
// The name carries a hash of the content, and the code cache is named after the bundle.
const bundleFile = `cli-${createHash('sha256').update(cli.contents).digest('hex').slice(0, 16)}.cjs`;
writeFileSync(`dist/${bundleFile}`, cli.contents);
// What the loader checks for changes since this build: the CLI's sources and what builds it.
const inputs = [...Object.keys(metafile.inputs).filter((path) => path.startsWith('src/')), ...BUILD_INPUTS];
await build({
  entryPoints: ['scripts/cli-loader.cjs'],
  outfile: 'dist/bpfscope.cjs',
  define: { BUNDLE_FILE: JSON.stringify(bundleFile), INPUT_FILES: JSON.stringify(inputs) },
  logLevel: 'warning',
});

// Whatever else is in dist/ is left from earlier builds: other bundles and their caches (a cache is
// only ever used with the bundle it was made from), or files this build no longer makes.
const current = new Set(['.stamp', 'index.mjs', 'index.mjs.map', 'bpfscope.cjs', bundleFile, `${bundleFile}.cache`]);
for (const name of readdirSync('dist')) if (!current.has(name)) rmSync(`dist/${name}`);
// Stamped before the warm-up run, whose loader would otherwise find the sources newer than the build;
// and no older than the newest input, so sources dated in the future (a skewed clock, an unpacked
// archive) do not make every later start rebuild.
writeFileSync('dist/.stamp', new Date().toISOString() + '\n');
const newestInput = Math.max(Date.now(), ...inputs.map((path) => statSync(path).mtimeMs));
utimesSync('dist/.stamp', newestInput / 1000, newestInput / 1000);
if (!existsSync(`dist/${bundleFile}.cache`)) {
  spawnSync(process.execPath, [...NODE_FLAGS, 'dist/bpfscope.cjs', '--dry-run', '-e', WARM_UP], { stdio: 'ignore' });
}
