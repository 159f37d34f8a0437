import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError, Scanner, Source, type ScanMode, type Token } from './index.js';

/** Every token of `text` in one mode, Eof excluded, as `kind:text`. */
function tokens(text: string, mode: ScanMode = 'body'): string[] {
  const scanner = new Scanner(new Source('test.bt', text));
  const result: string[] = [];
  for (let offset = 0; ; ) {
    const token = scanner.scan(offset, mode);
    if (token.kind === 'Eof') return result;
    result.push(`${token.kind}:${token.text}`);
    offset = token.span.end;
  }
}

function first(text: string, mode: ScanMode = 'body'): Token {
  return new Scanner(new Source('test.bt', text)).scan(0, mode);
}

function scanError(text: string): string {
  try {
    tokens(text);
  } catch (caught) {
    if (caught instanceof CompileError) return `${caught.diagnostics[0].code} ${caught.diagnostics[0].message}`;
    throw caught;
  }
  return assert.fail(`expected a scan error in ${text}`);
}

describe('scanner, body mode', () => {
  it('separates sigils, builtins and keywords', () => {
    assert.deepEqual(tokens('$x @y @ $1 $# pid arg0 if sizeof'), [
      'Variable:$x', 'Map:@y', 'Map:@', 'Positional:$1', 'ParamCount:$#',
      'Identifier:pid', 'Identifier:arg0', 'Keyword:if', 'Keyword:sizeof',
    ]);
  });

  it('takes the longest operator', () => {
    assert.deepEqual(
      tokens('<<= >>= == != <= >= && || << >> += -= *= /= %= &= |= ^= ++ -- -> .. . ? :').map((t) => t.slice(6)),
      ['<<=', '>>=', '==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '++', '--', '->', '..', '.', '?', ':'],
    );
  });

  it('splits tuple access and ranges from integers', () => {
    assert.deepEqual(tokens('$t.0.1 0..10'), ['Variable:$t', 'Punct:.', 'Integer:0', 'Punct:.', 'Integer:1', 'Integer:0', 'Punct:..', 'Integer:10']);
  });

  it('skips both comment styles', () => {
    assert.deepEqual(tokens('a // x\n/* y\n z */ b'), ['Identifier:a', 'Identifier:b']);
  });

  it('decodes C escapes in strings', () => {
    const token = first('"a\\n\\t\\r\\\\\\"\\x41\\101\\0z"');
    assert.equal(token.kind, 'String');
    assert.equal(token.kind === 'String' && token.value, 'a\n\t\r\\"AA\0z');
  });

  it('reads a whole directive line with continuations', () => {
    assert.deepEqual(tokens('#define A \\\n  1\nx'), ['Directive:#define A \\\n  1', 'Identifier:x']);
  });

  it('reports scanning errors with stable codes', () => {
    assert.equal(scanError('"abc'), 'E0102 unterminated string literal');
    assert.equal(scanError('"\\z"'), "E0103 unknown escape sequence '\\z'");
    assert.equal(scanError('"\\x"'), "E0104 '\\x' must be followed by hexadecimal digits");
    assert.equal(scanError('0x'), "E0106 invalid integer literal '0x': expected hexadecimal digits, optionally followed by u or l suffixes");
    assert.equal(scanError('1_'), "E0106 invalid integer literal '1_': digit separator must be between digits");
    assert.equal(scanError('\u0001'), "E0101 invalid character '\\x01'");
  });
});

describe('integer literals', () => {
  const VALUES: readonly [string, bigint][] = [
    ['0', 0n], ['42', 42n], ['1_000_000', 1_000_000n], ['0x10', 16n], ['0XfF', 255n], ['0xff_ff', 0xffffn],
    ['010', 8n], ['0b1010', 10n], ['1e6', 1_000_000n], ['9E2', 900n], ['5u', 5n], ['5UL', 5n], ['5ll', 5n],
    ['0x10ULL', 16n], ['3ns', 3n], ['3us', 3_000n], ['3ms', 3_000_000n], ['3s', 3_000_000_000n],
    ['2m', 120_000_000_000n], ['1h', 3_600_000_000_000n], ['1d', 86_400_000_000_000n], ['1e3ms', 1_000_000_000n],
    ['18446744073709551615', 18446744073709551615n],
  ];
  for (const [text, value] of VALUES) {
    it(`${text} = ${value}`, () => {
      const token = first(text);
      assert.equal(token.kind, 'Integer');
      assert.equal(token.kind === 'Integer' && token.value, value);
    });
  }

  it('rejects what bpftrace rejects', () => {
    assert.match(scanError('08'), /^E0106 .*octal/);
    assert.match(scanError('10e2'), /^E0106 .*coefficient/);
    assert.match(scanError('0e2'), /^E0106 .*coefficient/);
    assert.match(scanError('5MS'), /^E0106 .*suffix 'MS'/);
    assert.match(scanError('1e'), /^E0106 .*suffix 'e'/);
    assert.match(scanError('0x1s'), /^E0106 .*hexadecimal/);
    assert.match(scanError('0b12'), /^E0106 .*binary/);
    assert.match(scanError('1e20'), /^E0107 /);
  });
});

describe('scanner, header mode', () => {
  const ATTACH_POINTS: readonly string[] = [
    'BEGIN', 'END', 'kprobe:vfs_*', 'kretprobe:vfs_read', 'tracepoint:syscalls:sys_enter_*', 'interval:s:1',
    'uprobe:/usr/lib/libc.so.6:malloc', 'uretprobe:libc:strlen+0x10', 'software:cpu-clock:1000000',
    'profile:hz:99', 'uprobe:./bin/app:main', 'usdt:/usr/bin/python3:python:function__entry',
    'kfunc:vmlinux:vfs_open', 'uprobe:"/opt/a b/x":"f(int)"', 'watchpoint:0x10000000:8:rw', 't:block:block_rq_*',
  ];
  for (const attachPoint of ATTACH_POINTS) {
    it(`reads ${attachPoint} as one token`, () => {
      assert.deepEqual(tokens(`${attachPoint} {`, 'header').slice(0, 1), [`AttachPoint:${attachPoint}`]);
    });
  }

  it('stops at a comma, a brace, whitespace or a predicate slash', () => {
    assert.equal(first('kprobe:a,kprobe:b', 'header').text, 'kprobe:a');
    assert.equal(first('BEGIN{', 'header').text, 'BEGIN');
    assert.equal(first('kprobe:f/pid/', 'header').text, 'kprobe:f');
    assert.equal(first('uprobe:/bin/sh:main/pid/', 'header').text, 'uprobe:/bin/sh:main');
    assert.equal(first('kprobe:f//comment\n{', 'header').text, 'kprobe:f');
  });

  it('hands back ordinary tokens where no attach point can start', () => {
    assert.equal(first('  { x', 'header').kind, 'Punct');
    assert.equal(first('#include <x.h>', 'header').kind, 'Directive');
    assert.equal(first('  // only a comment', 'header').kind, 'Eof');
  });
});
