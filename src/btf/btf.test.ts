import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Btf, BtfError, BtfNotFoundError } from './index.js';
import { BtfWriter } from './btf-writer.js';

// One blob holding every kind, shaped like the kernel types the compiler asks about.
function fixture() {
  const w = new BtfWriter();
  const int = w.int('int', 4, { signed: true });
  const uint = w.int('unsigned int', 4);
  const char = w.int('char', 1, { signed: true, char: true });
  const bool = w.int('_Bool', 1, { bool: true });
  const long = w.int('long', 8, { signed: true });
  const int3 = w.int('int', 4, { signed: true, bits: 3, bitOffset: 2 });
  const u32 = w.typedef('u32', uint);
  const pidT = w.typedef('pid_t', int);
  const constChar = w.qualifier('const', char);
  const constCharPtr = w.ptr(constChar);
  const charPtr = w.ptr(char);
  const constPtr = w.qualifier('const', charPtr);
  const constPtrPtr = w.ptr(constPtr);
  const volatileInt = w.qualifier('volatile', int);
  const restrictPtr = w.qualifier('restrict', charPtr);
  const userChar = w.typeTag('user', char);
  const userCharPtr = w.ptr(userChar);
  const comm = w.array(char, uint, 16);
  const commPtr = w.ptr(comm);
  const matrix = w.array(comm, uint, 2);
  const fileFwd = w.fwd('file');
  const filePtr = w.ptr(fileFwd);
  const unionFwd = w.fwd('node', true);
  const taskFwd = w.fwd('task');
  const anonStruct = w.struct('', 8, [
    { name: 'x', type: int, bitOffset: 0 },
    { name: 'y', type: uint, bitOffset: 32 },
  ]);
  const anonUnion = w.union('', 8, [
    { name: 'a', type: u32, bitOffset: 0 },
    { name: 'b', type: long, bitOffset: 0 },
  ]);
  const flags = w.struct('flags', 8, [
    { name: 'lo', type: uint, bitOffset: 0, bitfieldSize: 3 },
    { name: 'hi', type: uint, bitOffset: 3, bitfieldSize: 5 },
    { name: 'whole', type: int, bitOffset: 32 },
  ]);
  const legacy = w.struct('legacy', 4, [{ name: 'three', type: int3, bitOffset: 8 }]);
  const task = w.struct('task', 48, [
    { name: 'state', type: long, bitOffset: 0 },
    { name: 'pid', type: pidT, bitOffset: 64 },
    { name: 'comm', type: comm, bitOffset: 96 },
    { name: '', type: anonStruct, bitOffset: 224 },
    { name: 'inner', type: anonStruct, bitOffset: 288 },
    { name: '', type: anonUnion, bitOffset: 320 },
  ]);
  const flagsHolder = w.struct('holder', 16, [{ name: 'f', type: flags, bitOffset: 64 }]);
  const taskPtr = w.ptr(task);
  const color = w.enum('color', 4, [['RED', 0], ['MINUS', -1]], true);
  const ucolor = w.enum('ucolor', 4, [['BIG', 0xffffffff]]);
  const big = w.enum64('big', 8, [['HUGE', 1n << 40n]]);
  const sbig = w.enum64('sbig', 8, [['NEG', -2n]], true);
  const double = w.float('double', 8);
  const readProto = w.funcProto(long, [['file', filePtr], ['buf', userCharPtr], ['count', u32]]);
  const vfsRead = w.func('vfs_read', readProto, 'global');
  const printkProto = w.funcProto(int, [['fmt', constCharPtr]], true);
  const printk = w.func('printk', printkProto, 'extern');
  const emptyProto = w.funcProto(0, []);
  const helper = w.func('helper', emptyProto, 'static');
  const callbackProto = w.funcProto(0, [['', int]]);
  const callbackPtr = w.ptr(callbackProto);
  const jiffies = w.variable('jiffies', long, 'global');
  const data = w.datasec('.data', 8, [{ type: jiffies, offset: 0, size: 8 }]);
  const tag = w.declTag('kfunc', vfsRead, -1);
  const argTag = w.declTag('nonnull', vfsRead, 1);
  const voidPtr = w.ptr(0);
  const tpProto = w.funcProto(0, [['', voidPtr], ['', int], ['', taskPtr]]);
  const tpTypedef = w.typedef('btf_trace_sched_foo', w.ptr(tpProto));
  const stubProto = w.funcProto(0, [['__data', voidPtr], ['cpu', int], ['p', taskPtr]]);
  w.func('__probestub_sched_foo', stubProto, 'global');
  w.typedef('btf_trace_sched_bar', w.ptr(w.funcProto(0, [['', voidPtr], ['', long]])));
  const unicode = w.struct('größe', 0, []);
  const ids = {
    int, uint, char, bool, long, int3, u32, pidT, constChar, constCharPtr, charPtr, constPtr, constPtrPtr,
    volatileInt, restrictPtr, userChar, userCharPtr, comm, commPtr, matrix, fileFwd, filePtr, unionFwd,
    taskFwd, anonStruct, anonUnion, flags, legacy, task, flagsHolder, taskPtr, color, ucolor, big, sbig,
    double, readProto, vfsRead, printkProto, printk, emptyProto, helper, callbackProto, callbackPtr,
    jiffies, data, tag, argTag, voidPtr, tpProto, tpTypedef, unicode,
  };
  return { btf: new Btf(w.build()), ids };
}

