// fentry and fexit: TRACING programs loaded against a kernel function's BTF id (expected attach type
// BPF_TRACE_FENTRY/FEXIT, attach BTF id from `fentryAttachBtfId`) and attached through a trampoline.
import { BtfNotFoundError, type Btf } from '../../btf/index.js';
import { AttachType, isErrno, linkCreate, rawTracepointOpen, type Sys } from '../../sys/index.js';
import { UnsupportedFeatureError } from '../errors.js';
import { FdLink, type Link, type ProgramRef } from './link.js';

export type FentryKind = 'fentry' | 'fexit';

export const FENTRY_REFUSED =
  'fentry/fexit programs are refused by this kernel (BPF_PROG_LOAD returned EPERM after verification; ' +
  'lockdown/LSM policy); use tracepoints or rawtracepoint instead';

/** The expected attach type to load the program with. */
export function fentryAttachType(kind: FentryKind): AttachType {
  return kind === 'fentry' ? AttachType.TRACE_FENTRY : AttachType.TRACE_FEXIT;
}

/** The BTF id of the kernel function, which the program is loaded against. */
export function fentryAttachBtfId(btf: Btf, functionName: string): number {
  const func = btf.findFunction(functionName);
  if (func === undefined) {
    throw new BtfNotFoundError(`function ${functionName}`, 'fentry/fexit need a kernel function that has BTF');
  }
  return func.id;
}

/**
 * Words a failed load of an fentry/fexit program. Root getting EPERM from a load that passed the
 * verifier means policy (lockdown, a BPF LSM) forbids trampolines; any other failure is returned as is.
 */
export function explainFentryLoadError(kind: FentryKind, functionName: string, error: unknown): unknown {
  if (!hasCode(error, 'EPERM') || process.geteuid?.() !== 0) return error;
  return new UnsupportedFeatureError(`${kind}:${functionName}`, FENTRY_REFUSED, undefined, { cause: error });
}

/**
 * Attaches with BPF_LINK_CREATE (tracing programs, Linux 5.10), or on older kernels, which answer
 * EINVAL, with BPF_RAW_TRACEPOINT_OPEN and no name (Linux 5.5): the function is in the program.
 */
export function attachFentry(sys: Sys, program: ProgramRef, kind: FentryKind, functionName: string): Link {
  const description = `${kind}:${functionName}`;
  let fd: number;
  try {
    fd = linkCreate(sys, { progFd: program.fd, targetFd: 0, attachType: fentryAttachType(kind) });
  } catch (error) {
    if (!isErrno(error, 'EINVAL')) throw error;
    fd = rawTracepointOpen(sys, null, program.fd);
  }
  return new FdLink(sys, kind, description, [fd]);
}

/** Whether the error or one of its causes carries this errno name (SyscallError, VerifierError). */
function hasCode(error: unknown, code: string): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === code) return true;
  }
  return false;
}
