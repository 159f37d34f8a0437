// uprobe and uretprobe: a KPROBE-type program run when any process (or one process) executes an
// instruction of a binary, found by its file offset so every process mapping the file is covered.
import { isErrno, type Sys } from '../../sys/index.js';
import { ElfFile } from '../elf.js';
import { attachDynamicProbe, type ProbeEnvironment } from './dynamic-probe.js';
import type { Link, ProgramRef } from './link.js';

export type UprobeTarget =
  /** A symbol of the binary, plus an optional offset into it (`uprobe:/bin/bash:readline+4`). */
  | { path: string; symbol: string; offset?: bigint }
  /** A raw file offset in the binary. */
  | { path: string; fileOffset: bigint };

export interface UprobeOptions extends ProbeEnvironment {
  retprobe?: boolean;
  /** Only this process hits the probe; default every process. */
  pid?: number;
}

export function attachUprobe(sys: Sys, program: ProgramRef, target: UprobeTarget, options: UprobeOptions = {}): Link {
  const retprobe = options.retprobe === true;
  const kind = retprobe ? 'uretprobe' : 'uprobe';
  const offset = fileOffset(target);
  try {
    return attachDynamicProbe(sys, program, {
      pmu: 'uprobe',
      kind,
      description: `${kind}:${target.path}:${place(target)}`,
      retprobe,
      target: target.path,
      offset,
      tracefsLocation: `${target.path}:0x${offset.toString(16)}`,
      tracefsType: retprobe ? 'r' : 'p',
      pid: options.pid ?? -1,
      feature: `${kind}s`,
      missingReason:
        'this kernel is built without CONFIG_UPROBE_EVENTS: no uprobe PMU in /sys/bus/event_source/devices ' +
        'and no uprobe_events in tracefs',
    }, options);
  } catch (error) {
    if (isErrno(error, 'ESRCH') && options.pid !== undefined) throw error.withHint(`no process ${options.pid}`);
    if (isErrno(error, 'ENOENT') || isErrno(error, 'EINVAL')) {
      throw error.withHint(`the kernel cannot place a ${kind} at offset 0x${offset.toString(16)} of ${target.path}`);
    }
    throw error;
  }
}

function fileOffset(target: UprobeTarget): bigint {
  if ('fileOffset' in target) return target.fileOffset;
  return ElfFile.open(target.path).symbolFileOffset(target.symbol) + (target.offset ?? 0n);
}

function place(target: UprobeTarget): string {
  if ('fileOffset' in target) return `0x${target.fileOffset.toString(16)}`;
  return target.offset ? `${target.symbol}+${target.offset}` : target.symbol;
}