const { btf, ids } = fixture();

describe('BTF decoding', () => {
  it('decodes integers with their encoding and bit layout', () => {
    assert.deepEqual(btf.type(ids.char), {
      kind: 'int', id: ids.char, name: 'char', size: 1, signed: true, char: true, bool: false, bitOffset: 0, bits: 8,
    });
    const bool = btf.type(ids.bool);
    assert.equal(bool.kind === 'int' && bool.bool && !bool.signed, true);
    assert.deepEqual(btf.type(ids.int3), {
      kind: 'int', id: ids.int3, name: 'int', size: 4, signed: true, char: false, bool: false, bitOffset: 2, bits: 3,
    });
  });

  it('decodes pointers, arrays, modifiers and forward declarations', () => {
    assert.deepEqual(btf.type(ids.charPtr), { kind: 'ptr', id: ids.charPtr, name: '', type: ids.char });
    assert.deepEqual(btf.type(ids.comm), {
      kind: 'array', id: ids.comm, name: '', elementType: ids.char, indexType: ids.uint, length: 16,
    });
    assert.deepEqual(btf.type(ids.u32), { kind: 'typedef', id: ids.u32, name: 'u32', type: ids.uint });
    assert.deepEqual(btf.type(ids.volatileInt), { kind: 'volatile', id: ids.volatileInt, name: '', type: ids.int });
    assert.deepEqual(btf.type(ids.restrictPtr), { kind: 'restrict', id: ids.restrictPtr, name: '', type: ids.charPtr });
    assert.deepEqual(btf.type(ids.userChar), { kind: 'type_tag', id: ids.userChar, name: 'user', type: ids.char });
    assert.deepEqual(btf.type(ids.fileFwd), { kind: 'fwd', id: ids.fileFwd, name: 'file', fwdKind: 'struct' });
    assert.deepEqual(btf.type(ids.unionFwd), { kind: 'fwd', id: ids.unionFwd, name: 'node', fwdKind: 'union' });
  });

  it('decodes struct members, with and without the kind_flag bitfield encoding', () => {
    const flags = btf.type(ids.flags);
    assert.equal(flags.kind, 'struct');
    assert.deepEqual(flags.kind === 'struct' && flags.members, [
      { name: 'lo', type: ids.uint, bitOffset: 0, bitfieldSize: 3 },
      { name: 'hi', type: ids.uint, bitOffset: 3, bitfieldSize: 5 },
      { name: 'whole', type: ids.int, bitOffset: 32, bitfieldSize: 0 },
    ]);
    const union = btf.type(ids.anonUnion);
    assert.equal(union.kind === 'union' && union.size, 8);
  });

  it('decodes enum values by signedness, including 64-bit ones', () => {
    assert.deepEqual(btf.type(ids.color), {
      kind: 'enum', id: ids.color, name: 'color', size: 4, signed: true,
      values: [{ name: 'RED', value: 0 }, { name: 'MINUS', value: -1 }],
    });
    const ucolor = btf.type(ids.ucolor);
    assert.deepEqual(ucolor.kind === 'enum' && ucolor.values, [{ name: 'BIG', value: 0xffffffff }]);
    const big = btf.type(ids.big);
    assert.deepEqual(big.kind === 'enum64' && big.values, [{ name: 'HUGE', value: 1n << 40n }]);
    const sbig = btf.type(ids.sbig);
    assert.deepEqual(sbig.kind === 'enum64' && sbig.values, [{ name: 'NEG', value: -2n }]);
  });

  it('decodes functions, prototypes, variables, sections, floats and tags', () => {
    assert.deepEqual(btf.type(ids.vfsRead), { kind: 'func', id: ids.vfsRead, name: 'vfs_read', type: ids.readProto, linkage: 'global' });
    assert.equal(btf.findFunction('printk')?.linkage, 'extern');
    assert.equal(btf.findFunction('helper')?.linkage, 'static');
    assert.deepEqual(btf.type(ids.printkProto), {
      kind: 'func_proto', id: ids.printkProto, name: '', returnType: ids.int,
      params: [{ name: 'fmt', type: ids.constCharPtr }], variadic: true,
    });
    assert.deepEqual(btf.type(ids.jiffies), { kind: 'var', id: ids.jiffies, name: 'jiffies', type: ids.long, linkage: 'global' });
    assert.deepEqual(btf.type(ids.data), {
      kind: 'datasec', id: ids.data, name: '.data', size: 8, vars: [{ type: ids.jiffies, offset: 0, size: 8 }],
    });
    assert.deepEqual(btf.type(ids.double), { kind: 'float', id: ids.double, name: 'double', size: 8 });
    assert.deepEqual(btf.type(ids.tag), { kind: 'decl_tag', id: ids.tag, name: 'kfunc', type: ids.vfsRead, componentIndex: -1 });
    const argTag = btf.type(ids.argTag);
    assert.equal(argTag.kind === 'decl_tag' && argTag.componentIndex, 1);
  });

  it('treats id 0 as void and decodes non-ASCII names', () => {
    assert.deepEqual(btf.type(0), { kind: 'void', id: 0, name: '' });
    assert.equal(btf.type(ids.unicode).name, 'größe');
    assert.equal(btf.findType('größe', 'struct')?.id, ids.unicode);
  });
});

