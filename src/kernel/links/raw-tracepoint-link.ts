// rawtracepoint and tp_btf: programs called straight from a tracepoint with its raw arguments,
// without the perf event a tracepoint link needs.
import { BtfNotFoundError, type Btf } from '../../btf/index.js';
import { isErrno, rawTracepointOpen, type Sys } from '../../sys/index.js';
import { FdLink, type Link, type ProgramRef } from './link.js';

/** A RAW_TRACEPOINT program (Linux 4.17) on the tracepoint named e.g. "sys_enter". */
export function attachRawTracepoint(sys: Sys, program: ProgramRef, name: string): Link {
  const description = `rawtracepoint:${name}`;
  try {
    return new FdLink(sys, 'rawtracepoint', description, [rawTracepointOpen(sys, name, program.fd)]);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) throw error.withHint(`the kernel has no raw tracepoint named ${name}`);
    throw error;
  }
}

/**
 * A tp_btf program (Linux 5.5): a TRACING program loaded with expected attach type BPF_TRACE_RAW_TP
 * and `tracepointBtfId(name)` as its attach BTF id. The kernel knows the tracepoint from the program,
 * so the open names none.
 */
export function attachTpBtf(sys: Sys, program: ProgramRef, name: string): Link {
  return new FdLink(sys, 'tp_btf', `tp_btf:${name}`, [rawTracepointOpen(sys, null, program.fd)]);
}

/** The id of the `btf_trace_<name>` typedef, which a tp_btf program is loaded against. */
export function tracepointBtfId(btf: Btf, name: string): number {
  const typedef = btf.findType(`btf_trace_${name}`, 'typedef');
  if (typedef === undefined) {
    throw new BtfNotFoundError(`typedef btf_trace_${name}`, `${name} is not a tracepoint of this kernel`);
  }
  return typedef.id;
}
