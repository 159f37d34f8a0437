// Bundles the CLI and the library into dist/ with esbuild. One bundled file starts faster than
// hundreds of ES modules, and start-up time is something users feel on every one-liner.
// Type checking is separate (`npm run typecheck`); esbuild only strips types.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // koffi loads a native module relative to its own package directory, so it stays external.
  external: ['koffi'],
  // Bundled ESM has no `require`; koffi is imported, but some Node built-ins are required by deps.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
};

await build({ ...common, entryPoints: { bpfscope: 'src/cli/main.ts', index: 'src/index.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } });
writeFileSync('dist/.stamp', new Date().toISOString() + '\n');
