import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSys, readCString, readU32, readU64 } from '../../sys/index.js';
import { attachRawTracepoint, attachTpBtf } from './raw-tracepoint-link.js';

test('a raw tracepoint is opened by name', () => {
  const sys = new FakeSys();
  const link = attachRawTracepoint(sys, { fd: 5 }, 'sched_switch');
  const attr = sys.calls[0]?.args[1] as Uint8Array;
  assert.equal(readCString(sys.deref(readU64(attr, 0))), 'sched_switch');
  assert.equal(readU32(attr, 8), 5);
  assert.equal(link.description, 'rawtracepoint:sched_switch');
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('a tp_btf program is opened without a name: the tracepoint is in the program', () => {
  const sys = new FakeSys();
  const link = attachTpBtf(sys, { fd: 6 }, 'sched_switch');
  const attr = sys.calls[0]?.args[1] as Uint8Array;
  assert.deepEqual([readU64(attr, 0), readU32(attr, 8)], [0n, 6]);
  assert.deepEqual([link.kind, link.description], ['tp_btf', 'tp_btf:sched_switch']);
  link.detach();
});
