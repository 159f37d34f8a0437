// A stand-in tracefs directory for unit tests of the probe-entry fallback. A real tracefs creates
// events/<group>/<name>/id when an entry is written; a plain directory cannot, so the ids of the
// next entry names this process will use are created up front.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeEventsFile } from './probe-events.js';

const PREPARED_ENTRIES = 64;
export const FIRST_FAKE_ID = 5000;

export class FakeTracefs {
  readonly root = mkdtempSync(join(tmpdir(), 'bpfscope-tracefs-'));

  constructor(file: ProbeEventsFile, group: string, existing = '') {
    writeFileSync(join(this.root, file), existing);
    for (let n = 0; n < PREPARED_ENTRIES; n++) {
      const dir = join(this.root, 'events', group, `bpfscope_${process.pid}_${n}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'id'), `${FIRST_FAKE_ID + n}\n`);
    }
  }

  /** The commands written so far, one per line. */
  commands(file: ProbeEventsFile): string[] {
    return readFileSync(join(this.root, file), 'utf8').split('\n').filter((line) => line !== '');
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
