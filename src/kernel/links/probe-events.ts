// Dynamic probe entries in tracefs (`uprobe_events`, `kprobe_events`), the way to place uprobes and
// kprobes on kernels without the dynamic PMUs (before Linux 4.17). Unlike file descriptors these
// entries outlive the process, so every entry is named after the process that made it
// (`bpfscope_<pid>_<n>`): a later run can recognise and remove the entries of a process that was
// killed before it could clean up.
import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export type ProbeEventsFile = 'uprobe_events' | 'kprobe_events';

/** The event group the kernel puts entries in when the definition names none. */
const DEFAULT_GROUP: Record<ProbeEventsFile, string> = { uprobe_events: 'uprobes', kprobe_events: 'kprobes' };
const ENTRY_NAME = /^[pr]\d*:(\w+)\/(bpfscope_(\d+)_\d+)\s/;

let nextEntry = 0;

export interface ProbeEntry {
  /** "uprobes/bpfscope_1234_0". */
  readonly event: string;
  /** The tracepoint id to open with perf_event_open(PERF_TYPE_TRACEPOINT). */
  readonly id: number;
  /** Deletes the entry; fails with EBUSY while a perf event still uses it. */
  remove(): void;
}

/** Whether the kernel offers this file (CONFIG_UPROBE_EVENTS / CONFIG_KPROBE_EVENTS). */
export function hasProbeEventsFile(tracefsRoot: string, file: ProbeEventsFile): boolean {
  try {
    closeSync(openSync(join(tracefsRoot, file), constants.O_RDONLY));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Adds `<type>:bpfscope_<pid>_<n> <location>` (type "p" or "r", location "/bin/bash:0x4f0" or
 * "vfs_read+0") and returns the entry with its event id. Entries left by dead bpfscope processes
 * are removed first.
 */
export function addProbeEntry(tracefsRoot: string, file: ProbeEventsFile, type: string, location: string): ProbeEntry {
  removeStaleEntries(tracefsRoot, file);
  const name = `bpfscope_${process.pid}_${nextEntry++}`;
  const event = `${DEFAULT_GROUP[file]}/${name}`;
  writeCommand(tracefsRoot, file, `${type}:${name} ${location}`);
  const remove = (): void => writeCommand(tracefsRoot, file, `-:${event}`);
  try {
    return { event, id: readEventId(tracefsRoot, event), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** Removes entries named after bpfscope processes that no longer exist; returns their events. */
export function removeStaleEntries(tracefsRoot: string, file: ProbeEventsFile): string[] {
  const removed: string[] = [];
  for (const line of readFileSync(join(tracefsRoot, file), 'utf8').split('\n')) {
    const match = ENTRY_NAME.exec(line);
    if (!match || processExists(Number(match[3]))) continue;
    const event = `${match[1]}/${match[2]}`;
    writeCommand(tracefsRoot, file, `-:${event}`);
    removed.push(event);
  }
  return removed;
}

/** The entries of bpfscope processes present in the file, e.g. ["uprobes/bpfscope_1234_0"]. */
export function listBpfscopeEntries(tracefsRoot: string, file: ProbeEventsFile): string[] {
  return readFileSync(join(tracefsRoot, file), 'utf8')
    .split('\n')
    .flatMap((line) => {
      const match = ENTRY_NAME.exec(line);
      return match ? [`${match[1]}/${match[2]}`] : [];
    });
}

/**
 * Appends one command. Opening without O_TRUNC matters: truncating a probe events file deletes every
 * probe in it, including those of other tools.
 */
function writeCommand(tracefsRoot: string, file: ProbeEventsFile, command: string): void {
  const fd = openSync(join(tracefsRoot, file), constants.O_WRONLY | constants.O_APPEND);
  try {
    writeSync(fd, `${command}\n`);
  } catch (error) {
    throw new Error(`writing "${command}" to ${join(tracefsRoot, file)} failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    closeSync(fd);
  }
}

function readEventId(tracefsRoot: string, event: string): number {
  const path = join(tracefsRoot, 'events', event, 'id');
  const text = readFileSync(path, 'utf8').trim();
  if (!/^\d+$/.test(text)) throw new Error(`${path} holds "${text}", not an event id`);
  return Number(text);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
