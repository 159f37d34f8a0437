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

/** Which of `owned` the kernel still has. */
export function stillLoaded(owned: OwnedObjects): OwnedObjects {
  return {
    programs: listPrograms().map((p) => p.id).filter((id) => owned.programs.includes(id)),
    links: listLinks().map((l) => l.id).filter((id) => owned.links.includes(id)),
  };
}
