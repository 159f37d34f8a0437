import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileError, compileText } from './testing/fake-providers.js';

const STRUCTS = 'struct pair { short x; char y; } struct outer { struct pair p; char name[3]; unsigned int e[2]; void *ptr; }';

describe('struct values', () => {
  it('keep their C layout: nested structs, char arrays as strings, other arrays, pointers as integers', () => {
    const script = compileText(`${STRUCTS} uretprobe:/bin/true:main { print(*(struct outer *)arg0); }`);
    const pair = {
      kind: 'record', name: 'struct pair', size: 4, align: 2, fields: [
        { name: 'x', offset: 0, type: { kind: 'int', bits: 16, signed: true } },
        { name: 'y', offset: 2, type: { kind: 'int', bits: 8, signed: true } },
      ],
    };
    assert.deepEqual(script.printedValues, [{
      kind: 'record', name: 'struct outer', size: 24, align: 8, fields: [
        { name: 'p', offset: 0, type: pair },
        { name: 'name', offset: 4, type: { kind: 'string', size: 3 } },
        { name: 'e', offset: 8, type: { kind: 'array', element: { kind: 'int', bits: 32, signed: false }, length: 2 } },
        { name: 'ptr', offset: 16, type: { kind: 'int', bits: 64, signed: false } },
      ],
    }]);
  });

  it('are map keys, map values and tuple elements', () => {
    const script = compileText(`${STRUCTS} uretprobe:/bin/true:main { $o = (struct outer *)arg0; @k[$o->p] = 1; @v = *$o; @t = ($o->e, 1); }`);
    const sizes = script.maps.filter((m) => m.name.startsWith('@')).map((m) => [m.name, m.keySize, m.valueSize]);
    assert.deepEqual(sizes, [['@k', 4, 8], ['@v', 8, 24], ['@t', 8, 16]]);
  });

  it('are not mixed with other structs in one map', () => {
    assert.match(compileError(`${STRUCTS} uretprobe:/bin/true:main { @v = *(struct outer *)arg0; @v = *(struct pair *)arg0; }`).message,
      /type mismatch for @v: it holds struct outer, here assigned struct pair/);
  });

  it('with bitfields cannot be printed or stored whole', () => {
    const found = compileError('struct b { int x:3; int y; } uretprobe:/bin/true:main { print(*(struct b *)arg0); }');
    assert.deepEqual([found.message, found.located], ['print() of struct b is not supported', '*(struct b *)arg0']);
  });

  it('copied into a variable or map have no readable members yet, and say so where they are read', () => {
    const member = compileError(`${STRUCTS} uretprobe:/bin/true:main { $s = *(struct pair *)arg0; print($s.x); }`);
    assert.deepEqual([member.message, member.located], ['members of a struct or array copied into a variable, map or tuple cannot be read yet', '$s.x']);
    assert.equal(compileError(`${STRUCTS} uretprobe:/bin/true:main { @a = ((struct outer *)arg0)->e; print(@a[1]); }`).located, '@a[1]');
  });
});
