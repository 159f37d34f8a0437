// kaddr(), uaddr(), `&` and str(p, n) with a run-time n: typed by the checker, then run in the
// kernel where reading memory matters.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadKernelBtf } from '../btf/index.js';
import { CompileError } from '../lang/index.js';
import { compileText } from './testing/fake-providers.js';
import { LoadedForTest } from './testing/kernel-loader.js';

const open: LoadedForTest[] = [];
after(() => open.forEach((loaded) => loaded.close()));

const kernelSymbols = { address: (name: string) => (name === 'do_sys_openat2' ? 0xffffffff816b52b0n : undefined) };
const userSymbols = { symbol: (_path: string, name: string) => (name === 'counter' ? { address: 0x404028n, size: 4n } : undefined) };

function messages(run: () => unknown): string[] {
  try {
    run();
  } catch (caught) {
    if (caught instanceof CompileError) return caught.diagnostics.map((d) => d.message);
    throw caught;
  }
  return [];
}

function text(bytes: Uint8Array, offset: number, size: number): string {
  const slice = bytes.subarray(offset, offset + size);
  const end = slice.indexOf(0);
  return Buffer.from(end === -1 ? slice : slice.subarray(0, end)).toString('utf8');
}

describe('addresses', () => {
  it('kaddr() is the symbol table address, fixed at compile time', () => {
    const loaded = new LoadedForTest(compileText('BEGIN { printf("%lx\\n", kaddr("do_sys_openat2") + 16); }', { kernelSymbols }));
    open.push(loaded);
    loaded.run(0);
    const [event] = loaded.events();
    assert.equal(new DataView(event.payload.buffer, event.payload.byteOffset).getBigUint64(0, true), 0xffffffff816b52c0n);
  });

  it('kaddr() of an unknown symbol, or without a table, is a located error', () => {
    assert.deepEqual(messages(() => compileText('BEGIN { @ = kaddr("avenrun"); }', { kernelSymbols })), ["kernel symbol 'avenrun' not found"]);
    assert.match(messages(() => compileText('BEGIN { @ = kaddr("x"); }'))[0], /needs the kernel symbol table/);
    assert.match(messages(() => compileText('BEGIN { @ = kaddr(comm); }', { kernelSymbols }))[0], /string literal/);
  });

  it('uaddr() points at an integer of the symbol size in the probed binary', () => {
    const script = compileText('uretprobe:/bin/x:f { @ = *uaddr("counter"); @p = uaddr("counter"); }', { userSymbols });
    const [value, pointer] = script.maps.filter((m) => m.name.startsWith('@')).map((m) => m.value);
    assert.deepEqual(value, { kind: 'scalar', type: { kind: 'int', bits: 64, signed: true } });
    assert.equal(pointer?.kind === 'scalar' && pointer.type.kind === 'pointer' && pointer.type.userSpace, true);
    assert.match(messages(() => compileText('BEGIN { @ = uaddr("counter"); }', { userSymbols }))[0], /only available in uprobe probes/);
  });

  it('& takes the address of a member without reading it, and str(p, n) reads n characters', () => {
    const btf = loadKernelBtf();
    const loaded = new LoadedForTest(compileText(`BEGIN {
      $t = (struct task_struct *)curtask;
      $n = 2;
      printf("%s|%s\\n", str(&$t->comm), str(&$t->comm, $n));
    }`, { btf }));
    open.push(loaded);
    loaded.run(0);
    const [event] = loaded.events();
    assert.equal(text(event.payload, 0, 64), 'node');
    assert.equal(text(event.payload, 64, 64), 'no');
  });

  it('& of something that is not in memory is an error', () => {
    assert.match(messages(() => compileText('BEGIN { $x = 1; @ = &$x; }'))[0], /cannot take the address of int64/);
  });
});
