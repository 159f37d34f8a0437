// A BTF blob the kernel accepted (BPF_BTF_LOAD), reached through its fd. Programs made of several BPF
// functions are loaded with one (see btf/program-btf.ts). A program keeps its own reference to the BTF
// it was loaded with, so the fd may be closed as soon as those programs are loaded.
//
// As with programs, the load is tried without a log first; only a refused blob is loaded again with
// one, and the kernel's last complaint becomes the error's hint.
import { SyscallError, btfLoad, linuxSys, readCString, type Sys } from '../sys/index.js';

const LOG_SIZE = 64 * 1024;

export class LoadedBtf {
  private closed = false;

  private constructor(readonly fd: number, private readonly sys: Sys) {}

  /** Throws SyscallError, whose hint is the kernel's reason when it gave one. */
  static load(blob: Uint8Array, sys: Sys = linuxSys()): LoadedBtf {
    try {
      return new LoadedBtf(btfLoad(sys, { blob }), sys);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
    }
    const logBuffer = new Uint8Array(LOG_SIZE);
    try {
      return new LoadedBtf(btfLoad(sys, { blob, logBuffer }), sys);
    } catch (error) {
      if (!(error instanceof SyscallError)) throw error;
      const reason = lastLine(readCString(logBuffer));
      throw reason === undefined ? error : error.withHint(`the kernel refused the program BTF: ${reason}`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sys.close(this.fd);
  }
}

function lastLine(log: string): string | undefined {
  return log.split('\n').map((line) => line.trim()).filter((line) => line !== '').pop();
}
