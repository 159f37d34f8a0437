// BPF programs: `ProgramSpec` is the blueprint (encoded instructions and how the kernel should treat
// them), `Program` one the verifier accepted, reached through its fd.
//
// Loading is tried without a verifier log first: producing the log slows verification and most
// programs pass. Only a failed load is repeated with a log, in a buffer that grows while the kernel
// answers ENOSPC (since 6.4 it keeps the log's tail and reports ENOSPC when it had to drop the head).
import type { FunctionInfo } from '../btf/index.js';
import {
  AttachType, FUNC_INFO_RECORD_SIZE, ProgramType, SyscallError, linuxSys, nameOf, objGetInfo, progLoad, readCString,
  readU32, type ProgLoadAttr, type Sys,
} from '../sys/index.js';
import { VerifierError } from './verifier-error.js';

export interface ProgramSpec {
  /** Shown by bpftool, in kernel stacks and in our inventory; the kernel keeps the first 15 bytes. */
  name: string;
  type: ProgramType;
  /** Encoded instructions, 8 bytes each (16 for 64-bit immediate loads). */
  instructions: Uint8Array;
  license: string;
  expectedAttachType?: AttachType;
  /** TRACING programs: the BTF id of the function or `btf_trace_<name>` type they attach to. */
  attachBtfId?: number;
  /**
   * Programs made of several BPF functions (callbacks): the fd of a loaded BTF (LoadedBtf) and one
   * record per function, in instruction order, the first at offset 0. Without them the verifier
   * refuses to take a callback's address ("missing btf func_info").
   */
  functions?: ProgramFunctions;
}

export interface ProgramFunctions {
  readonly btfFd: number;
  readonly records: readonly FunctionInfo[];
}

export interface ProgramLoadOptions {
  sys?: Sys;
  /** Load with a verifier log even when the program passes, and keep it as `Program.verifierLog`. */
  log?: boolean;
  /** 1: states at branch points (default); 2: every instruction's state, for `-d verifier`. */
  logLevel?: 1 | 2;
}

export interface ProgramInfo {
  id: number;
  type: number;
  /** The kernel's hash of the translated instructions, as 16 hex digits (what bpftool shows). */
  tag: string;
  name: string;
  xlatedLength: number;
  jitedLength: number;
  /** Instructions the verifier walked (5.16); 0 on older kernels. */
  verifiedInstructions: number;
}

const INITIAL_LOG_SIZE = 64 * 1024;
/**
 * The verifier gives up with EAGAIN when a signal arrives while it works (a profiler's SIGPROF, the -c
 * command's SIGCHLD, a terminal resize); the same load then simply runs again, as libbpf does.
 */
const INTERRUPTED_LOAD_ATTEMPTS = 5;
const MAX_LOG_SIZE = 16 * 1024 * 1024;
const LOG_GROWTH = 4;
/** struct bpf_prog_info up to attach_btf_id and its padding; older kernels fill a prefix. */
const PROG_INFO_SIZE = 232;

export class Program {
  private closed = false;

  private constructor(
    readonly fd: number,
    readonly spec: ProgramSpec,
    private readonly sys: Sys,
    /** The verifier's log, when loaded with `{ log: true }`. */
    readonly verifierLog: string | undefined,
  ) {}

  /**
   * Throws VerifierError when the verifier rejects the program, SyscallError (with a hint naming the
   * program type) when the kernel refuses it for another reason.
   */
  static load(spec: ProgramSpec, options: ProgramLoadOptions = {}): Program {
    const sys = options.sys ?? linuxSys();
    const count = spec.instructions.byteLength;
    if (count === 0 || count % 8 !== 0) {
      throw new RangeError(`program ${spec.name}: ${count} bytes of instructions is not a whole number of instructions`);
    }
    if (!options.log) {
      try {
        return new Program(loadRetryingInterrupted(sys, loadAttr(spec)), spec, sys, undefined);
      } catch (error) {
        if (!(error instanceof SyscallError)) throw error;
      }
    }
    const { fd, log } = loadWithLog(sys, spec, options.logLevel ?? 1);
    return new Program(fd, spec, sys, options.log ? log : undefined);
  }

