import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrintf } from './printf.js';
import { buffer, int, str, uint, type Value } from './value.js';

// Expected strings are bpftrace v0.17.0's output for the same printf() calls (integer literals are
// int64 in bpftrace, casts give the narrower types).
describe('formatPrintf, bpftrace 0.17 goldens', () => {
  it('formats the basic conversions', () => {
    const args: Value[] = [int(-5), int(-1), int(255), int(255), int(8), str('hi'), int(65), int(4096)];
    assert.equal(
      formatPrintf('[%d] [%u] [%x] [%X] [%o] [%s] [%c] [%p]\n', args),
      '[-5] [4294967295] [ff] [FF] [10] [hi] [A] [0x1000]\n',
    );
  });

  it('reads as many bits as the length modifier says, with widths and precisions', () => {
    const args: Value[] = [
      int(-1), int(2), int(-3), int(-4), int(300), str('ab'), int(42), int(42), int(7), str('abcdef'), str('xyz'),
      int(70000), int(200), int(-1), int(-1),
    ];
    assert.equal(
      formatPrintf(
        '[%lu] [%llu] [%ld] [%lld] [%hhu] [%-10s] [%5d] [%05d] [%%] [%-5d] [%.3s] [%10.2s] [%hd] [%hhd] [%lx] [%llx]\n',
        args,
      ),
      '[18446744073709551615] [2] [-3] [-4] [44] [ab        ] [   42] [00042] [%] [7    ] [abc] [        xy] ' +
        '[4464] [-56] [ffffffffffffffff] [ffffffffffffffff]\n',
    );
  });

  it('copies string arguments verbatim', () => {
    assert.equal(formatPrintf('%s|%s\n', [str('a"b'), str('tab\there')]), 'a"b|tab\there\n');
  });

  it('sign-extends signed 32-bit values and truncates 64-bit ones for %d', () => {
    const minusOne = int(-1, true, 32);
    assert.equal(formatPrintf('%d %u %x %d\n', [minusOne, minusOne, minusOne, int(5_000_000_000)]), '-1 4294967295 ffffffff 705032704\n');
  });

  it('prints buffers with %r, %rx and %rh', () => {
    const args = [buffer([0x61, 0x62, 0x01, 0xff]), buffer([0x68, 0x65, 0x6c]), buffer([0x61, 0x62, 0x01]), buffer([0x61, 0x62, 0x01])];
    assert.equal(formatPrintf('%r|%r|%rx|%rh\n', args), 'ab\\x01\\xff|hel|\\x61\\x62\\x01|61 62 01\n');
  });

  it('pads characters and handles precision and null pointers', () => {
    assert.equal(formatPrintf('%5s|%-5c|%3c\n', [str('x'), int(66), int(67)]), '    x|B    |  C\n');
    assert.equal(
      formatPrintf('%.5d|%8.3d|%x|%p|%-8p|\n', [int(42), int(7), int(-1), int(0), int(16)]),
      '00042|     007|ffffffff|(nil)|0x10    |\n',
    );
  });

  it('prints %% as % even after the last conversion (bpftrace 0.17 prints %% there)', () => {
    assert.equal(formatPrintf('%s %d 100%%\n', [str('after'), int(1)]), 'after 1 100%\n');
    assert.equal(formatPrintf('no newline', []), 'no newline');
  });
});

describe('formatPrintf, C flags bpftrace passes through to glibc', () => {
  // Expected strings from glibc snprintf with the same format and a 64-bit argument.
  const cases: Array<[string, Value, string]> = [
    ['[%05s]', str('ab'), '[   ab]'],
    ['[%-05d]', int(42), '[42   ]'],
    ['[%.0d]', int(0), '[]'],
    ['[%#o]', int(0), '[0]'],
    ['[%#x]', int(0), '[0]'],
    ['[%#x]', int(255), '[0xff]'],
    ['[%#X]', int(255), '[0XFF]'],
    ['[%+.3d]', int(5), '[+005]'],
    ['[% 05d]', int(-5), '[-0005]'],
    ['[%10p]', int(0), '[     (nil)]'],
    ['[%.3p]', int(1), '[0x001]'],
    ['[%010p]', int(255), '[0x000000ff]'],
    ['[%08.3d]', int(-5), '[    -005]'],
    ['[%#.3o]', int(8), '[010]'],
    ['[%#5o]', int(8), '[  010]'],
    ['[%05c]', int(65), '[    A]'],
    ['[%-+5d]', int(3), '[+3   ]'],
    ['[%.0s]', str('abc'), '[]'],
    ['[%lu]', uint(2n ** 64n - 1n), '[18446744073709551615]'],
  ];
  for (const [format, arg, expected] of cases) {
    it(`${format} → ${expected}`, () => {
      assert.equal(formatPrintf(format, [arg]), expected);
    });
  }

  it('ignores flags and width on %%', () => {
    assert.equal(formatPrintf('[%5%]', []), '[%]');
  });

  it('prints pointers, symbols and addresses through %d and %s', () => {
    const symbol: Value = { kind: 'symbol', text: 'vfs_read+4' };
    const inet: Value = { kind: 'inet', text: '10.0.0.1' };
    assert.equal(formatPrintf('%s %s %lx', [symbol, inet, { kind: 'pointer', address: 0xffff0000n }]), 'vfs_read+4 10.0.0.1 ffff0000');
  });

  it('copies an unknown conversion through and rejects missing arguments', () => {
    assert.equal(formatPrintf('%y %d', [int(1)]), '%y 1');
    assert.throws(() => formatPrintf('%d %d', [int(1)]), RangeError);
    assert.throws(() => formatPrintf('%d', [str('x')]), TypeError);
  });
});

describe('formatPrintf, integers near the edges of the number fast path', () => {
  // Small values format through numbers, others through bigints; both must read the bits C reads.
  const cases: Array<[string, Value, string]> = [
    ['%d', int(2147483647), '2147483647'],
    ['%d', int(2147483648), '-2147483648'],
    ['%d', int(-2147483648), '-2147483648'],
    ['%d', int(-2147483649), '2147483647'],
    ['%u', int(-1), '4294967295'],
    ['%lu', int(-1), '18446744073709551615'],
    ['%lu', int(-2147483648), '18446744071562067968'],
    ['%ld', int(9007199254740993n), '9007199254740993'],
    ['%hhd', int(255), '-1'],
    ['%hhu', int(-1), '255'],
    ['%hd', int(32768), '-32768'],
    ['%hu', int(-1), '65535'],
    ['%x', int(-2147483648), '80000000'],
    ['%lx', int(-2147483648), 'ffffffff80000000'],
    ['%#o', uint(8), '010'],
    ['%+d|% d|%05d', int(0), '+0| 0|00000'],
  ];
  for (const [format, arg, expected] of cases) {
    it(`${format} of ${arg.kind === 'int' ? arg.value : ''} → ${expected}`, () => {
      assert.equal(formatPrintf(format, format.split('%').length > 2 ? [arg, arg, arg] : [arg]), expected);
    });
  }
});
