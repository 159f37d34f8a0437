import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildFixture } from '../../test/fixtures/build-fixture.js';
import { ElfError, ElfFile, globToRegExp, matchesGlob } from './elf.js';

// binutils serve as oracles: every expectation below comes from nm/readelf output, not from our reader.
function tool(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' });
}

/** The address nm gives `name`; `dynamic` reads .dynsym (stripped libraries), default version only. */
function nmAddress(path: string, name: string, dynamic = false): bigint {
  const listing = tool('nm', dynamic ? ['-D', path] : [path]).split('\n');
  const line = listing.find((entry) => entry.endsWith(` ${name}`) || entry.includes(` ${name}@@`));
  assert.ok(line, `nm lists ${name}`);
  return BigInt('0x' + line.split(' ')[0]);
}

interface LoadSegment { offset: bigint; vaddr: bigint; memsz: bigint }

function readelfLoads(path: string): LoadSegment[] {
  return tool('readelf', ['-lW', path])
    .split('\n')
    .filter((line) => line.trim().startsWith('LOAD'))
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      return { offset: BigInt(fields[1]), vaddr: BigInt(fields[2]), memsz: BigInt(fields[5]) };
    });
}

function expectedFileOffset(path: string, name: string, dynamic = false): bigint {
  const value = nmAddress(path, name, dynamic);
  const segment = readelfLoads(path).find((load) => load.vaddr <= value && value < load.vaddr + load.memsz);
  assert.ok(segment, `a LOAD segment of ${path} holds ${name}`);
  return value - segment.vaddr + segment.offset;
}

/** Names of defined FUNC symbols in both tables, as readelf prints them (minus the version suffix). */
function readelfFunctions(path: string): Set<string> {
  const names = tool('readelf', ['-sW', path])
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8 && fields[3] === 'FUNC' && fields[6] !== 'UND')
    .map((fields) => fields[7].replace(/@.*$/, ''));
  return new Set(names);
}

test('fixture symbols match nm and file offsets match readelf (PIE)', async () => {
  const path = await buildFixture('uprobe-target');
  const elf = ElfFile.open(path);
  assert.equal(elf.header.type, 'dyn');
  assert.equal(elf.isDynamic, true);
  for (const name of ['bpfscope_add', 'bpfscope_greet', 'main']) {
    const symbol = elf.symbol(name);
    assert.equal(symbol.value, nmAddress(path, name));
    assert.equal(symbol.type, 'func');
    assert.equal(symbol.binding, 'global');
    assert.equal(elf.symbolFileOffset(name), expectedFileOffset(path, name));
  }
});

test('file offsets differ from addresses in a non-PIE executable and still match readelf', async () => {
  const path = await buildFixture('uprobe-target', { noPie: true });
  const elf = ElfFile.open(path);
  assert.equal(elf.header.type, 'exec');
  const offset = elf.symbolFileOffset('bpfscope_add');
  assert.equal(offset, expectedFileOffset(path, 'bpfscope_add'));
  assert.notEqual(offset, nmAddress(path, 'bpfscope_add'));
  // The bytes at that file offset are the function's code, whose address maps back to the symbol.
  assert.equal(elf.fileOffsetToVaddr(offset), elf.symbol('bpfscope_add').value);
});

test('the function list equals the defined FUNC symbols readelf shows', async () => {
  const path = await buildFixture('uprobe-target');
  const names = ElfFile.open(path).symbols({ type: 'func' }).map((symbol) => symbol.name);
  assert.equal(names.length, new Set(names).size, 'each name once');
  assert.deepEqual(new Set(names), readelfFunctions(path));
  assert.ok(!names.includes('printf'), 'imports are not definitions');
});

test('symbols can be filtered by glob', async () => {
  const elf = ElfFile.open(await buildFixture('uprobe-target'));
  const names = elf.symbols({ type: 'func', pattern: 'bpfscope_*' }).map((symbol) => symbol.name).sort();
  assert.deepEqual(names, ['bpfscope_add', 'bpfscope_greet']);
});

test('symbolAt maps an address inside a function back to it', async () => {
  const elf = ElfFile.open(await buildFixture('uprobe-target'));
  const greet = elf.symbol('bpfscope_greet');
  assert.ok(greet.size > 2n);
  const hit = elf.symbolAt(greet.value + 2n);
  assert.equal(hit?.symbol.name, 'bpfscope_greet');
  assert.equal(hit?.offset, 2n);
  assert.equal(elf.symbolAt(0n), undefined);
});

test('build id matches readelf -n', async () => {
  const path = await buildFixture('uprobe-target');
  const match = /Build ID: ([0-9a-f]+)/.exec(tool('readelf', ['-n', path]));
  assert.ok(match, 'the toolchain emits a build id');
  assert.equal(ElfFile.open(path).buildId, match[1]);
});

test('libc names resolve to their default symbol version', () => {
  const path = '/usr/lib/x86_64-linux-gnu/libc.so.6';
  const versions = tool('nm', ['-D', path]).split('\n').filter((entry) => / realpath@/.test(entry));
  assert.equal(versions.length, 2, 'libc exports two versions of realpath');
  const elf = ElfFile.open(path);
  assert.equal(elf.symbol('realpath').value, nmAddress(path, 'realpath', true));
  assert.equal(elf.symbol('realpath').hidden, false);
  // readelf marks non-default versions with a single '@'; pmap_set only survives as a compat symbol.
  assert.ok(tool('readelf', ['--dyn-syms', '-W', path]).includes(' pmap_set@GLIBC_2.2.5\n'));
  assert.equal(elf.symbol('pmap_set').hidden, true);
  assert.equal(elf.symbolFileOffset('malloc'), expectedFileOffset(path, 'malloc', true));
});

test('the same file parses from a buffer', async () => {
  const path = await buildFixture('uprobe-target');
  const elf = ElfFile.fromBuffer(readFileSync(path), 'fixture');
  assert.equal(elf.symbolFileOffset('main'), expectedFileOffset(path, 'main'));
});

test('non-ELF input and missing symbols fail with ElfError', async () => {
  assert.throws(() => ElfFile.open('/etc/passwd'), { name: 'ElfError', message: '/etc/passwd is not an ELF file' });
  assert.throws(() => ElfFile.open('/nonexistent/binary'), ElfError);
  assert.throws(() => ElfFile.fromBuffer(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1])), /truncated/);
  const path = await buildFixture('uprobe-target');
  assert.throws(() => ElfFile.open(path).symbolFileOffset('foo'), {
    name: 'ElfError',
    message: `symbol 'foo' not found in ${path} (.symtab/.dynsym)`,
  });
});

test('globs match whole names with * and ? and nothing else special', () => {
  assert.equal(matchesGlob('vfs_*', 'vfs_read'), true);
  assert.equal(matchesGlob('vfs_*', 'do_vfs_read'), false);
  assert.equal(matchesGlob('read?', 'readv'), true);
  assert.equal(matchesGlob('read?', 'read'), false);
  assert.equal(matchesGlob('a.b', 'axb'), false);
  assert.equal(matchesGlob('*', ''), true);
  assert.equal(globToRegExp('x(y)+').test('x(y)+'), true);
});
