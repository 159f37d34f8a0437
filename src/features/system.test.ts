import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpfPrivilegeShortfall, decodeCapabilities, effectiveCapabilities } from './capabilities.js';
import { FakeEnvironment } from './fake-environment.js';
import { parseLockdown, readSystemInfo } from './system.js';

test('capability masks decode to names by bit position', () => {
  assert.deepEqual(decodeCapabilities(0n), []);
  assert.deepEqual(decodeCapabilities((1n << 21n) | (1n << 38n) | (1n << 39n)), ['CAP_SYS_ADMIN', 'CAP_PERFMON', 'CAP_BPF']);
  assert.deepEqual(decodeCapabilities(1n << 45n), ['capability 45']);
  assert.equal(effectiveCapabilities('Name:\tx\nCapEff:\t000001fffeffffff\n')?.length, 40);
  assert.equal(effectiveCapabilities('Name:\tx\n'), undefined);
});

test('CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON, is enough to load tracing programs', () => {
  assert.equal(bpfPrivilegeShortfall('CapEff:\t0000000000200000\n'), undefined);
  assert.equal(bpfPrivilegeShortfall('CapEff:\t000000c000000000\n'), undefined);
  assert.equal(bpfPrivilegeShortfall('CapEff:\t0000008000000000\n'), 'this process lacks CAP_PERFMON (run as root)');
});

test('the lockdown mode is the bracketed word', () => {
  assert.equal(parseLockdown('none [integrity] confidentiality\n'), 'integrity');
  assert.equal(parseLockdown('[none] integrity confidentiality\n'), 'none');
  assert.equal(parseLockdown(''), null);
});

test('system facts come from /proc and /sys', () => {
  const env = new FakeEnvironment({
    files: {
      '/sys/kernel/security/lockdown': 'none [integrity] confidentiality\n',
      '/proc/sys/net/core/bpf_jit_enable': '1\n',
      '/proc/sys/kernel/unprivileged_bpf_disabled': '2\n',
      '/proc/sys/kernel/kptr_restrict': '0\n',
      '/proc/sys/kernel/perf_event_paranoid': '-1\n',
    },
  });
  const info = readSystemInfo(env);
  assert.equal(info.release, '6.1.0-test');
  assert.equal(info.version, '6.1.0');
  assert.equal(info.bootId, '00000000-0000-0000-0000-000000000001');
  assert.equal(info.btf, true);
  assert.equal(info.lockdown, 'integrity');
  assert.equal(info.capabilities?.length, 41);
  assert.deepEqual(info.tracefs, { mountPoint: '/sys/kernel/tracing', mountable: true });
  assert.equal(info.jitEnabled, true);
  assert.equal(info.unprivilegedBpfDisabled, 2);
  assert.equal(info.kptrRestrict, 0);
  assert.equal(info.perfEventParanoid, -1);
});

test('lockdown is unknown without securityfs, and none when securityfs has no lockdown file', () => {
  assert.equal(readSystemInfo(new FakeEnvironment()).lockdown, null);
  const securityfs = new FakeEnvironment({ files: {
    '/proc/mounts': 'securityfs /sys/kernel/security securityfs rw 0 0\n',
    '/sys/kernel/tracing/events/sched/sched_switch/id': undefined,
  } });
  const info = readSystemInfo(securityfs);
  assert.equal(info.lockdown, 'none');
  assert.deepEqual(info.tracefs, { mountPoint: null, mountable: true });
  assert.equal(info.jitEnabled, null);
});
