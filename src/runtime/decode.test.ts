import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { s32, stringType, u16, u64, type Type } from '../abi/index.js';
import { KernelSymbols, UserSymbolizer } from '../kernel/index.js';
import { formatValueText, type Value } from '../output/index.js';
import { ValueDecoder, type StackKind } from './decode.js';
import { formatInet } from './inet.js';
import { Usernames } from './usernames.js';

const KALLSYMS = [
  'ffffffff81000000 T _stext',
  'ffffffff81001000 T do_syscall_64',
  'ffffffff81002000 t vfs_read',
].join('\n');

function decoder(stacks: Partial<Record<StackKind, Record<number, bigint[]>>> = {}): ValueDecoder {
  return new ValueDecoder({
    kernelSymbols: KernelSymbols.fromText(KALLSYMS),
    userSymbols: new UserSymbolizer({ readMaps: () => [] }),
    usernames: new Usernames(() => 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n'),
    stacks: { addresses: (kind, id) => stacks[kind]?.[id] },
  });
}

function bytes(...words: (number | bigint)[]): Uint8Array {
  const out = new Uint8Array(words.length * 8);
  const view = new DataView(out.buffer);
  words.forEach((word, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(word)), true));
  return out;
}

function text(value: Value): string {
  return formatValueText(value);
}

describe('ValueDecoder', () => {
  it('reads integers with their width and signedness', () => {
    const raw = bytes(-2n);
    assert.deepEqual(decoder().decode(s32, raw), { kind: 'int', value: -2n, signed: true, bits: 32 });
    assert.deepEqual(decoder().decode(u16, raw), { kind: 'int', value: 0xfffen, signed: false, bits: 16 });
    assert.deepEqual(decoder().decode(u64, raw), { kind: 'int', value: 2n ** 64n - 2n, signed: false, bits: 64 });
  });

  it('cuts strings at the first NUL, and keeps a full field without one', () => {
    const raw = new TextEncoder().encode('bash\0junk');
    assert.deepEqual(decoder().decode(stringType(9), raw), { kind: 'string', value: 'bash' });
    assert.deepEqual(decoder().decode(stringType(4), raw), { kind: 'string', value: 'bash' });
  });

  it('reads tuples and printf arguments at their C struct offsets', () => {
    const types: Type[] = [s32, u64, stringType(3)];
    const raw = new Uint8Array(24);
    const view = new DataView(raw.buffer);
    view.setInt32(0, -5, true);
    view.setBigUint64(8, 9n, true);
    raw.set([0x6f, 0x6b, 0], 16);
    assert.deepEqual(decoder().decodeAll(types, raw).map(text), ['-5', '9', 'ok']);
    assert.equal(text(decoder().decode({ kind: 'tuple', elements: types }, raw)), '(-5, 9, ok)');
  });

  it('keeps only the bytes a buffer says it holds', () => {
    const raw = new Uint8Array([2, 0, 0, 0, 0x41, 0x01, 0x42]);
    const value = decoder().decode({ kind: 'buffer', size: 3 }, raw);
    assert.deepEqual(value, { kind: 'buffer', bytes: new Uint8Array([0x41, 0x01]) });
  });

  it('resolves ksym to the enclosing kernel function, and unknown addresses to hex', () => {
    assert.deepEqual(decoder().decode({ kind: 'ksym' }, bytes(0xffffffff81001010n)), { kind: 'symbol', text: 'do_syscall_64' });
    assert.deepEqual(decoder().decode({ kind: 'ksym' }, bytes(0x1000)), { kind: 'symbol', text: '0x1000' });
  });

  it('prints usym in hex when no process is known to resolve it in', () => {
    assert.deepEqual(decoder().decode({ kind: 'usym' }, bytes(0x401000, 0)), { kind: 'symbol', text: '0x401000' });
  });

  it('turns a kernel stack id into frames with offsets, up to the limit', () => {
    const d = decoder({ kstack: { 3: [0xffffffff81002010n, 0xffffffff81001020n, 0xffffffff81000005n] } });
    const value = d.decode({ kind: 'kstack', limit: 2, mode: 'bpftrace' }, bytes(3, 77));
    assert.deepEqual(value, {
      kind: 'stack',
      mode: 'bpftrace',
      frames: [
        { address: 0xffffffff81002010n, symbol: 'vfs_read+16' },
        { address: 0xffffffff81001020n, symbol: 'do_syscall_64+32' },
      ],
    });
  });

  it('keeps the stack mode, and names the file of perf-mode user frames', () => {
    const d = decoder({ kstack: { 3: [0xffffffff81002010n] }, ustack: { 4: [0x1000n] } });
    assert.equal(text(d.decode({ kind: 'kstack', limit: 8, mode: 'perf' }, bytes(3, 0))), '\n\tffffffff81002010 vfs_read+16\n');
    assert.equal(text(d.decode({ kind: 'ustack', limit: 8, mode: 'perf' }, bytes(4, 77))), '\n\t1000 0x1000 ([unknown])\n');
    assert.equal(text(d.decode({ kind: 'ustack', limit: 8, mode: 'bpftrace' }, bytes(4, 77))), '\n        0x1000\n');
  });

  it('shows a stack that could not be captured (negative id) as no frames', () => {
    const value = decoder().decode({ kind: 'kstack', limit: 8, mode: 'bpftrace' }, bytes(-14n, 1));
    assert.deepEqual(value, { kind: 'stack', mode: 'bpftrace', frames: [] });
  });

  it('names uids from the passwd file, and prints unnamed ones as numbers', () => {
    assert.deepEqual(decoder().decode({ kind: 'username' }, bytes(1000)), { kind: 'string', value: 'alice' });
    assert.deepEqual(decoder().decode({ kind: 'username' }, bytes(4242)), { kind: 'string', value: '4242' });
  });

  it('dates strftime() values from a kernel timestamp by the monotonic-to-epoch offset', () => {
    const d = new ValueDecoder({
      kernelSymbols: KernelSymbols.fromText(''),
      userSymbols: new UserSymbolizer({ readMaps: () => [] }),
      usernames: new Usernames(() => ''),
      stacks: { addresses: () => undefined },
      monotonicToEpoch: 1_000_000_000_000n,
    });
    const value = d.decode({ kind: 'timestamp', format: '%H:%M:%S' }, bytes(5_000_000_000n));
    assert.deepEqual(value, { kind: 'timestamp', format: '%H:%M:%S', epochNanos: 1_005_000_000_000n });
  });

  it('turns ntop() records into address text', () => {
    const raw = new Uint8Array(20);
    new DataView(raw.buffer).setUint32(0, 2, true);
    raw.set([127, 0, 0, 1], 4);
    assert.deepEqual(decoder().decode({ kind: 'inet' }, raw), { kind: 'inet', text: '127.0.0.1' });
  });

  it('reads struct members and array elements at their C offsets', () => {
    const pair: Type = { kind: 'record', name: 'struct pair', size: 4, align: 2, fields: [
      { name: 'x', offset: 0, type: { kind: 'int', bits: 16, signed: true } },
      { name: 'tag', offset: 2, type: stringType(2) },
    ] };
    const raw = Uint8Array.from([0xfe, 0xff, 0x61, 0x62, 7, 0, 9, 0]);
    assert.equal(text(decoder().decode(pair, raw)), '{ .x = -2, .tag = ab }');
    assert.equal(text(decoder().decode({ kind: 'array', element: u16, length: 2 }, raw, 4)), '[7,9]');
  });

  it('prints macaddr() bytes as upper-case hex pairs, and only its six bytes', () => {
    const raw = Uint8Array.from([0xff, 0x0a, 0x00, 0x1b, 0xc2, 0x7d, 0x99]);
    assert.deepEqual(decoder().decode({ kind: 'macaddr' }, raw), { kind: 'string', value: 'FF:0A:00:1B:C2:7D' });
  });
});

