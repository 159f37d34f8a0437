// tracepoint: a TRACEPOINT program on a static kernel event, through a perf event of type
// PERF_TYPE_TRACEPOINT whose config is the event's tracefs id.
import { isErrno, perfEventOpen, PerfType, type Sys } from '../../sys/index.js';
import { eventId } from '../tracefs.js';
import { attachToPerfEvent } from './perf-attach.js';
import { FdLink, closeQuietly, type Link, type ProgramRef } from './link.js';

export interface TracepointOptions {
  /** Resolves the event's id; default: tracefs `events/<category>/<name>/id`. */
  eventId?: (category: string, name: string) => number;
}

/**
 * One perf event on CPU 0 for every process is enough: the program hangs off the tracepoint itself
 * and runs on whichever CPU hits it. (A second link of the same program to the same tracepoint is
 * refused with EEXIST, which is why attaching per CPU would not work anyway.)
 */
export function attachTracepoint(
  sys: Sys, program: ProgramRef, category: string, name: string, options: TracepointOptions = {},
): Link {
  const description = `tracepoint:${category}:${name}`;
  const id = (options.eventId ?? eventId)(category, name);
  const perfFd = perfEventOpen(sys, { type: PerfType.TRACEPOINT, config: id, disabled: true }, { pid: -1, cpu: 0 });
  try {
    const held = attachToPerfEvent(sys, perfFd, program.fd);
    return new FdLink(sys, 'tracepoint', description, [...held, perfFd], [], held.length);
  } catch (error) {
    closeQuietly(sys, [perfFd]);
    if (isErrno(error, 'EEXIST')) throw error.withHint(`this program is already attached to ${description}`);
    if (isErrno(error, 'EINVAL')) throw error.withHint(`the program must be of type TRACEPOINT to attach to ${description}`);
    throw error;
  }
}
