// Helper functions bpfscope's generated code calls, each probed by loading a KPROBE program (the type
// bpfscope uses for kprobes and uprobes, which may call the widest set of tracing helpers) that calls
// the helper with arguments the verifier accepts. The program is never attached, so never runs.
import { Assembler, encode, Helper, R0, R1, R2, R3, R4, R5, R6, R10 } from '../asm/index.js';
import { mapCreate, MapType, type MapCreateAttr, ProgramType } from '../sys/index.js';
import { hostEnvironment, type ProbeEnvironment } from './environment.js';
import { available, type Feature, guarded, memoized, unavailable, withFds } from './feature.js';
import { haveMapType, probeMapAttr } from './map-types.js';
import { type ProbeProgram, refusalReason, tryLoad } from './program-load.js';
import { haveProgramType } from './program-types.js';

export type HelperFeatureName =
  | 'map_lookup_elem' | 'map_update_elem' | 'map_delete_elem'
  | 'probe_read_kernel' | 'probe_read_user' | 'probe_read_kernel_str' | 'probe_read_user_str'
  | 'ktime_get_ns' | 'get_current_pid_tgid' | 'get_current_uid_gid' | 'get_current_comm'
  | 'get_current_task' | 'get_current_cgroup_id'
  | 'ringbuf_reserve' | 'ringbuf_submit' | 'ringbuf_discard' | 'ringbuf_output'
  | 'get_stackid' | 'get_smp_processor_id' | 'send_signal' | 'get_func_ip' | 'get_attach_cookie'
  | 'perf_event_output';

/** Maps a probe program refers to by name; each is created for the probe and closed after it. */
type ProbeMap = 'hash' | 'ringbuf' | 'stack_trace' | 'perf_event_array';

interface HelperSpec {
  readonly minKernel: string;
  readonly maps: readonly ProbeMap[];
  /** Sets up the arguments and calls the helper; R6 holds the context, the stack is free. */
  readonly call: (asm: Assembler) => void;
}

/** bpf_perf_event_output's flag for "this CPU's slot of the perf event array". */
const BPF_F_CURRENT_CPU = 0xffffffffn;

function noArguments(helper: number, minKernel: string): HelperSpec {
  return { minKernel, maps: [], call: (asm) => asm.call(helper) };
}

/** Helpers that take a map and a pointer to a key on the stack (plus a value for update). */
function keyedMapCall(helper: number, withValue: boolean): HelperSpec {
  return {
    minKernel: '3.19',
    maps: ['hash'],
    call: (asm) => {
      asm.st('dw', R10, -8, 0).ldMap(R1, 'hash').mov64(R2, R10).add64(R2, -8);
      if (withValue) asm.st('dw', R10, -16, 0).mov64(R3, R10).add64(R3, -16).mov64(R4, 0);
      asm.call(helper);
    },
  };
}

/** probe_read_* (dst on the stack, size, unsafe src); the source is a null pointer the helper would reject at run time. */
function probeRead(helper: number): HelperSpec {
  return { minKernel: '5.5', maps: [], call: (asm) => asm.mov64(R1, R10).add64(R1, -8).mov64(R2, 8).mov64(R3, 0).call(helper) };
}

/** The verifier insists a reserved record is submitted or discarded on every path. */
function ringbufRecord(release: number): HelperSpec {
  return {
    minKernel: '5.8',
    maps: ['ringbuf'],
    call: (asm) => asm
      .ldMap(R1, 'ringbuf').mov64(R2, 8).mov64(R3, 0).call(Helper.ringbuf_reserve)
      .jmp('eq', R0, 0, 'out')
      .mov64(R1, R0).mov64(R2, 0).call(release)
      .label('out'),
  };
}

function withContext(helper: number, minKernel: string): HelperSpec {
  return { minKernel, maps: [], call: (asm) => asm.mov64(R1, R6).call(helper) };
}

