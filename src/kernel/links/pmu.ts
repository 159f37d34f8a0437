// The dynamic PMUs behind kprobes and uprobes (Linux 4.17): perf_event_open takes the PMU's type
// number, the function name or binary path in config1 and the offset in config2, and a retprobe flag
// in a config bit that the PMU describes in sysfs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SYSFS_PMU_ROOT = '/sys/bus/event_source/devices';

export type DynamicPmuName = 'kprobe' | 'uprobe';

export interface DynamicPmu {
  readonly name: DynamicPmuName;
  /** The `type` of perf_event_attr. */
  readonly type: number;
  /** The bit of `config` that turns a probe into a return probe. */
  readonly retprobeBit: number;
}

/** Finds a PMU by name; undefined when the kernel has none (tests inject their own). */
export type PmuLookup = (name: DynamicPmuName) => DynamicPmu | undefined;

/** The PMUs the running kernel lists in sysfs. */
export function sysfsPmu(name: DynamicPmuName, root = SYSFS_PMU_ROOT): DynamicPmu | undefined {
  const type = readOptional(join(root, name, 'type'));
  if (type === undefined) return undefined;
  const retprobe = readOptional(join(root, name, 'format', 'retprobe'));
  if (retprobe === undefined) {
    throw new Error(`the ${name} PMU in ${root} has no format/retprobe file; cannot place return probes`);
  }
  return { name, type: parseDecimal(type, join(root, name, 'type')), retprobeBit: parseFormatBit(retprobe) };
}

/**
 * Whether the machine has a PMU that counts hardware events: `cpu` on x86 (`cpu_core`/`cpu_atom` on
 * hybrid parts), `armv8_*`-style names on arm64. Virtual machines often have none.
 */
export function hasCpuPmu(root = SYSFS_PMU_ROOT): boolean {
  return readdirSync(root).some((name) => /^cpu(_core|_atom)?$/.test(name) || name.startsWith('armv'));
}

/** A format file's single-bit field, e.g. "config:0" → 0. */
export function parseFormatBit(text: string): number {
  const match = /^config:(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`unexpected PMU format "${text.trim()}" (expected config:<bit>)`);
  return Number(match[1]);
}

function parseDecimal(text: string, path: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new Error(`${path} holds "${trimmed}", not a PMU type number`);
  return Number(trimmed);
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
