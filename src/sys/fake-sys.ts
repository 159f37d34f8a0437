// A scriptable stand-in for the kernel, for unit tests of code paths this machine's kernel cannot take
// (kprobes, fentry) and of error handling. Each call is recorded; handlers decide the answer.
import { errnoNumber } from './errno.js';
import { SyscallError } from './syscall-error.js';
import type { MappedRegion, Sys } from './sys.js';

/** A result, or the errno name the call fails with. `undefined` means "succeed with a new fd". */
export type FakeAnswer = number | { errno: string } | undefined;

export interface FakeCall {
  syscall: string;
  args: readonly unknown[];
}

export class FakeSys implements Sys {
  readonly calls: FakeCall[] = [];
  readonly openFds = new Set<number>();
  onBpf: (cmd: number, attr: Uint8Array) => FakeAnswer = () => undefined;
  onPerfEventOpen: (attr: Uint8Array, pid: number, cpu: number) => FakeAnswer = () => undefined;
  onIoctl: (fd: number, request: number, arg: number) => FakeAnswer = () => 0;
  onMount: (source: string, target: string, fstype: string) => FakeAnswer = () => 0;
  private nextFd = 100;
  private nextAddress = 0x10000n;
  private readonly buffers = new Map<bigint, Uint8Array>();

  private answer(answer: FakeAnswer, what: string): number {
    if (answer === undefined) {
      const fd = this.nextFd++;
      this.openFds.add(fd);
      return fd;
    }
    if (typeof answer === 'number') return answer;
    throw new SyscallError(what, errnoNumber(answer.errno) ?? 22);
  }

  bpf(cmd: number, attr: Uint8Array, name: string): number {
    this.calls.push({ syscall: `bpf(${name})`, args: [cmd, attr] });
    return this.answer(this.onBpf(cmd, attr), `bpf(${name})`);
  }

  /** Answered like `bpf`, and recorded the same way. */
  bpfAsync(cmd: number, attr: Uint8Array, name: string): Promise<number> {
    try {
      return Promise.resolve(this.bpf(cmd, attr, name));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  perfEventOpen(attr: Uint8Array, pid: number, cpu: number, groupFd: number, flags: number): number {
    this.calls.push({ syscall: 'perf_event_open', args: [attr, pid, cpu, groupFd, flags] });
    return this.answer(this.onPerfEventOpen(attr, pid, cpu), 'perf_event_open');
  }

  ioctl(fd: number, request: number, arg: number, name: string): number {
    this.calls.push({ syscall: `ioctl(${name})`, args: [fd, request, arg] });
    return this.answer(this.onIoctl(fd, request, arg), `ioctl(${name})`);
  }

  close(fd: number): void {
    this.calls.push({ syscall: 'close', args: [fd] });
    if (!this.openFds.delete(fd)) throw new SyscallError('close', errnoNumber('EBADF') ?? 9);
  }

  /** Recorded as 'close' too: only the thread it would run on differs. */
  closeAsync(fd: number): Promise<void> {
    try {
      this.close(fd);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  mmap(length: number): MappedRegion {
    this.calls.push({ syscall: 'mmap', args: [length] });
    return { buffer: new ArrayBuffer(length), length, address: this.nextAddress++ };
  }

  munmap(region: MappedRegion): void {
    this.calls.push({ syscall: 'munmap', args: [region.address] });
  }

  epollCreate(): number {
    return this.answer(undefined, 'epoll_create1');
  }

  epollAdd(epfd: number, fd: number, data: number, edgeTriggered = false): void {
    this.calls.push({ syscall: 'epoll_ctl', args: [epfd, fd, data, Number(edgeTriggered)] });
  }

  epollModify(epfd: number, fd: number, data: number, edgeTriggered = false): void {
    this.calls.push({ syscall: 'epoll_ctl', args: [epfd, fd, data, Number(edgeTriggered)] });
  }

  eventfd(): number {
    return this.answer(undefined, 'eventfd');
  }

  eventfdWrite(fd: number, value: bigint): void {
    this.calls.push({ syscall: 'eventfd_write', args: [fd, value] });
  }

  epollWait(): Promise<number[]> {
    return Promise.resolve([]);
  }

  mount(source: string, target: string, fstype: string): void {
    this.calls.push({ syscall: 'mount', args: [source, target, fstype] });
    this.answer(this.onMount(source, target, fstype), `mount(${fstype} on ${target})`);
  }

  addressOf(buffer: Uint8Array): bigint {
    const address = this.nextAddress;
    this.nextAddress += BigInt(buffer.byteLength + 16);
    this.buffers.set(address, buffer);
    return address;
  }

  /** The buffer whose address was handed out, to inspect what a pointer in an attribute points at. */
  deref(address: bigint): Uint8Array {
    const buffer = this.buffers.get(address);
    if (!buffer) throw new Error(`FakeSys: no buffer at 0x${address.toString(16)}`);
    return buffer;
  }

  /** Names of the calls made so far, e.g. ['bpf(PROG_LOAD)', 'perf_event_open']. */
  callNames(): string[] {
    return this.calls.map((c) => c.syscall);
  }
}
