// Attaching a program to an open perf event, shared by tracepoints, uprobes, kprobes and sampling
// events: they differ only in how the perf event is opened.
import { AttachType, isErrno, linkCreate, perfEventEnable, perfEventSetBpf, type Sys } from '../../sys/index.js';
import { closeQuietly } from './link.js';

/**
 * Attaches with BPF_LINK_CREATE (attach type BPF_PERF_EVENT, Linux 5.15), which `bpftool link` can
 * list, or with PERF_EVENT_IOC_SET_BPF on older kernels, which answer the unknown attach type with
 * EINVAL. Then enables the event, which its opener created disabled so nothing fires half-attached.
 *
 * Returns the descriptors the link must hold besides the perf event's own: the BPF link's, or none.
 */
export function attachToPerfEvent(sys: Sys, perfFd: number, progFd: number): number[] {
  const held: number[] = [];
  try {
    held.push(linkCreate(sys, { progFd, targetFd: perfFd, attachType: AttachType.PERF_EVENT }));
  } catch (error) {
    if (!isErrno(error, 'EINVAL')) throw error;
    perfEventSetBpf(sys, perfFd, progFd);
  }
  try {
    perfEventEnable(sys, perfFd);
  } catch (error) {
    closeQuietly(sys, held);
    throw error;
  }
  return held;
}
