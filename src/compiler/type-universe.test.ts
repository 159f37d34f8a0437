import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Btf, BtfWriter } from '../btf/index.js';
import { Source, parse } from '../lang/index.js';
import { type CType, cSizeOf, cTypeName } from './c-types.js';
import { evaluateConstant, readPreamble } from './preamble.js';
import { TypeUniverse } from './type-universe.js';

function universeOf(preamble: string, btf?: Btf): TypeUniverse {
  const program = parse(new Source('t.bt', `${preamble}\nBEGIN {}`));
  const { records, macros } = readPreamble(program);
  return new TypeUniverse(btf, records, (expr) => evaluateConstant(expr, macros));
}

function fieldsOf(type: CType | undefined): [string, number, string][] {
  if (type?.kind !== 'record') return assert.fail('not a record');
  return type.record.fieldNames().map((name) => {
    const field = type.record.field(name);
    return [name, field?.offset ?? -1, field === undefined ? '?' : cTypeName(field.type)];
  });
}

describe('TypeUniverse', () => {
  it('lays out preamble structs with C alignment, anonymous members and array macros', () => {
    const universe = universeOf(`#define N 3
      struct inner { char tag; long value; };
      struct outer { char a; int b; short c[N]; struct inner in; union { int u1; char u2; }; char *p; };`);
    const record = universe.record('struct', 'outer');
    assert.ok(record !== undefined);
    assert.deepEqual(fieldsOf({ kind: 'record', record }), [
      ['a', 0, 'char'], ['b', 4, 'int32'], ['c', 8, 'int16[3]'], ['in', 16, 'struct inner'],
      ['u1', 32, 'int32'], ['u2', 32, 'char'], ['p', 40, 'char *'],
    ]);
    assert.equal(record.size, 48);
  });

  it('reads tracepoint field types from their C text', () => {
    const universe = universeOf('');
    const cases: [string, number, boolean, string][] = [
      ['const char *', 8, false, 'char *'],
      ['char[16]', 16, false, 'char[16]'],
      ['unsigned long[6]', 48, false, 'uint64[6]'],
      ['const char *const *', 8, false, 'char * *'],
      ['pid_t', 4, true, 'int32'],
      ['struct unknown_thing *', 8, false, 'void *'],
      ['some_typedef_t', 2, true, 'int16'],
    ];
    for (const [text, size, signed, expected] of cases) {
      const type = universe.fromCText(text, size, signed);
      assert.equal(cTypeName(type), expected, text);
      if (!text.endsWith('*')) assert.equal(cSizeOf(type), size, text);
    }
  });

  it('follows BTF pointers lazily, including self-references, and finds enumerators', () => {
    const w = new BtfWriter();
    const int = w.int('int', 4, { signed: true });
    const char = w.int('char', 1, { signed: true, char: true });
    const comm = w.array(char, int, 16);
    // BTF may point forward: the pointer is written before the struct it points to (id + 1).
    const taskPointer = w.ptr(comm + 2);
    const task = w.struct('task', 32, [
      { name: 'pid', type: int, bitOffset: 0 },
      { name: 'comm', type: comm, bitOffset: 32 },
      { name: 'parent', type: taskPointer, bitOffset: 192 },
    ]);
    assert.equal(task, comm + 2);
    w.enum('state', 4, [['TCP_ESTABLISHED', 1], ['TCP_SYN_SENT', 2]]);
    const universe = universeOf('', new Btf(w.build()));
    const record = universe.record('struct', 'task');
    assert.ok(record !== undefined);
    assert.deepEqual(fieldsOf({ kind: 'record', record }), [['pid', 0, 'int32'], ['comm', 4, 'char[16]'], ['parent', 24, 'struct task *']]);
    const parent = record.field('parent')?.type;
    assert.ok(parent?.kind === 'pointer' && parent.to.kind === 'record' && parent.to.record === record, 'the same record, not a copy');
    assert.equal(universe.enumConstant('TCP_SYN_SENT'), 2n);
    assert.equal(universe.enumConstant('NOPE'), undefined);
  });

  it('reports unknown written types by name', () => {
    const program = parse(new Source('t.bt', 'BEGIN { @ = (struct missing *)0; }'));
    const cast = program.probes[0].body.statements[0];
    assert.ok(cast.kind === 'Assignment' && cast.value.kind === 'Cast');
    assert.equal(universeOf('').fromTypeExpr(cast.value.type), 'unknown struct missing');
  });
});
