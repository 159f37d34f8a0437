import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFixture } from '../../test/fixtures/build-fixture.js';
import { ElfFile, PT_LOAD } from './elf.js';
import type { MemoryMapping } from './proc-maps.js';
import { UserSymbolizer } from './user-symbols.js';

const PAGE = 0x1000n;
const BIAS = 0x7f1234560000n;

/** The mappings a loader would create for `elf` at `bias`, page-aligned as mmap requires. */
function loaderMappings(path: string, elf: ElfFile, bias: bigint): MemoryMapping[] {
  return elf.programHeaders
    .filter((header) => header.type === PT_LOAD)
    .map((header) => {
      const pageStart = header.vaddr - (header.vaddr % PAGE);
      const end = header.vaddr + header.memsz;
      return {
        start: bias + pageStart,
        end: bias + end + ((PAGE - (end % PAGE)) % PAGE),
        perms: 'r-xp',
        offset: header.offset - (header.vaddr - pageStart),
        dev: 'fe:00',
        inode: 42,
        path,
        deleted: false,
      };
    });
}

async function fixture(): Promise<{ path: string; elf: ElfFile }> {
  const path = await buildFixture('uprobe-target');
  return { path, elf: ElfFile.open(path) };
}

test('a PIE load bias is removed before the symbol lookup', async () => {
  const { path, elf } = await fixture();
  const symbolizer = new UserSymbolizer({
    readMaps: () => loaderMappings(path, elf, BIAS),
    openElf: (_pid, mapping) => ElfFile.open(mapping.path),
  });
  const add = elf.symbol('bpfscope_add').value;
  assert.deepEqual(symbolizer.resolve(1, BIAS + add), { name: 'bpfscope_add', offset: 0, path });
  assert.deepEqual(symbolizer.resolve(1, BIAS + add + 3n), { name: 'bpfscope_add', offset: 3, path });
  assert.equal(symbolizer.format(1, BIAS + add + 3n, { offset: true }), 'bpfscope_add+3');
  assert.equal(symbolizer.format(1, BIAS + add + 3n, { offset: false }), 'bpfscope_add');
  assert.equal(symbolizer.format(1, 0x1000n, { offset: true }), '0x1000');
  assert.equal(symbolizer.format(1, BIAS + add + 3n, { offset: true, module: true }), `bpfscope_add+3 (${path})`);
  assert.equal(symbolizer.format(1, 0x1000n, { offset: true, module: true }), '0x1000 ([unknown])');
});

test('maps are re-read when an address falls outside every cached mapping', async () => {
  const { path, elf } = await fixture();
  let reads = 0;
  const symbolizer = new UserSymbolizer({
    // The first read predates the "dlopen"; later reads include the file.
    readMaps: () => (reads++ === 0 ? [] : loaderMappings(path, elf, BIAS)),
    openElf: (_pid, mapping) => ElfFile.open(mapping.path),
  });
  const main = BIAS + elf.symbol('main').value;
  assert.equal(symbolizer.resolve(7, main)?.name, 'main');
  assert.equal(reads, 2);
  assert.equal(symbolizer.resolve(7, main)?.name, 'main');
  assert.equal(reads, 2, 'a hit uses the cached maps');
  symbolizer.forget(7);
  assert.equal(symbolizer.resolve(7, main)?.name, 'main');
  assert.equal(reads, 3);
});

test('an exited process keeps resolving from its last maps; unknown files give no symbol', async () => {
  const { path, elf } = await fixture();
  let alive = true;
  let opens = 0;
  const symbolizer = new UserSymbolizer({
    readMaps: () => {
      if (!alive) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      return [...loaderMappings(path, elf, BIAS), { ...loaderMappings('/not/elf', elf, 0x10000n)[0], inode: 7 }];
    },
    openElf: (_pid, mapping) => {
      opens++;
      return ElfFile.open(mapping.path);
    },
  });
  const greet = BIAS + elf.symbol('bpfscope_greet').value;
  assert.equal(symbolizer.resolve(9, greet)?.name, 'bpfscope_greet');
  alive = false;
  assert.equal(symbolizer.resolve(9, greet + 1n)?.offset, 1);
  assert.equal(symbolizer.resolve(9, 0x10000n), undefined);
  assert.equal(symbolizer.resolve(9, 0x10004n), undefined);
  assert.equal(opens, 2, 'each file is opened once, failures included');
  assert.equal(new UserSymbolizer({ readMaps: () => { throw new Error('gone'); } }).resolve(1, greet), undefined);
});
