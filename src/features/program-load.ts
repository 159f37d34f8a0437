// Loading the tiny programs probes are made of, and turning a refusal into a precise reason. The
// verifier log is always requested: whether it is empty tells a refusal before verification (unknown
// program type, privilege, policy) from a rejection by the verifier (unknown helper, bad argument).
import { progLoad, readCString, SyscallError } from '../sys/index.js';
import { bpfPrivilegeShortfall } from './capabilities.js';
import type { ProbeEnvironment } from './environment.js';
import type { FdScope } from './feature.js';

/** `r0 = 0; exit`: the smallest program every program type accepts. */
export const RETURN_ZERO = Uint8Array.of(0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0);

/** Ample for the verifier's trace of a probe's handful of instructions. */
const LOG_SIZE = 64 * 1024;

export interface ProbeProgram {
  /** How reasons name it: the program type, and the attach type where one is needed ("TRACING/FENTRY"). */
  readonly label: string;
  readonly type: number;
  readonly instructions: Uint8Array;
  readonly expectedAttachType?: number;
  readonly attachBtfId?: number;
}

export type LoadResult =
  | { readonly ok: true; readonly fd: number }
  | { readonly ok: false; readonly error: SyscallError; readonly log: string };

/** Loads a probe program, its fd tracked by `scope`; a kernel refusal comes back with the verifier log. */
export function tryLoad(env: ProbeEnvironment, scope: FdScope, program: ProbeProgram): LoadResult {
  const logBuffer = new Uint8Array(LOG_SIZE);
  try {
    const fd = progLoad(env.sys, {
      type: program.type,
      instructions: program.instructions,
      license: 'GPL',
      name: 'bpfscope_probe',
      expectedAttachType: program.expectedAttachType,
      attachBtfId: program.attachBtfId,
      logLevel: 1,
      logBuffer,
    });
    return { ok: true, fd: scope.track(fd) };
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    return { ok: false, error, log: readCString(logBuffer) };
  }
}

/** The verifier's own complaint: the last log line that is not its closing statistics. */
export function verifierComplaint(log: string): string | undefined {
  const lines = log.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.filter((line) => !line.startsWith('processed ') && !line.startsWith('verification time')).at(-1);
}

/** Whether verification ran to its end; the kernel closes every verifier log with this statistic. */
function verifierFinished(log: string): boolean {
  return /^processed \d+ insns/m.test(log);
}

/** Why the kernel refused to load a probe program, worded for a person deciding what to do about it. */
export function refusalReason(env: ProbeEnvironment, program: ProbeProgram, error: SyscallError, log: string, minKernel: string): string {
  const what = `BPF_PROG_LOAD of a ${program.label} program`;
  if (error.code === 'EPERM' || error.code === 'EACCES') {
    const shortfall = bpfPrivilegeShortfall(env.readText('/proc/self/status'));
    if (shortfall !== undefined) return `${what} is refused with ${error.code}: ${shortfall}`;
    if (error.code === 'EPERM' && verifierFinished(log)) {
      return `${what} passes the verifier but is refused with EPERM (kernel policy)`;
    }
    if (error.code === 'EPERM') {
      return `${what} is refused with EPERM (kernel policy): this process has the capabilities, and the refusal comes before the verifier runs`;
    }
  }
  if (log === '' && error.code === 'EINVAL') {
    return `${what} is refused with EINVAL before verification: this kernel does not know the program or attach type (added in Linux ${minKernel})`;
  }
  const complaint = verifierComplaint(log);
  if (complaint !== undefined) return `${what} is rejected by the verifier with ${error.code}: ${complaint}`;
  return `${what} is refused with ${error.code}${error.hint === undefined ? '' : ` (${error.hint})`}`;
}
