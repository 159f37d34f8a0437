// Ways bpfscope attaches programs, each probed by loading the program type involved and attaching it
// for real to a harmless target (sched_switch, vfs_read, libc's getpid, a cpu-clock event), then
// closing everything. Perf events are opened disabled, so no probe program ever runs.
import { mountTracefs } from '../kernel/tracefs-mount.js';
import {
  AttachType, cString, linkCreate, PerfHardwareEvent, PerfSoftwareEvent, PerfType, perfEventOpen, perfEventSetBpf,
  rawTracepointOpen, SyscallError, type Sys,
} from '../sys/index.js';
import { hostEnvironment, type ProbeEnvironment } from './environment.js';
import { available, type Feature, type FdScope, guarded, memoized, unavailable, withFds } from './feature.js';
import { refusalReason, tryLoad } from './program-load.js';
import { haveProgramType, PROBE_FUNCTION, PROBE_TRACEPOINT, type ProgramTypeName, probeProgram } from './program-types.js';

export type AttachKindName =
  | 'tracepoint' | 'raw_tracepoint' | 'tp_btf' | 'uprobe' | 'kprobe' | 'fentry' | 'fexit'
  | 'software_event' | 'hardware_event' | 'perf_event_link';

const PMU_DIR = '/sys/bus/event_source/devices';
/** Where the tracepoint probe finds its id: every kernel with tracepoints has the scheduler's. */
const TRACEPOINT_ID = `events/sched/${PROBE_TRACEPOINT}/id`;
/** One event per second of CPU time: a sampling event, as BPF on perf events requires. */
const CPU_CLOCK_PERIOD_NS = 1_000_000_000;
/** One sample per million cycles. */
const HARDWARE_PERIOD = 1_000_000;
/** How perf_event_open says no PMU counts hardware events. */
const NO_PMU_ERRORS = ['ENOENT', 'ENODEV', 'EOPNOTSUPP'];
const SYSTEM_WIDE_CPU0 = { pid: -1, cpu: 0 };

/** What a probe attaches to with the loaded program; throws (with a worded message) when it cannot. */
type Attach = (env: ProbeEnvironment, scope: FdScope, progFd: number) => void;

interface AttachSpec {
  readonly minKernel: string;
  readonly programType: ProgramTypeName;
  readonly attach: Attach;
}

/** The dynamic PMU type number the kernel assigned to a PMU, e.g. `uprobe`; undefined when it has none. */
function pmuType(env: ProbeEnvironment, pmu: string): number | undefined {
  const text = env.readText(`${PMU_DIR}/${pmu}/type`)?.trim();
  return text === undefined || !/^\d+$/.test(text) ? undefined : Number(text);
}

function attachPerfEvent(sys: Sys, scope: FdScope, progFd: number, perfFd: number): void {
  scope.track(perfFd);
  perfEventSetBpf(sys, perfFd, progFd);
}

function openCpuClock(sys: Sys, scope: FdScope): number {
  const attr = { type: PerfType.SOFTWARE, config: PerfSoftwareEvent.CPU_CLOCK, samplePeriod: CPU_CLOCK_PERIOD_NS, disabled: true };
  return scope.track(perfEventOpen(sys, attr, SYSTEM_WIDE_CPU0));
}

const attachTracing: Attach = (env, scope, progFd) => {
  scope.track(rawTracepointOpen(env.sys, null, progFd));
};

function attachUprobe(env: ProbeEnvironment, scope: FdScope, progFd: number): void {
  const type = pmuType(env, 'uprobe');
  if (type === undefined) throw new Error(`no uprobe PMU under ${PMU_DIR}: the kernel is built without CONFIG_UPROBE_EVENTS`);
  const target = env.uprobeTarget();
  const path = cString(target.path);
  const perfFd = perfEventOpen(env.sys, { type, config: 0, config1: path, config2: target.offset, disabled: true }, SYSTEM_WIDE_CPU0);
  attachPerfEvent(env.sys, scope, progFd, perfFd);
}

/** Hardware events go to the CPU's PMU, which virtual machines often do not expose. */
function attachHardwareEvent(env: ProbeEnvironment, scope: FdScope, progFd: number): void {
  const attr = { type: PerfType.HARDWARE, config: PerfHardwareEvent.CPU_CYCLES, samplePeriod: HARDWARE_PERIOD, disabled: true };
  let perfFd: number;
  try {
    perfFd = perfEventOpen(env.sys, attr, SYSTEM_WIDE_CPU0);
  } catch (error) {
    if (!(error instanceof SyscallError) || !NO_PMU_ERRORS.includes(error.code)) throw error;
    throw new Error(`no cpu PMU (virtual machine?): perf_event_open of the hardware cpu-cycles event fails with ${error.code}`, { cause: error });
  }
  attachPerfEvent(env.sys, scope, progFd, perfFd);
}

