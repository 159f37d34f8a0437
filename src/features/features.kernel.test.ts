// The truth about the kernel these tests run on (see /work/shared/KERNEL-NOTES.md): what must be
// available, and what must be reported unavailable with its precise reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import {
  haveFentryAttach, haveFentryProgram, haveHelper, haveKprobeAttach, haveRawTracepointAttach, haveRingBuffer,
  haveTracepointAttach, haveUprobeAttach, probeFeatures,
} from './index.js';

/** BPF objects and perf events this process holds open. */
function kernelObjectFds(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return /^anon_inode:(bpf|\[perf_event\])/.test(target) ? [target] : [];
    } catch {
      return [];
    }
  });
}

test('tracepoints, raw tracepoints, uprobes and the ring buffer are available', () => {
  for (const [name, feature] of Object.entries({
    tracepoint: haveTracepointAttach(),
    rawTracepoint: haveRawTracepointAttach(),
    uprobe: haveUprobeAttach(),
    ringBuffer: haveRingBuffer(),
    ringbufReserve: haveHelper('ringbuf_reserve'),
  })) {
    assert.equal(feature.available, true, `${name}: ${feature.reason}`);
  }
});

test('kprobes are unavailable: the kernel is built without CONFIG_KPROBES', () => {
  assert.deepEqual(haveKprobeAttach(), {
    available: false,
    reason: 'this kernel is built without CONFIG_KPROBES: no kprobe PMU under /sys/bus/event_source/devices and no kprobe_events in tracefs',
    minKernel: '4.1',
  });
});

test('fentry is unavailable: loading is refused with EPERM by kernel policy', () => {
  const program = haveFentryProgram();
  assert.equal(program.available, false);
  assert.match(program.reason ?? '', /^BPF_PROG_LOAD of a TRACING\/FENTRY program .*refused with EPERM \(kernel policy\)/);
  assert.deepEqual(haveFentryAttach(), program);
});

test('the whole report probes every family and leaves no kernel object open', () => {
  const before = kernelObjectFds();
  const report = probeFeatures();
  assert.deepEqual(kernelObjectFds(), before);
  assert.equal(report.kernel.btf, true);
  assert.equal(report.programTypes.tracepoint.available, true);
  assert.equal(report.attachKinds.hardware_event.reason,
    'no cpu PMU (virtual machine?): perf_event_open of the hardware cpu-cycles event fails with ENOENT');
  assert.ok(Object.values(report.helpers).every((feature) => feature.available), 'every helper bpfscope uses');
});
