// Runs every test file (src/**/*.test.ts, test/**/*.test.ts) with Node's test runner, straight from
// the TypeScript sources through tsx. Pass file paths or folders to run a subset. As root, a leak
// check around the run fails it if any BPF program, map, link or tracefs probe was left behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findTests(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const child = join(path, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(child);
    return entry.name.endsWith('.test.ts') ? [child] : [];
  });
}

const node = (args) => spawnSync(process.execPath, ['--import', 'tsx', ...args], { stdio: 'inherit' }).status ?? 1;

const roots = process.argv.slice(2);
const files = (roots.length > 0 ? roots : ['src', 'test']).flatMap(findTests).sort();
const leakCheck = process.getuid?.() === 0;
const snapshotDir = mkdtempSync(join(tmpdir(), 'bpfscope-leaks-'));
const snapshot = join(snapshotDir, 'before.json');
if (leakCheck && node(['scripts/leak-check.ts', 'snapshot', snapshot]) !== 0) process.exit(1);
const status = node(['--test', ...files]);
const leaks = leakCheck ? node(['scripts/leak-check.ts', 'check', snapshot]) : 0;
rmSync(snapshotDir, { recursive: true, force: true });
process.exit(status !== 0 ? status : leaks);
