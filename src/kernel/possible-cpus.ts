// The number of *possible* CPUs, which sizes every per-CPU map value the kernel copies to user space.
//
// The kernel allocates a per-CPU slot for each possible CPU (not each online one), and lookups on per-CPU
// maps copy all of them, so a buffer sized by the online count would be overrun on machines with CPUs
// offline or hot-pluggable.
import { readFileSync } from 'node:fs';

const POSSIBLE_PATH = '/sys/devices/system/cpu/possible';

/**
 * Parses the kernel's CPU list format ("0-3", "0,2-5", "0"): the count is the highest CPU number plus
 * one, because per-CPU storage is indexed by CPU number even when the list has holes.
 */
export function parseCpuList(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('empty CPU list');
  let highest = -1;
  for (const part of trimmed.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) throw new Error(`malformed CPU list "${trimmed}"`);
    const last = Number(match[2] ?? match[1]);
    if (last < Number(match[1])) throw new Error(`malformed CPU range "${part}"`);
    highest = Math.max(highest, last);
  }
  return highest + 1;
}

let cached: number | undefined;

/** The possible-CPU count of this machine, read once. */
export function possibleCpus(): number {
  cached ??= parseCpuList(readFileSync(POSSIBLE_PATH, 'utf8'));
  return cached;
}