const HELPERS: Record<HelperFeatureName, HelperSpec> = {
  map_lookup_elem: keyedMapCall(Helper.map_lookup_elem, false),
  map_update_elem: keyedMapCall(Helper.map_update_elem, true),
  map_delete_elem: keyedMapCall(Helper.map_delete_elem, false),
  probe_read_kernel: probeRead(Helper.probe_read_kernel),
  probe_read_user: probeRead(Helper.probe_read_user),
  probe_read_kernel_str: probeRead(Helper.probe_read_kernel_str),
  probe_read_user_str: probeRead(Helper.probe_read_user_str),
  ktime_get_ns: noArguments(Helper.ktime_get_ns, '4.1'),
  get_current_pid_tgid: noArguments(Helper.get_current_pid_tgid, '4.2'),
  get_current_uid_gid: noArguments(Helper.get_current_uid_gid, '4.2'),
  get_current_comm: {
    minKernel: '4.2',
    maps: [],
    call: (asm) => asm.mov64(R1, R10).add64(R1, -16).mov64(R2, 16).call(Helper.get_current_comm),
  },
  get_current_task: noArguments(Helper.get_current_task, '4.8'),
  get_current_cgroup_id: noArguments(Helper.get_current_cgroup_id, '4.18'),
  // reserve alone cannot be called (its record must be released), so its probe discards the record.
  ringbuf_reserve: ringbufRecord(Helper.ringbuf_discard),
  ringbuf_submit: ringbufRecord(Helper.ringbuf_submit),
  ringbuf_discard: ringbufRecord(Helper.ringbuf_discard),
  ringbuf_output: {
    minKernel: '5.8',
    maps: ['ringbuf'],
    call: (asm) => asm
      .st('dw', R10, -8, 0).ldMap(R1, 'ringbuf').mov64(R2, R10).add64(R2, -8).mov64(R3, 8).mov64(R4, 0)
      .call(Helper.ringbuf_output),
  },
  get_stackid: {
    minKernel: '4.6',
    maps: ['stack_trace'],
    call: (asm) => asm.mov64(R1, R6).ldMap(R2, 'stack_trace').mov64(R3, 0).call(Helper.get_stackid),
  },
  get_smp_processor_id: noArguments(Helper.get_smp_processor_id, '4.1'),
  // Signal 0 is enough for the verifier; the program never runs.
  send_signal: { minKernel: '5.3', maps: [], call: (asm) => asm.mov64(R1, 0).call(Helper.send_signal) },
  get_func_ip: withContext(Helper.get_func_ip, '5.15'),
  get_attach_cookie: withContext(Helper.get_attach_cookie, '5.15'),
  perf_event_output: {
    minKernel: '4.4',
    maps: ['perf_event_array'],
    call: (asm) => asm
      .st('dw', R10, -8, 0).mov64(R1, R6).ldMap(R2, 'perf_event_array').ldImm64(R3, BPF_F_CURRENT_CPU)
      .mov64(R4, R10).add64(R4, -8).mov64(R5, 8)
      .call(Helper.perf_event_output),
  },
};

export const HELPER_NAMES = Object.keys(HELPERS) as HelperFeatureName[];

const PERF_EVENT_ARRAY: MapCreateAttr = { type: MapType.PERF_EVENT_ARRAY, keySize: 4, valueSize: 4, maxEntries: 1, name: 'bpfscope_perf' };

function mapAttr(map: ProbeMap): MapCreateAttr {
  return map === 'perf_event_array' ? PERF_EVENT_ARRAY : probeMapAttr(map);
}

function instructions(spec: HelperSpec, resolveMap: (name: string) => number): Uint8Array {
  const asm = new Assembler().mov64(R6, R1);
  spec.call(asm);
  asm.mov64(R0, 0).exit();
  return encode(asm.instructions(), resolveMap).bytes;
}

/** Why a map the probe needs cannot be created, or undefined when all can. */
function missingMap(env: ProbeEnvironment, maps: readonly ProbeMap[]): string | undefined {
  for (const map of maps) {
    // Perf event arrays (Linux 4.3) predate every helper that uses them, so they need no probe of their own.
    if (map === 'perf_event_array') continue;
    const feature = haveMapType(map, env);
    if (!feature.available) return `it needs a ${map} map: ${feature.reason}`;
  }
  return undefined;
}

/** Why the verifier refused a helper call, when its log says so. */
function helperComplaint(name: HelperFeatureName, minKernel: string, log: string): string | undefined {
  if (/invalid func unknown#\d+/.test(log)) return `this kernel has no helper bpf_${name} (added in Linux ${minKernel})`;
  if (/not supported for program type|cannot use helper|unknown func/.test(log)) {
    return `KPROBE programs cannot call bpf_${name} on this kernel (allowed since Linux ${minKernel})`;
  }
  return undefined;
}

export function haveHelper(name: HelperFeatureName, env: ProbeEnvironment = hostEnvironment()): Feature {
  const spec = HELPERS[name];
  return memoized(env, `helper:${name}`, () => guarded(spec.minKernel, () => {
    const host = haveProgramType('kprobe', env);
    if (!host.available) return unavailable(spec.minKernel, `KPROBE programs cannot be loaded to call it: ${host.reason}`);
    const missing = missingMap(env, spec.maps);
    if (missing !== undefined) return unavailable(spec.minKernel, missing);
    return withFds(env.sys, (scope) => {
      const fds = new Map(spec.maps.map((map) => [map, scope.track(mapCreate(env.sys, mapAttr(map)))]));
      const program: ProbeProgram = {
        label: 'KPROBE',
        type: ProgramType.KPROBE,
        instructions: instructions(spec, (map) => {
          const fd = fds.get(map as ProbeMap);
          if (fd === undefined) throw new Error(`the probe of bpf_${name} uses map ${map} without declaring it`);
          return fd;
        }),
      };
      const loaded = tryLoad(env, scope, program);
      if (loaded.ok) return available(spec.minKernel);
      const reason = helperComplaint(name, spec.minKernel, loaded.log)
        ?? refusalReason(env, program, loaded.error, loaded.log, spec.minKernel);
      return unavailable(spec.minKernel, reason);
    });
  }));
}
