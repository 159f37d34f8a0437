// The BPF programs and links a process holds, read from its fds' fdinfo. Tests prove "nothing left
// attached" with these ids: other runs on the machine may load programs with the same names at the
// same time, so only the ids a process held say what it made.
import { readdirSync, readFileSync } from 'node:fs';
import { listLinks, listPrograms } from '../../kernel/index.js';

export interface OwnedObjects {
  readonly programs: readonly number[];
  readonly links: readonly number[];
}

export function ownedBpfObjects(pid: number = process.pid): OwnedObjects {
  const programs: number[] = [];
  const links: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed while we looked
    }
    const link = /^link_id:\s+(\d+)$/m.exec(info);
    const program = /^prog_id:\s+(\d+)$/m.exec(info);
    if (link) links.push(Number(link[1]));
    else if (program) programs.push(Number(program[1]));
  }
  return { programs, links };
}

/** How long a released object may take to disappear: the kernel frees some after an RCU grace period. */
const RELEASE_PATIENCE_MS = 3000;
const POLL_MS = 10;

/**
 * Which of `owned` the kernel still has, once its deferred frees have had time to run: the program of
 * a detached raw tracepoint is put only after an RCU grace period (its link's release is deferred),
 * so its id may outlive the link by a few milliseconds. Anything still there after
 * RELEASE_PATIENCE_MS is reported.
 */
export async function stillLoaded(owned: OwnedObjects): Promise<OwnedObjects> {
  const deadline = Date.now() + RELEASE_PATIENCE_MS;
  for (;;) {
    const left = {
      programs: listPrograms().map((p) => p.id).filter((id) => owned.programs.includes(id)),
      links: listLinks().map((l) => l.id).filter((id) => owned.links.includes(id)),
    };
    if ((left.programs.length === 0 && left.links.length === 0) || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
