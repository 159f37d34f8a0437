// bpftrace's recorded outputs (bpftrace-0.17.json beside this file): what the differential suite
// compares bpfscope against, so an ordinary test run needs no bpftrace. Regenerate with
// UPDATE_BPFTRACE=1, check it is still current with VERIFY_BPFTRACE=1 (both need bpftrace installed).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from './run.js';

export const RECORDING_PATH = join(dirname(fileURLToPath(import.meta.url)), 'bpftrace-0.17.json');

/** The bpftrace release the recording must come from; `bpftrace --version` prints `bpftrace v<this>`. */
export const RECORDED_BPFTRACE_VERSION = 'v0.17.0';

/** One case as bpftrace ran it: its command line (workload still a placeholder) and normalised outcome. */
export interface RecordedRun extends Outcome {
  readonly argv: readonly string[];
}

export interface Recording {
  /** `bpftrace --version` of the bpftrace that produced the outputs. */
  readonly bpftrace: string;
  /** `uname -r` where they were recorded; informative only. */
  readonly kernel: string;
  readonly cases: Record<string, RecordedRun>;
}

export type RecordingMode = 'recorded' | 'update' | 'verify';

/** `recorded` unless UPDATE_BPFTRACE=1 (re-record) or VERIFY_BPFTRACE=1 (re-run and check) is set. */
export function recordingMode(): RecordingMode {
  if (process.env.UPDATE_BPFTRACE === '1') return 'update';
  if (process.env.VERIFY_BPFTRACE === '1') return 'verify';
  return 'recorded';
}

function isRecording(value: unknown): value is Recording {
  if (typeof value !== 'object' || value === null) return false;
  const { bpftrace, kernel, cases } = value as Record<string, unknown>;
  return typeof bpftrace === 'string' && typeof kernel === 'string' && typeof cases === 'object' && cases !== null;
}

export function loadRecording(): Recording {
  const parsed: unknown = JSON.parse(readFileSync(RECORDING_PATH, 'utf8'));
  if (!isRecording(parsed)) throw new Error(`${RECORDING_PATH} is not a recording of bpftrace outputs`);
  return parsed;
}

export function saveRecording(recording: Recording): void {
  writeFileSync(RECORDING_PATH, `${JSON.stringify(recording, null, 2)}\n`);
}

/** The installed bpftrace's version line, e.g. `bpftrace v0.17.0`. */
export function installedBpftraceVersion(command: string): string {
  return execFileSync(command, ['--version'], { encoding: 'utf8' }).trim();
}

export function emptyRecording(bpftraceVersion: string): Recording {
  return { bpftrace: bpftraceVersion, kernel: release(), cases: {} };
}
