// Writing the run's output straight to file descriptors 1 and 2. process.stdout and process.stderr
// are built on first use, and building them loads Node's stream modules (and net, for a pipe): ~4 ms
// before the first line can appear, on every run. On Linux those streams write synchronously to files,
// pipes and terminals alike, so a blocking writeSync keeps their order and their back-pressure.
import { writeSync } from 'node:fs';

/** writeSync's shape: writes from `offset`, returns how many bytes went out, throws with an errno code. */
export type WriteFunction = (fd: number, buffer: Uint8Array, offset: number) => number;

/** Where output goes once the descriptor cannot be written synchronously (process.stdout fits). */
export interface StreamFallback {
  write(text: Uint8Array): unknown;
}

export interface FdWriterOptions {
  /** The stream the descriptor belongs to, used only if the descriptor is non-blocking. */
  readonly fallback: () => StreamFallback;
  /** The reader went away (EPIPE, as with `| head`); nothing more is written. */
  readonly onClosed?: () => void;
  readonly write?: WriteFunction;
}

export class FdWriter {
  private stream: StreamFallback | undefined;
  private closed = false;
  private readonly writeBytes: WriteFunction;

  constructor(private readonly fd: number, private readonly options: FdWriterOptions) {
    this.writeBytes = options.write ?? ((fd, buffer, offset) => writeSync(fd, buffer, offset));
  }

  write(text: string): void {
    if (this.closed || text === '') return;
    const bytes = Buffer.from(text);
    if (this.stream !== undefined) {
      this.stream.write(bytes);
      return;
    }
    let offset = 0;
    while (offset < bytes.byteLength) {
      try {
        offset += this.writeBytes(this.fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          this.closed = true;
          this.options.onClosed?.();
          return;
        }
        // A descriptor someone made non-blocking: Node's stream waits for it to drain, so it takes
        // over from here on, and what it is given stays in order behind what was written.
        if (code !== 'EAGAIN') throw error;
        this.stream = this.options.fallback();
        this.stream.write(bytes.subarray(offset));
        return;
      }
    }
  }
}
