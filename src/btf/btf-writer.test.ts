import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Btf } from './btf.js';
import { BtfWriter } from './btf-writer.js';

describe('BtfWriter', () => {
  it('writes the header the kernel expects: magic, version 1, 24-byte header, types then strings', () => {
    const w = new BtfWriter();
    w.int('int', 4, { signed: true });
    const blob = w.build();
    const view = new DataView(blob.buffer);
    assert.equal(view.getUint16(0, true), 0xeb9f);
    assert.equal(view.getUint8(2), 1);
    assert.equal(view.getUint8(3), 0, 'flags');
    assert.deepEqual([4, 8, 12, 16, 20].map((o) => view.getUint32(o, true)), [24, 0, 16, 16, '\0int\0'.length]);
    // INT: name offset 1, info kind 1, size 4, then BTF_INT_SIGNED | 32 bits.
    assert.deepEqual([24, 28, 32, 36].map((o) => view.getUint32(o, true)), [1, 1 << 24, 4, (1 << 24) | 32]);
    assert.equal(blob.length, 24 + 16 + 5);
  });

  it('numbers types from 1 and stores each name once', () => {
    const w = new BtfWriter();
    const a = w.int('long', 8, { signed: true });
    const b = w.typedef('s64', a);
    const c = w.typedef('s64', b);
    assert.deepEqual([a, b, c], [1, 2, 3]);
    const blob = w.build();
    assert.equal(new DataView(blob.buffer).getUint32(20, true), '\0long\0s64\0'.length);
  });

  it('round-trips functions with their linkage and named parameters', () => {
    const w = new BtfWriter();
    const voidPtr = w.ptr(0);
    const long = w.int('long', 8, { signed: true });
    const proto = w.funcProto(long, [['map', voidPtr], ['ctx', voidPtr]]);
    const cb = w.func('cb', proto, 'static');
    const main = w.func('main', proto);
    const btf = new Btf(w.build());
    assert.deepEqual(btf.type(cb), { kind: 'func', id: cb, name: 'cb', type: proto, linkage: 'static' });
    assert.deepEqual(btf.type(main), { kind: 'func', id: main, name: 'main', type: proto, linkage: 'global' });
    assert.deepEqual(btf.type(proto), {
      kind: 'func_proto', id: proto, name: '', returnType: long, variadic: false,
      params: [{ name: 'map', type: voidPtr }, { name: 'ctx', type: voidPtr }],
    });
  });
});
