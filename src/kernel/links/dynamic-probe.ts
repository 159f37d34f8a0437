// The mechanics kprobes and uprobes share: a perf event on the dynamic PMU (Linux 4.17), or on older
// kernels a tracefs probe entry opened as a tracepoint. uprobe-link.ts and kprobe-link.ts only resolve
// their targets and word their errors.
import { cString, perfEventOpen, PerfType, type Sys } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { findTracefs } from '../tracefs.js';
import { attachToPerfEvent } from './perf-attach.js';
import { FdLink, closeQuietly, type Link, type LinkKind, type ProgramRef } from './link.js';
import { sysfsPmu, type DynamicPmuName, type PmuLookup } from './pmu.js';
import { addProbeEntry, hasProbeEventsFile, type ProbeEntry } from './probe-events.js';

/** Where to look for the two mechanisms; tests point these at fakes. */
export interface ProbeEnvironment {
  /** Default: the PMUs in /sys/bus/event_source/devices. */
  pmu?: PmuLookup;
  /** The tracefs for the fallback; default the mounted one; null: act as if there were none. */
  tracefsRoot?: string | null;
}

export interface DynamicProbeSpec {
  pmu: DynamicPmuName;
  kind: LinkKind;
  description: string;
  retprobe: boolean;
  /** config1: the binary's path (uprobe) or the function's name (kprobe). */
  target: string;
  /** config2: the file offset (uprobe) or the offset into the function (kprobe). */
  offset: bigint;
  /** The same place in tracefs syntax: "/bin/bash:0x4f0" or "vfs_read+0". */
  tracefsLocation: string;
  /** The tracefs probe type: "p", "r", or "r<maxactive>" for kretprobes. */
  tracefsType: string;
  /** A process to scope the probe to, or -1 for every process. */
  pid: number;
  /** The feature's name and why neither mechanism exists, for the UnsupportedFeatureError. */
  feature: string;
  missingReason: string;
}

export function attachDynamicProbe(sys: Sys, program: ProgramRef, spec: DynamicProbeSpec, env: ProbeEnvironment): Link {
  const pmu = (env.pmu ?? sysfsPmu)(spec.pmu);
  if (pmu !== undefined) {
    const config = spec.retprobe ? 1n << BigInt(pmu.retprobeBit) : 0n;
    const path = cString(spec.target);
    return attachPerfProbe(sys, program, spec, () =>
      perfEventOpen(sys, { type: pmu.type, config, config1: path, config2: spec.offset, disabled: true }, scope(spec.pid)),
    );
  }
  const file = spec.pmu === 'uprobe' ? 'uprobe_events' : 'kprobe_events';
  const root = env.tracefsRoot === undefined ? findTracefs() : env.tracefsRoot;
  if (root === undefined || root === null || !hasProbeEventsFile(root, file)) {
    throw new UnsupportedFeatureError(spec.feature, spec.missingReason);
  }
  const entry = addProbeEntry(root, file, spec.tracefsType, spec.tracefsLocation);
  try {
    return attachPerfProbe(
      sys, program, spec,
      () => perfEventOpen(sys, { type: PerfType.TRACEPOINT, config: entry.id, disabled: true }, scope(spec.pid)),
      entry,
    );
  } catch (error) {
    entry.remove();
    throw error;
  }
}

/**
 * One perf event covers every CPU: the kernel runs the program from the probe handler itself, on
 * whichever CPU hits it, so a system-wide probe needs any single CPU and a per-process probe none.
 */
function scope(pid: number): { pid: number; cpu: number } {
  return pid >= 0 ? { pid, cpu: -1 } : { pid: -1, cpu: 0 };
}

function attachPerfProbe(
  sys: Sys, program: ProgramRef, spec: DynamicProbeSpec, open: () => number, entry?: ProbeEntry,
): Link {
  const perfFd = open();
  try {
    const held = attachToPerfEvent(sys, perfFd, program.fd);
    return new FdLink(sys, spec.kind, spec.description, [...held, perfFd], entry ? [entry.remove] : [], held.length);
  } catch (error) {
    closeQuietly(sys, [perfFd]);
    throw error;
  }
}
