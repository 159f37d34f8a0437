import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { buildFixture, type FixtureOptions } from '../../test/fixtures/build-fixture.js';
import { ElfFile } from './elf.js';
import { findLoadedLibrary, readProcessMaps } from './proc-maps.js';
import { UserSymbolizer } from './user-symbols.js';

interface RunningTarget {
  pid: number;
  add: bigint;
  greet: bigint;
  finish: () => Promise<string>;
}

/** Starts the fixture in --wait mode; it reports where its functions were loaded and pauses. */
async function startTarget(options: FixtureOptions): Promise<RunningTarget> {
  const path = await buildFixture('uprobe-target', options);
  const child = spawn(path, ['2', '--wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const [ready] = (await once(lines, 'line')) as [string];
  const match = /^ready add=0x([0-9a-f]+) greet=0x([0-9a-f]+)$/.exec(ready);
  assert.ok(match, `unexpected first line: ${ready}`);
  const output: string[] = [];
  lines.on('line', (line) => output.push(line));
  return {
    pid: child.pid ?? -1,
    add: BigInt('0x' + match[1]),
    greet: BigInt('0x' + match[2]),
    finish: async () => {
      child.stdin.end('\n');
      await once(child, 'exit');
      return output.join('\n');
    },
  };
}

for (const options of [{}, { noPie: true }]) {
  const label = options.noPie === true ? 'non-PIE' : 'PIE';
  test(`addresses in a running ${label} process resolve to its functions`, async () => {
    const target = await startTarget(options);
    try {
      const symbolizer = new UserSymbolizer();
      assert.equal(symbolizer.resolve(target.pid, target.add)?.name, 'bpfscope_add');
      assert.equal(symbolizer.format(target.pid, target.add + 4n, { offset: true }), 'bpfscope_add+4');
      assert.equal(symbolizer.format(target.pid, target.greet, { offset: false }), 'bpfscope_greet');
    } finally {
      assert.equal(await target.finish(), 'sum=19');
    }
  });
}

test('a libc function in the running process resolves to its name or an alias at that address', async () => {
  const target = await startTarget({});
  try {
    const libcPath = findLoadedLibrary(target.pid, 'libc');
    assert.ok(libcPath, 'libc is mapped');
    const code = readProcessMaps(target.pid).find((mapping) => mapping.path === libcPath && mapping.perms === 'r-xp');
    assert.ok(code, 'libc code is mapped');
    const address = code.start - code.offset + ElfFile.open(libcPath).symbolFileOffset('malloc');
    // nm is the oracle for which names sit at malloc's address.
    const listing = execFileSync('nm', ['-D', libcPath], { encoding: 'utf8' }).split('\n');
    const value = listing.find((line) => line.includes(' malloc@@'))?.split(' ')[0];
    const aliases = listing
      .filter((line) => line.startsWith(`${value} `))
      .map((line) => line.split(' ')[2].replace(/@.*/, ''));
    const symbol = new UserSymbolizer().resolve(target.pid, address);
    assert.ok(symbol !== undefined && aliases.includes(symbol.name), `${symbol?.name} is one of ${aliases.join(', ')}`);
    assert.equal(symbol.offset, 0);
    assert.equal(symbol.path, libcPath);
  } finally {
    await target.finish();
  }
});
