import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disassemble } from '../asm/index.js';
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

  it('copied into a variable or map have their members read from the copy, with plain loads', () => {
    const script = compileText(`${STRUCTS} uretprobe:/bin/true:main {
      $o = *(struct outer *)arg0; @o[1] = *(struct outer *)arg0;
      @x = $o.p.x + @o[1].e[1]; @name = $o.name; @pair = @o[2].p; print($o.e[0]); print(@o[1].ptr);
    }`);
    const [program] = script.programs;
    const reads = disassemble(program.instructions).match(/call bpf_probe_read_user#/g);
    assert.equal(reads?.length, 2, 'one read of each whole struct, none of a member');
  });

  it('copied into a variable or map take constant indices within their bounds, as in bpftrace 0.17', () => {
    const variable = compileError(`${STRUCTS} uretprobe:/bin/true:main { $o = *(struct outer *)arg0; $i = 1; print($o.e[$i]); }`);
    assert.deepEqual([variable.message, variable.located], ['an array copied into a variable or map can only be indexed by a constant', '$i']);
    const outside = compileError(`${STRUCTS} uretprobe:/bin/true:main { @o = *(struct outer *)arg0; print(@o.e[2]); }`);
    assert.deepEqual([outside.message, outside.located], ['the index 2 is out of bounds for array of size 2', '@o.e[2]']);
  });

  it('in a tuple or chosen by ?: have no readable members, with bitfields are not copied, and copies have no addresses to read through', () => {
    const tuple = compileError(`${STRUCTS} uretprobe:/bin/true:main { $t = (*(struct pair *)arg0, 1); print($t.0.x); }`);
    assert.deepEqual([tuple.message, tuple.located], ['members of a struct or array in a tuple or chosen by ?: cannot be read', '$t.0.x']);
    const bitfields = compileError('struct b { int x:3; int y; } uretprobe:/bin/true:main { $b = *(struct b *)arg0; print($b.y); }');
    assert.deepEqual([bitfields.message, bitfields.located], ['struct b has bitfields, so it cannot be copied into a variable', '$b = *(struct b *)arg0']);
    const address = compileError(`${STRUCTS} uretprobe:/bin/true:main { $s = *(struct outer *)arg0; print(&$s.p.x); }`);
    assert.deepEqual([address.message, address.located], ['cannot take the address of a member of a copy held in a variable or map', '&$s.p.x']);
    const mac = compileError('struct m { unsigned char a[6]; } uretprobe:/bin/true:main { $m = *(struct m *)arg0; print(macaddr($m.a)); }');
    assert.deepEqual([mac.message, mac.located], ['macaddr() cannot read an array copied into a variable or map; pass the original, e.g. macaddr($p->field)', '$m.a']);
  });
});
