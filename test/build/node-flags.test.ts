// ./bpfscope starts Node with V8 flags, and scripts/build.mjs warms the bundle's code cache under its
// own copy of them (NODE_FLAGS): V8 refuses a cache made under other flags, so if the two lists drift
// apart the build's warm-up is wasted: the first run compiles the bundle from source (~8 ms more) and
// leaves a cache of only what it compiled. The launcher is a shell script, so the lists are compared
// as text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The flags before the loader on the launcher's `exec node` line. */
function launcherFlags(): string[] {
  const line = read('bpfscope').split('\n').find((text) => text.startsWith('exec node '));
  assert.ok(line !== undefined, 'the launcher has no `exec node` line');
  const words = line.split(/\s+/).slice(2);
  const loader = words.findIndex((word) => word.includes('dist/bpfscope.cjs'));
  assert.ok(loader >= 0, 'the launcher does not start dist/bpfscope.cjs');
  return words.slice(0, loader);
}

/** The strings in build.mjs's `const NODE_FLAGS = [...]`. */
function buildFlags(): string[] {
  const list = /const NODE_FLAGS = \[([^\]]*)\]/.exec(read('scripts/build.mjs'));
  assert.ok(list !== null, 'scripts/build.mjs has no NODE_FLAGS list');
  return [...list[1].matchAll(/'([^']*)'/g)].map((match) => match[1]);
}

test('the launcher starts Node with the flags the build warms the code cache under', () => {
  const flags = launcherFlags();
  assert.ok(flags.length > 0, 'the launcher passes no flags, yet build.mjs has a NODE_FLAGS list');
  assert.deepEqual(flags, buildFlags());
});
