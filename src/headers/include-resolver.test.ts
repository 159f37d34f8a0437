import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveIncludes } from './include-resolver.js';
import type { MacroTable } from './macro-table.js';

function integer(table: MacroTable, name: string): bigint {
  const value = table.lookup(name);
  assert.equal(value?.kind, 'integer', `${name}: ${JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  return value.value;
}

describe('resolveIncludes on the installed system headers', () => {
  it('evaluates limits, open flags, address families and errno values', () => {
    const table = resolveIncludes([{ path: 'sys/socket.h' }, { path: 'fcntl.h' }, { path: 'limits.h' }, { path: 'errno.h' }]);
    assert.deepEqual(table.issues, []);
    assert.equal(integer(table, 'INT_MAX'), 2147483647n);
    assert.equal(integer(table, 'INT_MIN'), -2147483648n);
    assert.equal(integer(table, 'ULONG_MAX'), 18446744073709551615n);
    assert.equal(integer(table, 'O_CREAT'), 64n);
    assert.equal(integer(table, 'O_WRONLY'), 1n);
    assert.equal(integer(table, 'AF_INET'), 2n);
    assert.equal(integer(table, 'AF_INET6'), 10n);
    assert.equal(integer(table, 'EPERM'), 1n);
  });

  it('gives types and header origins', () => {
    const table = resolveIncludes([{ path: 'limits.h' }]);
    const uintMax = table.lookup('UINT_MAX');
    assert.equal(uintMax?.kind, 'integer');
    assert.deepEqual([uintMax.type.bits, uintMax.type.signed], [32, false]);
    assert.equal(uintMax.origin.source, 'header');
    assert.match(uintMax.origin.file, /limits\.h$/);
  });

  it('finds enumerators hidden behind self-referential macros (glibc SOCK_STREAM)', () => {
    const table = resolveIncludes([{ path: 'sys/socket.h' }]);
    assert.equal(integer(table, 'SOCK_STREAM'), 1n);
    assert.equal(integer(table, 'MSG_DONTWAIT'), 64n);
  });

  it('uses header typedefs in casts', () => {
    const table = resolveIncludes([{ path: 'netinet/in.h' }]);
    assert.equal(integer(table, 'INADDR_LOOPBACK'), 0x7f000001n);
  });

  it('answers TASK_RUNNING from the built-in table when the UAPI <linux/sched.h> lacks it', () => {
    const table = resolveIncludes([{ path: 'linux/sched.h' }]);
    assert.deepEqual(table.issues, []);
    assert.equal(integer(table, 'CLONE_VM'), 0x100n);
    assert.equal(integer(table, 'TASK_RUNNING'), 0n);
    assert.equal(table.lookup('TASK_RUNNING')?.origin.source, 'kernel');
  });

  it('warns about a kernel-internal header that is not installed', () => {
    const request = { path: 'net/sock.h' };
    const table = resolveIncludes([request]);
    assert.equal(table.issues.length, 1);
    assert.equal(table.issues[0].severity, 'warning');
    assert.equal(table.issues[0].code, 'kernel-header-not-installed');
    assert.equal(table.issues[0].include, request);
    assert.match(table.issues[0].message, /kernel BTF/);
  });

  it('names the header and the directories searched when a header is missing', () => {
    const request = { path: 'no/such-header.h' };
    const table = resolveIncludes([request], { includeDirs: ['/nonexistent/a', '/nonexistent/b'] });
    assert.deepEqual(
      table.issues.map(({ severity, code, include, message }) => ({ severity, code, include, message })),
      [{ severity: 'error', code: 'header-not-found', include: request, message: 'cannot find <no/such-header.h>; searched /nonexistent/a, /nonexistent/b' }],
    );
  });

  it('reuses the cached resolution but reports issues against the new request objects', () => {
    const first = { path: 'missing-for-cache.h' };
    const second = { path: 'missing-for-cache.h' };
    resolveIncludes([first]);
    assert.equal(resolveIncludes([second]).issues[0].include, second);
  });
});