/** The environment's tracefs, mounted through its system calls if it is not yet. */
function tracefsOf(env: ProbeEnvironment): string {
  return mountTracefs((source, target, fstype) => env.sys.mount(source, target, fstype), env);
}

function attachKprobe(env: ProbeEnvironment, scope: FdScope, progFd: number): void {
  const type = pmuType(env, 'kprobe');
  if (type === undefined) {
    // Before Linux 4.17 kprobes are created through tracefs; the file's presence proves CONFIG_KPROBES.
    if (env.exists(`${tracefsOf(env)}/kprobe_events`)) return;
    throw new Error(`this kernel is built without CONFIG_KPROBES: no kprobe PMU under ${PMU_DIR} and no kprobe_events in tracefs`);
  }
  const symbol = cString(PROBE_FUNCTION);
  const perfFd = perfEventOpen(env.sys, { type, config: 0, config1: symbol, config2: 0, disabled: true }, SYSTEM_WIDE_CPU0);
  attachPerfEvent(env.sys, scope, progFd, perfFd);
}

const ATTACH_KINDS: Record<AttachKindName, AttachSpec> = {
  tracepoint: {
    minKernel: '4.7',
    programType: 'tracepoint',
    attach: (env, scope, progFd) => {
      const path = `${tracefsOf(env)}/${TRACEPOINT_ID}`;
      const id = env.readText(path)?.trim();
      if (id === undefined) throw new Error(`no tracepoint id at ${path}`);
      const perfFd = perfEventOpen(env.sys, { type: PerfType.TRACEPOINT, config: BigInt(id), samplePeriod: 1, disabled: true }, SYSTEM_WIDE_CPU0);
      attachPerfEvent(env.sys, scope, progFd, perfFd);
    },
  },
  raw_tracepoint: {
    minKernel: '4.17',
    programType: 'raw_tracepoint',
    attach: (env, scope, progFd) => {
      scope.track(rawTracepointOpen(env.sys, PROBE_TRACEPOINT, progFd));
    },
  },
  tp_btf: { minKernel: '5.5', programType: 'tp_btf', attach: attachTracing },
  uprobe: { minKernel: '4.17', programType: 'kprobe', attach: attachUprobe },
  kprobe: { minKernel: '4.1', programType: 'kprobe', attach: attachKprobe },
  fentry: { minKernel: '5.5', programType: 'fentry', attach: attachTracing },
  fexit: { minKernel: '5.5', programType: 'fexit', attach: attachTracing },
  software_event: {
    minKernel: '4.9',
    programType: 'perf_event',
    attach: (env, scope, progFd) => perfEventSetBpf(env.sys, openCpuClock(env.sys, scope), progFd),
  },
  hardware_event: { minKernel: '4.9', programType: 'perf_event', attach: attachHardwareEvent },
  perf_event_link: {
    minKernel: '5.15',
    programType: 'perf_event',
    attach: (env, scope, progFd) => {
      const perfFd = openCpuClock(env.sys, scope);
      scope.track(linkCreate(env.sys, { progFd, targetFd: perfFd, attachType: AttachType.PERF_EVENT }));
    },
  },
};

export const ATTACH_KIND_NAMES = Object.keys(ATTACH_KINDS) as AttachKindName[];

export function haveAttachKind(name: AttachKindName, env: ProbeEnvironment = hostEnvironment()): Feature {
  const spec = ATTACH_KINDS[name];
  return memoized(env, `attach:${name}`, () => guarded(spec.minKernel, () => {
    const program = haveProgramType(spec.programType, env);
    if (!program.available) return unavailable(spec.minKernel, program.reason ?? `${spec.programType} programs cannot be loaded`);
    return withFds(env.sys, (scope) => {
      const blueprint = probeProgram(env, spec.programType);
      const loaded = tryLoad(env, scope, blueprint);
      if (!loaded.ok) return unavailable(spec.minKernel, refusalReason(env, blueprint, loaded.error, loaded.log, spec.minKernel));
      spec.attach(env, scope, loaded.fd);
      return available(spec.minKernel);
    });
  }));
}

export const haveTracepointAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('tracepoint', env);
export const haveRawTracepointAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('raw_tracepoint', env);
export const haveTpBtfAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('tp_btf', env);
export const haveUprobeAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('uprobe', env);
export const haveKprobeAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('kprobe', env);
export const haveFentryAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('fentry', env);
export const haveFexitAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('fexit', env);
export const haveSoftwareEventAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('software_event', env);
export const haveHardwareEventAttach = (env?: ProbeEnvironment): Feature => haveAttachKind('hardware_event', env);
export const havePerfEventLink = (env?: ProbeEnvironment): Feature => haveAttachKind('perf_event_link', env);
