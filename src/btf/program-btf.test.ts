import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Btf } from './btf.js';
import { ProgramBtfBuilder } from './program-btf.js';
import type { BtfType } from './types.js';

function render(btf: Btf, id: number): string {
  const func = btf.type(id);
  assert.equal(func.kind, 'func');
  return `${func.kind === 'func' ? func.linkage : ''} ${btf.typeName(func.kind === 'func' ? func.type : 0, func.name)}`;
}

describe('ProgramBtfBuilder', () => {
  it('describes a program entry and map callbacks as the verifier checks them', () => {
    const builder = new ProgramBtfBuilder();
    const main = builder.func('BEGIN', 'program');
    const first = builder.func('for_1', 'map-callback');
    const second = builder.func('for_2', 'map-callback');
    const btf = new Btf(builder.build());
    assert.equal(render(btf, main), 'static int BEGIN(void *ctx)');
    assert.equal(render(btf, first), 'static long for_1(void *map, void *key, void *value, void *ctx)');
    assert.equal(render(btf, second), 'static long for_2(void *map, void *key, void *value, void *ctx)');
  });

  it('writes each prototype once, however many functions use it', () => {
    const builder = new ProgramBtfBuilder();
    for (let i = 0; i < 5; i++) builder.func(`f${i}`, 'map-callback');
    builder.func('main', 'program');
    const btf = new Btf(builder.build());
    const kinds: BtfType['kind'][] = [];
    for (let id = 1; id < btf.typeCount; id++) kinds.push(btf.type(id).kind);
    assert.equal(kinds.filter((k) => k === 'func_proto').length, 2);
    assert.equal(kinds.filter((k) => k === 'ptr').length, 1);
    assert.equal(kinds.filter((k) => k === 'func').length, 6);
  });

  it('turns names into C identifiers, which is all the kernel accepts for a FUNC', () => {
    const builder = new ProgramBtfBuilder();
    const id = builder.func('1st-probe:x', 'program');
    assert.equal(new Btf(builder.build()).type(id).name, '_1st_probe_x');
  });
});
