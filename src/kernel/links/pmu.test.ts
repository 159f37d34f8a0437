import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCpuPmu, parseFormatBit, sysfsPmu } from './pmu.js';

function withDevices(devices: Record<string, Record<string, string>>, run: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'bpfscope-pmu-'));
  try {
    for (const [device, files] of Object.entries(devices)) {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(join(root, device, file, '..'), { recursive: true });
        writeFileSync(join(root, device, file), text);
      }
    }
    run(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('reads a PMU type and its retprobe bit from sysfs', () => {
  withDevices({ uprobe: { type: '9\n', 'format/retprobe': 'config:0\n' } }, (root) => {
    assert.deepEqual(sysfsPmu('uprobe', root), { name: 'uprobe', type: 9, retprobeBit: 0 });
    assert.equal(sysfsPmu('kprobe', root), undefined);
  });
});

test('a PMU without a retprobe format is an error, not a silent entry probe', () => {
  withDevices({ kprobe: { type: '8\n' } }, (root) => {
    assert.throws(() => sysfsPmu('kprobe', root), /no format\/retprobe/);
  });
});

test('parses single-bit format fields only', () => {
  assert.equal(parseFormatBit('config:0\n'), 0);
  assert.equal(parseFormatBit('config:63'), 63);
  assert.throws(() => parseFormatBit('config:32-63'), /expected config:<bit>/);
});

test('recognises CPU PMUs by name', () => {
  withDevices({ software: { type: '1' }, uprobe: { type: '9' } }, (root) => assert.equal(hasCpuPmu(root), false));
  withDevices({ software: { type: '1' }, cpu: { type: '4' } }, (root) => assert.equal(hasCpuPmu(root), true));
  withDevices({ cpu_core: { type: '4' } }, (root) => assert.equal(hasCpuPmu(root), true));
  withDevices({ armv8_pmuv3_0: { type: '10' } }, (root) => assert.equal(hasCpuPmu(root), true));
});
