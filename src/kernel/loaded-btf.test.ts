import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpfCommand, FakeSys, SyscallError, readU32, readU64 } from '../sys/index.js';
import { LoadedBtf } from './loaded-btf.js';

const BLOB = new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0]);

function recordingSys(answer: (attempt: number, log: Uint8Array | undefined) => { errno: string } | undefined): { sys: FakeSys; attrs: Uint8Array[] } {
  const sys = new FakeSys();
  const attrs: Uint8Array[] = [];
  sys.onBpf = (cmd, attr) => {
    assert.equal(cmd, BpfCommand.BTF_LOAD);
    attrs.push(attr.slice());
    const logSize = readU32(attr, 20);
    return answer(attrs.length, logSize > 0 ? sys.deref(readU64(attr, 8)) : undefined);
  };
  return { sys, attrs };
}

test('BPF_BTF_LOAD gets the blob and its size, without a log on the first try; close is idempotent', () => {
  const { sys, attrs } = recordingSys(() => undefined);
  const btf = LoadedBtf.load(BLOB, sys);
  assert.equal(attrs.length, 1);
  const [attr] = attrs;
  assert.deepEqual(sys.deref(readU64(attr, 0)).subarray(0, BLOB.length), BLOB);
  assert.deepEqual([16, 20, 24].map((o) => readU32(attr, o)), [BLOB.length, 0, 0]);
  assert.ok(sys.openFds.has(btf.fd));
  btf.close();
  btf.close();
  assert.ok(!sys.openFds.has(btf.fd));
});

test('a refused blob is loaded again with a log, whose last line becomes the hint', () => {
  const { sys, attrs } = recordingSys((_attempt, log) => {
    if (log !== undefined) log.set(new TextEncoder().encode('magic: 0xeb9f\nInvalid name\n'));
    return { errno: 'EINVAL' };
  });
  assert.throws(() => LoadedBtf.load(BLOB, sys), (error: unknown) =>
    error instanceof SyscallError && error.code === 'EINVAL' && /program BTF: Invalid name\)/.test(error.message));
  assert.equal(attrs.length, 2);
  assert.equal(readU32(attrs[1], 24), 1, 'log level');
});

test('without a log line the errno keeps its own hint', () => {
  const { sys } = recordingSys(() => ({ errno: 'EPERM' }));
  assert.throws(() => LoadedBtf.load(BLOB, sys), (error: unknown) => error instanceof SyscallError && error.code === 'EPERM');
});