describe('formatInet', () => {
  const v6 = (...groups: number[]): Uint8Array => {
    const out = new Uint8Array(16);
    groups.forEach((group, i) => new DataView(out.buffer).setUint16(i * 2, group));
    return out;
  };

  it('writes IPv6 as inet_ntop does: the first longest zero run becomes ::', () => {
    assert.equal(formatInet(10, v6(0, 0, 0, 0, 0, 0, 0, 1)), '::1');
    assert.equal(formatInet(10, v6()), '::');
    assert.equal(formatInet(10, v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)), '2001:db8::1:0:0:1');
    assert.equal(formatInet(10, v6(0xfe80, 0, 0, 0, 0x1234, 0, 0, 0)), 'fe80::1234:0:0:0');
    assert.equal(formatInet(10, v6(1, 0, 2, 3, 4, 5, 6, 7)), '1:0:2:3:4:5:6:7');
  });

  it('writes IPv4-mapped and IPv4-compatible addresses with a dotted quad', () => {
    assert.equal(formatInet(10, v6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001)), '::ffff:10.0.0.1');
    assert.equal(formatInet(10, v6(0, 0, 0, 0, 0, 0, 0x0a00, 0x0001)), '::10.0.0.1');
  });

  it('says which family it could not format', () => {
    assert.equal(formatInet(1, new Uint8Array(16)), '<address family 1>');
  });
});

describe('Usernames', () => {
  it('prints every uid as a number when the passwd file cannot be read', () => {
    const names = new Usernames(() => {
      throw new Error('EACCES');
    });
    assert.equal(names.nameOf(0), '0');
  });

  it('keeps the first entry of a uid listed twice', () => {
    const names = new Usernames(() => 'root:x:0:0:::\ntoor:x:0:0:::\n');
    assert.equal(names.nameOf(0n), 'root');
  });
});
