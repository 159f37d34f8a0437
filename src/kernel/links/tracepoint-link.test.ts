import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachType, BpfCommand, FakeSys, PerfIoctl, PerfType, SyscallError, readU32, readU64 } from '../../sys/index.js';
import { attachTracepoint } from './tracepoint-link.js';

const program = { fd: 7 };
const eventId = (category: string, name: string): number => (category === 'syscalls' && name === 'sys_enter_read' ? 612 : -1);

test('opens one disabled tracepoint perf event on CPU 0, links the program and enables it', () => {
  const sys = new FakeSys();
  const link = attachTracepoint(sys, program, 'syscalls', 'sys_enter_read', { eventId });
  assert.deepEqual(sys.callNames(), ['perf_event_open', 'bpf(LINK_CREATE)', 'ioctl(PERF_EVENT_IOC_ENABLE)']);
  const [attr, pid, cpu] = sys.calls[0]?.args as [Uint8Array, number, number];
  assert.equal(readU32(attr, 0), PerfType.TRACEPOINT);
  assert.equal(readU64(attr, 8), 612n);
  assert.equal(readU64(attr, 40) & 1n, 1n, 'created disabled');
  assert.deepEqual([pid, cpu], [-1, 0]);
  const perfFd = 100;
  const linkAttr = sys.calls[1]?.args[1] as Uint8Array;
  assert.deepEqual([readU32(linkAttr, 0), readU32(linkAttr, 4), readU32(linkAttr, 8)], [7, perfFd, AttachType.PERF_EVENT]);
  assert.deepEqual(sys.calls[2]?.args, [perfFd, PerfIoctl.ENABLE, 0]);
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('falls back to PERF_EVENT_IOC_SET_BPF where BPF_LINK_CREATE does not know perf events', () => {
  const sys = new FakeSys();
  sys.onBpf = (cmd) => (cmd === BpfCommand.LINK_CREATE ? { errno: 'EINVAL' } : undefined);
  const link = attachTracepoint(sys, program, 'syscalls', 'sys_enter_read', { eventId });
  assert.deepEqual(sys.callNames(), ['perf_event_open', 'bpf(LINK_CREATE)', 'ioctl(PERF_EVENT_IOC_SET_BPF)', 'ioctl(PERF_EVENT_IOC_ENABLE)']);
  assert.deepEqual(sys.calls[2]?.args, [100, PerfIoctl.SET_BPF, 7]);
  link.detach();
  assert.equal(sys.openFds.size, 0);
});

test('a failed attach closes the perf event and explains EEXIST', () => {
  const sys = new FakeSys();
  sys.onBpf = () => ({ errno: 'EEXIST' });
  assert.throws(
    () => attachTracepoint(sys, program, 'syscalls', 'sys_enter_read', { eventId }),
    (error: unknown) => error instanceof SyscallError && /already attached to tracepoint:syscalls:sys_enter_read/.test(error.message),
  );
  assert.equal(sys.openFds.size, 0);
});
