// Program types bpfscope loads, each probed by loading `r0 = 0; exit` as that type. TRACING programs
// also name their attach point when loaded, so their probes look it up in the kernel's BTF.
import { AttachType, ProgramType } from '../sys/index.js';
import { hostEnvironment, type ProbeEnvironment } from './environment.js';
import { available, type Feature, guarded, memoized, unavailable, withFds } from './feature.js';
import { type ProbeProgram, RETURN_ZERO, refusalReason, tryLoad } from './program-load.js';
import { haveKernelBtf } from './system.js';

export type ProgramTypeName = 'kprobe' | 'tracepoint' | 'perf_event' | 'raw_tracepoint' | 'tp_btf' | 'fentry' | 'fexit';

/** Attach points for the TRACING probes: present in every kernel with BTF. */
export const PROBE_TRACEPOINT = 'sched_switch';
export const PROBE_FUNCTION = 'vfs_read';

interface ProgramTypeSpec {
  readonly minKernel: string;
  readonly needsBtf: boolean;
  readonly program: (env: ProbeEnvironment) => ProbeProgram;
}

function plain(label: keyof typeof ProgramType, minKernel: string): ProgramTypeSpec {
  return { minKernel, needsBtf: false, program: () => ({ label, type: ProgramType[label], instructions: RETURN_ZERO }) };
}

function tracing(attach: 'TRACE_RAW_TP' | 'TRACE_FENTRY' | 'TRACE_FEXIT', btfTarget: (env: ProbeEnvironment) => number): ProgramTypeSpec {
  return {
    minKernel: '5.5',
    needsBtf: true,
    program: (env) => ({
      label: `TRACING/${attach === 'TRACE_RAW_TP' ? 'RAW_TP' : attach.slice('TRACE_'.length)}`,
      type: ProgramType.TRACING,
      instructions: RETURN_ZERO,
      expectedAttachType: AttachType[attach],
      attachBtfId: btfTarget(env),
    }),
  };
}

// A tp_btf program names its tracepoint by the `btf_trace_<name>` typedef the kernel declares for it.
const tracepointTypedef = (env: ProbeEnvironment) => env.kernelBtfId(`btf_trace_${PROBE_TRACEPOINT}`, 'typedef');
const functionId = (env: ProbeEnvironment) => env.kernelBtfId(PROBE_FUNCTION, 'func');

const PROGRAM_TYPES: Record<ProgramTypeName, ProgramTypeSpec> = {
  kprobe: plain('KPROBE', '4.1'),
  tracepoint: plain('TRACEPOINT', '4.7'),
  perf_event: plain('PERF_EVENT', '4.9'),
  raw_tracepoint: plain('RAW_TRACEPOINT', '4.17'),
  tp_btf: tracing('TRACE_RAW_TP', tracepointTypedef),
  fentry: tracing('TRACE_FENTRY', functionId),
  fexit: tracing('TRACE_FEXIT', functionId),
};

export const PROGRAM_TYPE_NAMES = Object.keys(PROGRAM_TYPES) as ProgramTypeName[];

export function programTypeMinKernel(name: ProgramTypeName): string {
  return PROGRAM_TYPES[name].minKernel;
}

/** The probe program of a type, for attach probes that go on to attach it. Throws when its BTF target is missing. */
export function probeProgram(env: ProbeEnvironment, name: ProgramTypeName): ProbeProgram {
  return PROGRAM_TYPES[name].program(env);
}

export function haveProgramType(name: ProgramTypeName, env: ProbeEnvironment = hostEnvironment()): Feature {
  const spec = PROGRAM_TYPES[name];
  return memoized(env, `program:${name}`, () => guarded(spec.minKernel, () => {
    if (spec.needsBtf) {
      const btf = haveKernelBtf(env);
      if (!btf.available) return unavailable(spec.minKernel, btf.reason ?? 'no kernel BTF');
    }
    const program = spec.program(env);
    return withFds(env.sys, (scope) => {
      const loaded = tryLoad(env, scope, program);
      if (loaded.ok) return available(spec.minKernel);
      return unavailable(spec.minKernel, refusalReason(env, program, loaded.error, loaded.log, spec.minKernel));
    });
  }));
}

export const haveKprobeProgram = (env?: ProbeEnvironment): Feature => haveProgramType('kprobe', env);
export const haveTracepointProgram = (env?: ProbeEnvironment): Feature => haveProgramType('tracepoint', env);
export const havePerfEventProgram = (env?: ProbeEnvironment): Feature => haveProgramType('perf_event', env);
export const haveRawTracepointProgram = (env?: ProbeEnvironment): Feature => haveProgramType('raw_tracepoint', env);
export const haveTpBtfProgram = (env?: ProbeEnvironment): Feature => haveProgramType('tp_btf', env);
export const haveFentryProgram = (env?: ProbeEnvironment): Feature => haveProgramType('fentry', env);
export const haveFexitProgram = (env?: ProbeEnvironment): Feature => haveProgramType('fexit', env);
