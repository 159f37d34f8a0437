import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveIncludes } from './include-resolver.js';
import { evaluateDefine, preprocessPreamble } from './preamble.js';

const define = (name: string, value: string, params: string[] | null = null) => ({ kind: 'Define' as const, name, params, value });
const include = (path: string) => ({ kind: 'Include' as const, path, system: true });
const directive = (text: string) => ({ kind: 'Directive' as const, text });

describe('evaluateDefine', () => {
  const table = resolveIncludes([{ path: 'fcntl.h' }]);

  it('evaluates numbers and expressions over header macros', () => {
    const value = evaluateDefine(define('FLAGS', '(O_CREAT | O_WRONLY) // comment'), table);
    assert.equal(value.kind, 'integer');
    assert.equal(value.value, 65n);
    assert.equal(value.origin.source, 'script');
  });

  it('evaluates string literals, adjacent ones joined', () => {
    const value = evaluateDefine(define('GREETING', '"hello, " "world\\n"'), table);
    assert.equal(value.kind, 'string');
    assert.equal(value.value, 'hello, world\n');
  });

  it('reports function-like macros as unsupported', () => {
    const value = evaluateDefine(define('MAX', '((a) > (b) ? (a) : (b))', ['a', 'b']), table);
    assert.equal(value.kind, 'unsupported');
    assert.match(value.reason, /'MAX\(a, b\)' is a function-like macro/);
  });
});

describe('preprocessPreamble', () => {
  it('follows #ifndef BPFTRACE_HAVE_BTF branches and keeps only active items', () => {
    const record = { kind: 'CRecord', name: 'only_without_btf' };
    const items = [
      directive('#ifndef BPFTRACE_HAVE_BTF'),
      include('net/sock.h'),
      record,
      directive('#else'),
      include('sys/socket.h'),
      directive('#endif'),
      define('PORT', '80'),
    ];
    const withBtf = preprocessPreamble(items, { defines: { BPFTRACE_HAVE_BTF: '1' } });
    assert.deepEqual(withBtf.table.issues, []);
    assert.deepEqual(withBtf.active, [items[4], items[6]]);
    const af = withBtf.table.lookup('AF_INET');
    assert.equal(af?.kind === 'integer' && af.origin.source, 'header');

    const without = preprocessPreamble(items);
    assert.deepEqual(without.active, [items[1], record, items[6]]);
    assert.equal(without.table.issues[0].include, items[1]);
  });

  it('lets script defines before an include steer the header', () => {
    const table = preprocessPreamble([define('_FILE_OFFSET_BITS', '64'), include('fcntl.h'), define('MODE', 'O_RDWR + 1')]).table;
    const mode = table.lookup('MODE');
    assert.equal(mode?.kind === 'integer' && mode.value, 3n);
    assert.equal(table.lookup('_FILE_OFFSET_BITS')?.origin.source, 'script');
  });
});
