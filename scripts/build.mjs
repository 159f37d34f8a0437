// Bundles the CLI and the library into dist/ with esbuild. Type checking is separate (`npm run
// typecheck`); esbuild only strips types. Start-up time is felt on every one-liner, so the CLI is
// built for it (docs/ARCHITECTURE.md, Build, has the measurements):
//  - one CommonJS file: Node's ESM loader costs more per file than its CommonJS loader;
//  - koffi's JavaScript inside it, so resolving and compiling koffi's package is not paid per run;
//  - whitespace removed (less source to read and hash), names kept;
//  - started by dist/bpfscope.cjs (scripts/cli-loader.cjs), which compiles it with V8's code cache;
//  - no source map: the CLI never shows a stack trace.
// The library (dist/index.mjs) stays ESM with a source map, for programs that import it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

/** The flags ./bpfscope starts Node with: V8 accepts a code cache only under the flags that made it. */
const NODE_FLAGS = ['--no-rehash-snapshot', '--min-semi-space-size=4'];

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

/**
 * koffi finds its native module through the prebuilt package for this platform
 * (@koromix/koffi-linux-x64 and the like), which a bundled koffi still requires from node_modules.
 * Where there is none (koffi built from source), koffi looks beside its own files, so it stays an
 * external package then.
 */
function koffiExternals() {
  const prebuilt = `@koromix/koffi-${process.platform}-${process.arch}`;
  try {
    createRequire(import.meta.url).resolve(prebuilt);
    return ['@koromix/*'];
  } catch {
    return ['koffi'];
  }
}

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

const { outputFiles: [cli] } = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  write: false,
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  external: koffiExternals(),
  minifyWhitespace: true,
  // import.meta does not exist in CommonJS; main.ts uses its url to find package.json.
  define: { 'import.meta.url': '__bpfscopeUrl' },
  banner: { js: "const __bpfscopeUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The name carries a hash of the content, and the code cache is named after the bundle.
const bundleFile = `cli-${createHash('sha256').update(cli.contents).digest('hex').slice(0, 16)}.cjs`;
writeFileSync(`dist/${bundleFile}`, cli.contents);
await build({
  entryPoints: ['scripts/cli-loader.cjs'],
  outfile: 'dist/bpfscope.cjs',
  define: { BUNDLE_FILE: JSON.stringify(bundleFile) },
  logLevel: 'warning',
});

// Whatever else is in dist/ is left from earlier builds: other bundles and their caches (a cache is
// only ever used with the bundle it was made from), or files this build no longer makes.
const current = new Set(['.stamp', 'index.mjs', 'index.mjs.map', 'bpfscope.cjs', bundleFile, `${bundleFile}.cache`]);
for (const name of readdirSync('dist')) if (!current.has(name)) rmSync(`dist/${name}`);
if (!existsSync(`dist/${bundleFile}.cache`)) {
  spawnSync(process.execPath, [...NODE_FLAGS, 'dist/bpfscope.cjs', '--dry-run', '-e', WARM_UP], { stdio: 'ignore' });
}
writeFileSync('dist/.stamp', new Date().toISOString() + '\n');
