// kprobe and kretprobe: a KPROBE-type program run on entry to (or return from) a kernel function.
import { isErrno, type Sys } from '../../sys/index.js';
import { attachDynamicProbe, type ProbeEnvironment } from './dynamic-probe.js';
import type { Link, ProgramRef } from './link.js';

export interface KprobeTarget {
  function: string;
  /** Bytes into the function (`kprobe:vfs_read+16`); entry probes only. */
  offset?: bigint;
}

export interface KprobeOptions extends ProbeEnvironment {
  retprobe?: boolean;
  /**
   * kretprobes: how many calls may be in flight at once (tracefs `r<N>:`); the PMU has no such knob
   * and the kernel picks its default.
   */
  maxActive?: number;
}

export const KPROBES_MISSING =
  'this kernel is built without CONFIG_KPROBES: no kprobe PMU in /sys/bus/event_source/devices and no ' +
  'kprobe_events in tracefs';

export function attachKprobe(sys: Sys, program: ProgramRef, target: KprobeTarget, options: KprobeOptions = {}): Link {
  const retprobe = options.retprobe === true;
  const kind = retprobe ? 'kretprobe' : 'kprobe';
  const offset = target.offset ?? 0n;
  if (retprobe && offset !== 0n) throw new Error(`a kretprobe cannot take an offset (${target.function}+${offset})`);
  const place = offset ? `${target.function}+${offset}` : target.function;
  try {
    return attachDynamicProbe(sys, program, {
      pmu: 'kprobe',
      kind,
      description: `${kind}:${place}`,
      retprobe,
      target: target.function,
      offset,
      tracefsLocation: `${target.function}+${offset}`,
      tracefsType: retprobe ? `r${options.maxActive ?? ''}` : 'p',
      pid: -1,
      feature: `${kind}s`,
      missingReason: KPROBES_MISSING,
    }, options);
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'EINVAL')) {
      throw error.withHint(
        `the kernel cannot probe ${place}: no such function, or it is inlined, notrace or on the kprobe blocklist`,
      );
    }
    throw error;
  }
}