describe('BTF blob errors', () => {
  it('rejects a bad magic number, a short blob and an unknown kind', () => {
    const good = new BtfWriter();
    good.int('int', 4);
    const bytes = good.build();
    bytes[0] = 0x00;
    assert.throws(() => new Btf(bytes), (e: unknown) => e instanceof BtfError && /bad BTF magic 0xeb00 \(expected 0xeb9f\)/.test(e.message));
    assert.throws(() => new Btf(new Uint8Array(8)), /BTF blob too short/);
    const unknown = new BtfWriter();
    unknown.raw('weird', 25, 0, false, 0);
    assert.throws(() => new Btf(unknown.build()), /type 1 has unknown BTF kind 25/);
  });

  it('reads big-endian blobs', () => {
    const w = new BtfWriter();
    w.typedef('u16', w.int('unsigned short', 2));
    const bytes = w.build();
    const view = new DataView(bytes.buffer);
    view.setUint16(0, view.getUint16(0, true), false);
    const stringsStart = 24 + view.getUint32(16, true);
    for (let at = 4; at < stringsStart; at += 4) view.setUint32(at, view.getUint32(at, true), false);
    const be = new Btf(bytes);
    assert.equal(be.typeName(2), 'u16');
    assert.equal(be.sizeOf(2), 2);
  });

  it('rejects a type section whose last record is cut short', () => {
    const w = new BtfWriter();
    w.raw('s', 4, 2, false, 8, [0, 1, 0]);
    assert.throws(() => new Btf(w.build()), /overruns the type section by 12 bytes/);
  });

  it('names the id when a type id is out of range', () => {
    assert.throws(() => btf.type(100000), (e: unknown) => e instanceof BtfNotFoundError && /type id 100000/.test(e.message));
  });
});

