// Reading the running system's files without exceptions, behind an interface tests can fake: the
// feature probes' ProbeEnvironment extends it, and finding tracefs reads through it.
import { existsSync, readFileSync } from 'node:fs';

export interface FileView {
  /** A file's text, or undefined when it is absent or unreadable. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
}

export const hostFiles: FileView = {
  readText(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (path: string): boolean => existsSync(path),
};
