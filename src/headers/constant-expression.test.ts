import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConstantError, evaluateConstant } from './constant-expression.js';
import { typeSet } from './integer-types.js';
import { tokenize } from './pp-token.js';

const types = typeSet({ longBits: 64, charSigned: true });

function evaluate(text: string): [bigint, string] {
  const result = evaluateConstant(tokenize(text), { types });
  return [result.value, result.type.name];
}

describe('evaluateConstant', () => {
  it('types literals by value and suffix', () => {
    assert.deepEqual(evaluate('2147483647'), [2147483647n, 'int']);
    assert.deepEqual(evaluate('2147483648'), [2147483648n, 'long']);
    assert.deepEqual(evaluate('0xffffffff'), [4294967295n, 'unsigned int']);
    assert.deepEqual(evaluate('1UL'), [1n, 'unsigned long']);
    assert.deepEqual(evaluate('0x7fffffffL'), [2147483647n, 'long']);
    assert.deepEqual(evaluate('0100'), [64n, 'int']);
    assert.deepEqual(evaluate("'A'"), [65n, 'int']);
  });

  it('applies casts, promotions and wrap-around', () => {
    assert.deepEqual(evaluate('((int)1)'), [1n, 'int']);
    assert.deepEqual(evaluate('(1U << 3)'), [8n, 'unsigned int']);
    assert.deepEqual(evaluate('~0U'), [4294967295n, 'unsigned int']);
    assert.deepEqual(evaluate('~0UL'), [18446744073709551615n, 'unsigned long']);
    assert.deepEqual(evaluate('-1 + 0U'), [4294967295n, 'unsigned int']);
    assert.deepEqual(evaluate('(unsigned char)300'), [44n, 'unsigned char']);
    assert.deepEqual(evaluate('(-9223372036854775807L - 1L)'), [-9223372036854775808n, 'long']);
    assert.deepEqual(evaluate('1 | 2 | 8'), [11n, 'int']);
    assert.deepEqual(evaluate('-7 / 2'), [-3n, 'int']);
    assert.deepEqual(evaluate('1 ? 2 : 3L'), [2n, 'long']);
  });

  it('knows the sizes of basic types and pointers', () => {
    assert.deepEqual(evaluate('sizeof(long)'), [8n, 'unsigned long']);
    assert.deepEqual(evaluate('sizeof(unsigned short)'), [2n, 'unsigned long']);
    assert.deepEqual(evaluate('sizeof(struct task_struct *)'), [8n, 'unsigned long']);
    assert.deepEqual(evaluate('8 * (int) sizeof (int)'), [32n, 'int']);
  });

  it('does #if arithmetic in intmax_t, with unknown identifiers as 0', () => {
    const value = (text: string): bigint => evaluateConstant(tokenize(text), { types: 'preprocessor' }).value;
    assert.equal(value('-1 > 0u'), 1n);
    assert.equal(value('0xffffffff + 1'), 4294967296n);
    assert.equal(value('UNKNOWN + 3'), 3n);
  });

  it('explains what is not a constant', () => {
    assert.throws(() => evaluate('1 / 0'), new ConstantError('division by zero'));
    assert.throws(() => evaluate('1.5'), /floating-point/);
    assert.throws(() => evaluate('FOO'), /'FOO' is not a known constant/);
    assert.throws(() => evaluate('1 << 40'), /shift count 40 is out of range for int/);
    assert.deepEqual(evaluate('0 && 1 / 0'), [0n, 'int']);
  });
});
