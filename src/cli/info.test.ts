import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureReport } from '../features/index.js';
import { formatReport, formatReportJson } from './info.js';

const REPORT: FeatureReport = {
  kernel: {
    release: '6.1.0-test',
    version: '6.1.0',
    arch: 'x86_64',
    bootId: 'boot',
    btf: true,
    lockdown: null,
    capabilities: ['CAP_BPF', 'CAP_PERFMON'],
    tracefs: { mountPoint: null, mountable: true },
    jitEnabled: true,
    unprivilegedBpfDisabled: 2,
    kptrRestrict: null,
    perfEventParanoid: 2,
  },
  programTypes: {
    kprobe: { available: true, minKernel: '4.1' },
    tracepoint: { available: true, minKernel: '4.7' },
    perf_event: { available: true, minKernel: '4.9' },
    raw_tracepoint: { available: true, minKernel: '4.17' },
    tp_btf: { available: true, minKernel: '5.5' },
    fentry: { available: false, reason: 'refused by policy', minKernel: '5.5' },
    fexit: { available: false, minKernel: '5.5' },
  },
  mapTypes: {} as FeatureReport['mapTypes'],
  attachKinds: {} as FeatureReport['attachKinds'],
  helpers: {} as FeatureReport['helpers'],
};

test('each feature is a line `  name  yes` or `  name  no — reason`, aligned per section', () => {
  const text = formatReport(REPORT);
  assert.ok(text.includes('Program types\n  kprobe          yes\n  tracepoint      yes\n'));
  assert.ok(text.includes('  fentry          no — refused by policy\n'));
  assert.ok(text.includes('  fexit           no — needs Linux 5.5\n'));
});

test('the system section describes unknowns and what is missing', () => {
  const text = formatReport(REPORT);
  assert.ok(text.startsWith('System\n  kernel                     6.1.0-test (x86_64)\n'));
  assert.match(text, /^ {2}lockdown +unknown \(securityfs is not mounted at \/sys\/kernel\/security\)$/m);
  assert.match(text, /^ {2}capabilities +CAP_BPF CAP_PERFMON; missing CAP_SYS_ADMIN CAP_SYS_PTRACE \(2 effective\)$/m);
  assert.match(text, /^ {2}tracefs +not mounted \(bpfscope mounts it when needed\)$/m);
  assert.match(text, /^ {2}kptr_restrict +unknown$/m);
});

test('the JSON form is the report itself', () => {
  assert.deepEqual(JSON.parse(formatReportJson(REPORT)), JSON.parse(JSON.stringify(REPORT)));
});
