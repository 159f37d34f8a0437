import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedFeatureError } from '../kernel/errors.js';
import { KPROBES_MISSING } from '../kernel/links/kprobe-link.js';
import { hasProbeEventsFile } from '../kernel/links/probe-events.js';
import { sysfsPmu } from '../kernel/links/pmu.js';
import { findTracefs } from '../kernel/tracefs.js';
import { defaultProviders } from './registry.js';
import { attachPoint } from './testing/fixtures.js';
import { loadTrivialProgram } from './testing/programs.js';

const registry = defaultProviders();

/** Whether the kernel can place kprobes at all: the kprobe PMU, or kprobe_events in tracefs. */
function kernelHasKprobes(): boolean {
  const tracefs = findTracefs();
  return sysfsPmu('kprobe') !== undefined || (tracefs !== undefined && hasProbeEventsFile(tracefs, 'kprobe_events'));
}

test('kprobe:vfs_read and kretprobe:vfs_* expand from this kernel\'s kallsyms', () => {
  assert.deepEqual(registry.expand(attachPoint('kprobe:vfs_read'), {}).map((probe) => probe.name), ['kprobe:vfs_read']);
  const names = registry.expand(attachPoint('kretprobe:vfs_*'), {}).map((probe) => probe.name);
  assert.ok(names.includes('kretprobe:vfs_write'), names.join(', '));
});

test('attaching a kprobe works where the kernel has kprobes, and names the missing config where not', () => {
  for (const raw of ['kprobe:vfs_read', 'kretprobe:vfs_read']) {
    const [probe] = registry.expand(attachPoint(raw), {});
    const provider = registry.expect(probe.provider);
    const program = loadTrivialProgram('prov_kprobe', provider.programKind(probe));
    try {
      if (kernelHasKprobes()) {
        provider.attach(program.fd, probe, {}).detach();
      } else {
        assert.throws(() => provider.attach(program.fd, probe, {}), (error: unknown) =>
          error instanceof UnsupportedFeatureError && error.reason === KPROBES_MISSING && error.message.startsWith(`${probe.provider}s is not available`));
      }
    } finally {
      program.close();
    }
  }
});