describe('BTF queries', () => {
  it('finds types by name and kind, preferring definitions over forward declarations', () => {
    assert.equal(btf.findType('task')?.id, ids.task);
    assert.equal(btf.findType('task', 'fwd')?.id, ids.taskFwd);
    assert.equal(btf.findType('file')?.id, ids.fileFwd);
    assert.equal(btf.findType('task', 'union'), undefined);
    assert.equal(btf.findType('int')?.id, ids.int);
    assert.equal(btf.findType('nope'), undefined);
    assert.throws(() => btf.expectType('nope', 'struct'), /BTF has no struct nope/);
  });

  it('resolves through typedefs, qualifiers and type tags', () => {
    assert.equal(btf.resolve(ids.pidT).id, ids.int);
    assert.equal(btf.resolve(ids.constChar).id, ids.char);
    assert.equal(btf.resolve(ids.userChar).id, ids.char);
    assert.equal(btf.resolve(ids.charPtr).id, ids.charPtr);
  });

  it('computes sizes', () => {
    assert.equal(btf.sizeOf(ids.pidT), 4);
    assert.equal(btf.sizeOf(ids.comm), 16);
    assert.equal(btf.sizeOf(ids.matrix), 32);
    assert.equal(btf.sizeOf(ids.constCharPtr), 8);
    assert.equal(btf.sizeOf(ids.task), 48);
    assert.equal(btf.sizeOf(ids.color), 4);
    assert.equal(btf.sizeOf(ids.jiffies), 8);
    assert.throws(() => btf.sizeOf(ids.vfsRead), /has no size/);
    assert.throws(() => btf.sizeOf(0), /void \(type 0, void\) has no size/);
  });

  it('lists members, decoding old-style bitfields like kind_flag ones', () => {
    assert.deepEqual(btf.members(ids.legacy), [{ name: 'three', type: ids.int3, bitOffset: 10, bitfieldSize: 3 }]);
    assert.equal(btf.members(ids.task).length, 6);
    assert.throws(() => btf.members(ids.int), /int \(type 1\) is not a struct or union/);
  });

  it('locates members by path, through anonymous structs and unions', () => {
    assert.deepEqual(btf.member(ids.task, 'pid'), { type: ids.pidT, bitOffset: 64, offset: 8, bitfieldSize: 0 });
    assert.deepEqual(btf.member(ids.task, 'y'), { type: ids.uint, bitOffset: 256, offset: 32, bitfieldSize: 0 });
    assert.deepEqual(btf.member(ids.task, 'inner.y'), { type: ids.uint, bitOffset: 320, offset: 40, bitfieldSize: 0 });
    assert.deepEqual(btf.member(ids.task, 'b'), { type: ids.long, bitOffset: 320, offset: 40, bitfieldSize: 0 });
    assert.deepEqual(btf.member(ids.flagsHolder, 'f.hi'), { type: ids.uint, bitOffset: 67, offset: 8, bitfieldSize: 5 });
  });

  it('explains member paths that do not exist or cross a non-struct', () => {
    assert.throws(() => btf.member(ids.task, 'nope'), (e: unknown) => e instanceof BtfNotFoundError && /member nope in struct task/.test(e.message));
    assert.throws(() => btf.member(ids.task, 'pid.x'), /cannot take member x of pid \(pid_t\): not a struct or union/);
    assert.throws(() => btf.member(ids.taskPtr, 'pid'), /cannot take member pid of struct task \*/);
  });

  it('returns function prototypes with parameter names', () => {
    assert.deepEqual(btf.functionPrototype('vfs_read'), {
      name: 'vfs_read', id: ids.vfsRead, returnType: ids.long, variadic: false,
      params: [{ name: 'file', type: ids.filePtr }, { name: 'buf', type: ids.userCharPtr }, { name: 'count', type: ids.u32 }],
    });
    assert.throws(() => btf.functionPrototype('missing'), /BTF has no function missing/);
  });

  it('renders C spellings of types and declarations', () => {
    const cases: [number, string][] = [
      [ids.int, 'int'],
      [ids.u32, 'u32'],
      [ids.constCharPtr, 'const char *'],
      [ids.constPtrPtr, 'char *const *'],
      [ids.restrictPtr, 'char *restrict'],
      [ids.volatileInt, 'volatile int'],
      [ids.userCharPtr, 'char *'],
      [ids.comm, 'char[16]'],
      [ids.matrix, 'char[2][16]'],
      [ids.commPtr, 'char (*)[16]'],
      [ids.filePtr, 'struct file *'],
      [ids.unionFwd, 'union node'],
      [ids.taskPtr, 'struct task *'],
      [ids.anonStruct, 'struct {...}'],
      [ids.color, 'enum color'],
      [ids.big, 'enum big'],
      [ids.callbackPtr, 'void (*)(int)'],
      [ids.vfsRead, 'long vfs_read(struct file *file, char *buf, u32 count)'],
      [ids.printk, 'int printk(const char *fmt, ...)'],
      [ids.helper, 'void helper(void)'],
      [ids.jiffies, 'long jiffies'],
      [0, 'void'],
    ];
    for (const [id, text] of cases) assert.equal(btf.typeName(id), text, `type ${id}`);
    assert.equal(btf.typeName(ids.comm, 'name'), 'char name[16]');
    assert.equal(btf.typeName(ids.constPtrPtr, 'argv'), 'char *const *argv');
  });

  it('classifies signedness, pointers, integers and arrays', () => {
    assert.equal(btf.isSigned(ids.pidT), true);
    assert.equal(btf.isSigned(ids.u32), false);
    assert.equal(btf.isSigned(ids.color), true);
    assert.equal(btf.isSigned(ids.double), false);
    assert.equal(btf.isPointer(ids.constCharPtr), true);
    assert.equal(btf.isPointer(ids.comm), false);
    assert.equal(btf.isInteger(ids.bool), true);
    assert.equal(btf.isInteger(ids.ucolor), true);
    assert.equal(btf.isInteger(ids.charPtr), false);
    assert.deepEqual(btf.arrayInfo(ids.matrix), { elementType: ids.comm, length: 2, elementSize: 16 });
    assert.equal(btf.arrayInfo(ids.int), undefined);
  });

  it('finds tp_btf arguments, naming them from the probe stub when the typedef has no names', () => {
    assert.deepEqual(btf.findTracepointType('sched_foo'), [{ name: 'cpu', type: ids.int }, { name: 'p', type: ids.taskPtr }]);
    assert.deepEqual(btf.findTracepointType('sched_bar'), [{ name: 'arg0', type: ids.long }]);
    assert.equal(btf.findTracepointType('sched_none'), undefined);
  });
});
