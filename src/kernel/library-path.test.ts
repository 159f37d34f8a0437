import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LibraryNotFoundError, parseLdCache, resolveLibraryPath } from './library-path.js';

const X86_64_LIBC6 = 0x0303;
const scratch = mkdtempSync(join(tmpdir(), 'library-path-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A cache file in the new format: header, entries, then the strings they point to. */
function buildCache(entries: { name: string; path: string; flags: number }[], prefix = Buffer.alloc(0)): Buffer {
  const tableEnd = 48 + entries.length * 24;
  const strings: Buffer[] = [];
  let stringOffset = tableEnd;
  const header = Buffer.alloc(tableEnd);
  header.write('glibc-ld.so.cache1.1', 0, 'latin1');
  header.writeUInt32LE(entries.length, 20);
  entries.forEach((entry, i) => {
    const at = 48 + i * 24;
    header.writeInt32LE(entry.flags, at);
    for (const [field, text] of [[4, entry.name], [8, entry.path]] as const) {
      header.writeUInt32LE(stringOffset, at + field);
      const bytes = Buffer.from(`${text}\0`, 'latin1');
      strings.push(bytes);
      stringOffset += bytes.length;
    }
  });
  return Buffer.concat([prefix, header, ...strings]);
}

function writeElfStub(path: string): void {
  writeFileSync(path, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
}

test('the system cache parses to the same entries ldconfig -p prints', () => {
  const expected = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s+(\S+) \(.*\) => (\S+)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match[1]} ${match[2]}`);
  const actual = parseLdCache(readFileSync('/etc/ld.so.cache')).map((entry) => `${entry.name} ${entry.path}`);
  assert.ok(expected.length > 0);
  assert.deepEqual(actual, expected);
});

test('a synthetic cache parses, with or without the old-format prefix', () => {
  const entries = [{ name: 'libdemo.so.2', path: '/opt/lib/libdemo.so.2', flags: X86_64_LIBC6 }];
  assert.deepEqual(parseLdCache(buildCache(entries)), entries);
  const oldFormat = Buffer.concat([Buffer.from('ld.so-1.7.0', 'latin1'), Buffer.alloc(5)]);
  assert.deepEqual(parseLdCache(buildCache(entries, oldFormat)), entries);
  assert.throws(() => parseLdCache(Buffer.from('not a cache')), /not a glibc-ld.so.cache1.1 file/);
});

test('libc resolves through the cache by short name and by soname', () => {
  const path = resolveLibraryPath('libc');
  assert.match(path, /^\/.*\/libc\.so\.6$/);
  assert.equal(readFileSync(path).readUInt32BE(0), 0x7f454c46);
  assert.equal(resolveLibraryPath('libc.so.6'), path);
});

const onX64 = { skip: process.arch !== 'x64' && 'written for x86-64 cache tags' };

test('cache entries for another architecture are ignored', onX64, () => {
  const dir = join(scratch, 'arch');
  mkdirSync(dir);
  writeElfStub(join(dir, 'libarm.so.1'));
  const cachePath = join(dir, 'ld.so.cache');
  writeFileSync(cachePath, buildCache([{ name: 'libarm.so.1', path: join(dir, 'libarm.so.1'), flags: 0x0a03 }]));
  const options = { ldCachePath: cachePath, libraryDirs: [], searchPath: '' };
  assert.throws(() => resolveLibraryPath('libarm', options), LibraryNotFoundError);
  writeFileSync(cachePath, buildCache([{ name: 'libarm.so.1', path: join(dir, 'libarm.so.1'), flags: X86_64_LIBC6 }]));
  assert.equal(resolveLibraryPath('libarm', options), realpathSync(join(dir, 'libarm.so.1')));
});

test('directories are searched when the cache has no entry, skipping linker scripts', () => {
  const dir = join(scratch, 'dirs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'libfoo.so'), 'GROUP ( libfoo.so.1 )\n');
  writeElfStub(join(dir, 'libfoo.so.1'));
  const options = { ldCachePath: join(dir, 'missing-cache'), libraryDirs: [join(dir, 'none'), dir], searchPath: '' };
  assert.equal(resolveLibraryPath('libfoo', options), realpathSync(join(dir, 'libfoo.so.1')));
  assert.equal(resolveLibraryPath('libfoo.so.1', options), realpathSync(join(dir, 'libfoo.so.1')));
});

test('programs are found on PATH and returned as canonical paths', () => {
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'not-executable'), '');
  writeElfStub(join(bin, 'real-tool'));
  chmodSync(join(bin, 'real-tool'), 0o755);
  symlinkSync('real-tool', join(bin, 'tool'));
  const options = { searchPath: `/nonexistent:${bin}`, ldCachePath: '/nonexistent', libraryDirs: [] };
  assert.equal(resolveLibraryPath('tool', options), realpathSync(join(bin, 'real-tool')));
  assert.throws(() => resolveLibraryPath('not-executable', options), LibraryNotFoundError);
  const bash = execFileSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
  assert.equal(resolveLibraryPath('bash'), realpathSync(bash));
});

test('paths are taken as given and must exist', () => {
  assert.equal(resolveLibraryPath('/bin/sh'), realpathSync('/bin/sh'));
  assert.throws(() => resolveLibraryPath('/nonexistent/libx.so'), {
    name: 'LibraryNotFoundError',
    message: "cannot find '/nonexistent/libx.so': looked in /nonexistent/libx.so",
  });
});

test('the error lists every place searched', () => {
  const options = { searchPath: '/nowhere', ldCachePath: '/no/cache', libraryDirs: ['/no/dir1', '/no/dir2'] };
  assert.throws(() => resolveLibraryPath('libmissing', options), {
    name: 'LibraryNotFoundError',
    message: "cannot find 'libmissing': looked in PATH (/nowhere), /no/cache, /no/dir1, /no/dir2",
  });
  // A ".so" name is a library, so PATH is not consulted.
  assert.throws(() => resolveLibraryPath('libmissing.so.1', options), (error: LibraryNotFoundError) =>
    error.searched.join(',') === '/no/cache,/no/dir1,/no/dir2');
});