  info(): ProgramInfo {
    return programInfo(this.sys, this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sys.close(this.fd);
  }
}

function loadRetryingInterrupted(sys: Sys, attr: ProgLoadAttr): number {
  for (let attempt = 1; ; attempt++) {
    try {
      return progLoad(sys, attr);
    } catch (error) {
      if (!(error instanceof SyscallError && error.code === 'EAGAIN') || attempt === INTERRUPTED_LOAD_ATTEMPTS) throw error;
    }
  }
}

function loadWithLog(sys: Sys, spec: ProgramSpec, logLevel: number): { fd: number; log: string } {
  for (let size = INITIAL_LOG_SIZE; ; size *= LOG_GROWTH) {
    const logBuffer = new Uint8Array(size);
    try {
      const fd = loadRetryingInterrupted(sys, { ...loadAttr(spec), logLevel, logBuffer });
      return { fd, log: readCString(logBuffer) };
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      const full = error.code === 'ENOSPC';
      if (full && size < MAX_LOG_SIZE) continue;
      throw loadError(spec, error, readCString(logBuffer), full);
    }
  }
}

function loadAttr(spec: ProgramSpec): ProgLoadAttr {
  const { functions, ...attr } = spec;
  if (functions === undefined) return attr;
  const records = new Uint8Array(functions.records.length * FUNC_INFO_RECORD_SIZE);
  const view = new DataView(records.buffer);
  functions.records.forEach((record, i) => {
    view.setUint32(i * FUNC_INFO_RECORD_SIZE, record.insnOffset, true);
    view.setUint32(i * FUNC_INFO_RECORD_SIZE + 4, record.typeId, true);
  });
  return { ...attr, functions: { btfFd: functions.btfFd, records } };
}

/** A verifier verdict when the kernel explained itself in the log, else the errno with a precise hint. */
function loadError(spec: ProgramSpec, error: SyscallError, log: string, truncated: boolean): Error {
  const explained = log.trim() !== '';
  if (explained && (error.code === 'EACCES' || error.code === 'EINVAL' || truncated)) {
    return new VerifierError(spec.name, error, log, truncated);
  }
  const hint = loadHint(spec, error.code, explained);
  return hint ? error.withHint(hint) : error;
}

function loadHint(spec: ProgramSpec, code: string, explained: boolean): string | undefined {
  const type = nameOf(ProgramType, spec.type);
  const attach = spec.expectedAttachType;
  if (code === 'EPERM' && spec.type === ProgramType.TRACING) {
    if (attach === AttachType.TRACE_FENTRY || attach === AttachType.TRACE_FEXIT) {
      return 'fentry/fexit programs are refused on this kernel (lockdown or LSM policy)';
    }
    return `TRACING programs (attach type ${nameOf(AttachType, attach ?? 0)}) are refused on this kernel (lockdown or LSM policy)`;
  }
  // The kernel checks the program type before running the verifier, so an unknown type leaves no log.
  if ((code === 'EINVAL' && !explained) || code === 'ENOTSUPP' || code === 'EOPNOTSUPP') {
    const withAttach = attach === undefined ? '' : ` with attach type ${nameOf(AttachType, attach)}`;
    return `program type ${type}${withAttach} is not supported by this kernel`;
  }
  return undefined;
}

/** BPF_OBJ_GET_INFO_BY_FD on a program fd; also used by the inventory for programs others loaded. */
export function programInfo(sys: Sys, fd: number): ProgramInfo {
  const info = objGetInfo(sys, fd, PROG_INFO_SIZE);
  return {
    type: readU32(info, 0),
    id: readU32(info, 4),
    tag: Buffer.from(info.subarray(8, 16)).toString('hex'),
    jitedLength: readU32(info, 16),
    xlatedLength: readU32(info, 20),
    name: readCString(info, 64, 16),
    verifiedInstructions: readU32(info, 216),
  };
}
