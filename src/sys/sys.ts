// The boundary to the kernel: every system call bpfscope makes goes through a `Sys`. The real one is
// `linuxSys()` (koffi); `FakeSys` scripts kernel answers for unit tests. Methods throw `SyscallError`
// on failure and return the non-negative result otherwise.

/** Memory mapped from a file descriptor (a ring buffer's pages). */
export interface MappedRegion {
  readonly buffer: ArrayBuffer;
  readonly length: number;
  /** Opaque handle for munmap. */
  readonly address: bigint;
}

export interface Sys {
  /** bpf(2). `name` is the command's name, used in error messages. */
  bpf(cmd: number, attr: Uint8Array, name: string): number;
  /**
   * bpf(2) on a worker thread, for a command that takes the kernel a while (creating a 4 MB ring
   * buffer, ~1 ms) while the caller goes on. Rejects without the reason, since errno belongs to the
   * worker thread: a caller that needs it makes the call again with `bpf`.
   */
  bpfAsync(cmd: number, attr: Uint8Array, name: string): Promise<number>;
  perfEventOpen(attr: Uint8Array, pid: number, cpu: number, groupFd: number, flags: number): number;
  /** ioctl(2) with an integer argument (PERF_EVENT_IOC_SET_BPF, ENABLE, DISABLE). */
  ioctl(fd: number, request: number, arg: number, name: string): number;
  close(fd: number): void;
  /**
   * close(2) on a worker thread. Releasing a BPF link or a perf event waits for RCU grace periods
   * (tens of ms); several closed at once share them, and the event loop runs meanwhile.
   */
  closeAsync(fd: number): Promise<void>;
  mmap(length: number, prot: number, flags: number, fd: number, offset: number): MappedRegion;
  munmap(region: MappedRegion): void;
  epollCreate(): number;
  /**
   * Registers `fd` for EPOLLIN; `data` comes back from `epollWait`. Level-triggered, `fd` is reported
   * while it is readable; edge-triggered, only once per wake-up the file sends.
   */
  epollAdd(epfd: number, fd: number, data: number, edgeTriggered?: boolean): void;
  /**
   * Sets `fd`'s registration anew. The kernel issues a full memory barrier and polls `fd` again, so a
   * readable `fd` is reported by the next wait, even edge-triggered.
   */
  epollModify(epfd: number, fd: number, data: number, edgeTriggered?: boolean): void;
  /** An eventfd (non-blocking, close-on-exec): a counter, readable while it is not zero. */
  eventfd(): number;
  /** Adds `value` to an eventfd's counter, so a wait on it returns. */
  eventfdWrite(fd: number, value: bigint): void;
  /** Waits on a worker thread, so Node's event loop keeps running; resolves with ready `data` values. */
  epollWait(epfd: number, maxEvents: number, timeoutMs: number): Promise<number[]>;
  mount(source: string, target: string, fstype: string): void;
  /** The address of a buffer's bytes, to put into kernel attribute structs. The caller keeps the
   * buffer referenced until the system call that uses the address has returned. */
  addressOf(buffer: Uint8Array): bigint;
}

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
