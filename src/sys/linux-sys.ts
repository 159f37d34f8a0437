// The real kernel, through koffi: the only file in bpfscope that imports the FFI.
// bpf(2) and perf_event_open(2) have no libc wrappers, so they go through syscall(2) with numbers per
// architecture; the rest use libc's wrappers.
import koffi from 'koffi';
import { SyscallError } from './syscall-error.js';
import type { MappedRegion, Sys } from './sys.js';

const SYSCALL_NUMBERS: Record<string, { bpf: number; perfEventOpen: number }> = {
  x64: { bpf: 321, perfEventOpen: 298 },
  arm64: { bpf: 280, perfEventOpen: 241 },
};

const EPOLLIN = 0x001;
const EPOLLET = 0x80000000;
const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_MOD = 3;
const EPOLL_CLOEXEC = 0o2000000;
const EFD_CLOEXEC = 0o2000000;
const EFD_NONBLOCK = 0o4000;
/** struct epoll_event is packed on x86_64 (12 bytes) and naturally aligned elsewhere (16 bytes). */
const EPOLL_EVENT_SIZE = process.arch === 'x64' ? 12 : 16;
const EPOLL_DATA_OFFSET = process.arch === 'x64' ? 4 : 8;

function bindLibc() {
  const libc = koffi.load('libc.so.6');
  return {
    syscall: libc.func('long syscall(long number, ...)'),
    // The same function with bpf(2)'s arguments spelled out, because koffi runs only fixed-argument
    // functions on a worker thread; syscall(2) reads its arguments from the same registers either way.
    bpfSyscall: libc.func('long syscall(long number, int cmd, void *attr, unsigned int size)'),
    ioctl: libc.func('int ioctl(int fd, unsigned long request, ...)'),
    close: libc.func('int close(int fd)'),
    mmap: libc.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset)'),
    munmap: libc.func('int munmap(void *addr, size_t length)'),
    epollCreate1: libc.func('int epoll_create1(int flags)'),
    epollCtl: libc.func('int epoll_ctl(int epfd, int op, int fd, void *event)'),
    epollWait: libc.func('int epoll_wait(int epfd, void *events, int maxevents, int timeout)'),
    eventfd: libc.func('int eventfd(unsigned int initval, int flags)'),
    eventfdWrite: libc.func('int eventfd_write(int fd, uint64_t value)'),
    mount: libc.func('int mount(const char *source, const char *target, const char *fstype, unsigned long flags, void *data)'),
  };
}

class LinuxSys implements Sys {
  private readonly libc = bindLibc();
  private readonly numbers = SYSCALL_NUMBERS[process.arch];

  constructor() {
    if (!this.numbers) throw new Error(`bpfscope does not know the system call numbers of ${process.arch}`);
  }

  private check(result: number | bigint, what: string): number {
    const value = Number(result);
    if (value < 0) throw new SyscallError(what, koffi.errno());
    return value;
  }

  bpf(cmd: number, attr: Uint8Array, name: string): number {
    const result = this.libc.syscall(this.numbers.bpf, 'int', cmd, 'void *', attr, 'uint', attr.byteLength);
    return this.check(result, `bpf(${name})`);
  }

  bpfAsync(cmd: number, attr: Uint8Array, name: string): Promise<number> {
    return new Promise((resolve, reject) => {
      // `attr` stays referenced by this closure until the call has returned.
      this.libc.bpfSyscall.async(this.numbers.bpf, cmd, attr, attr.byteLength, (error: unknown, result: number | bigint) => {
        if (error) return reject(error);
        const value = Number(result);
        if (value < 0) return reject(new Error(`bpf(${name}) failed on a worker thread (${attr.byteLength} bytes of attributes)`));
        resolve(value);
      });
    });
  }

  perfEventOpen(attr: Uint8Array, pid: number, cpu: number, groupFd: number, flags: number): number {
    const result = this.libc.syscall(this.numbers.perfEventOpen, 'void *', attr, 'int', pid, 'int', cpu, 'int', groupFd, 'ulong', flags);
    return this.check(result, 'perf_event_open');
  }

  ioctl(fd: number, request: number, arg: number, name: string): number {
    return this.check(this.libc.ioctl(fd, request, 'ulong', arg), `ioctl(${name})`);
  }

  close(fd: number): void {
    this.check(this.libc.close(fd), 'close');
  }

  closeAsync(fd: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.libc.close.async(fd, (error: unknown, result: number) => {
        if (error) return reject(error);
        // errno belongs to the worker thread and cannot be read here; with a descriptor this process
        // opened, close fails only when interrupted, and Linux has released the file even then.
        if (result < 0) return reject(new Error(`close(${fd}) failed on a worker thread`));
        resolve();
      });
    });
  }

  mmap(length: number, prot: number, flags: number, fd: number, offset: number): MappedRegion {
    const pointer = this.libc.mmap(null, length, prot, flags, fd, offset);
    const address = koffi.address(pointer);
    // MAP_FAILED is (void *)-1.
    if (address === 0xffffffffffffffffn) throw new SyscallError('mmap', koffi.errno());
    return { buffer: koffi.view(pointer, length), length, address };
  }

  munmap(region: MappedRegion): void {
    this.check(this.libc.munmap(region.address, region.length), 'munmap');
  }

  epollCreate(): number {
    return this.check(this.libc.epollCreate1(EPOLL_CLOEXEC), 'epoll_create1');
  }

  epollAdd(epfd: number, fd: number, data: number, edgeTriggered = false): void {
    this.epollControl(epfd, EPOLL_CTL_ADD, fd, data, edgeTriggered);
  }

  epollModify(epfd: number, fd: number, data: number, edgeTriggered = false): void {
    this.epollControl(epfd, EPOLL_CTL_MOD, fd, data, edgeTriggered);
  }

  private epollControl(epfd: number, op: number, fd: number, data: number, edgeTriggered: boolean): void {
    const event = Buffer.alloc(EPOLL_EVENT_SIZE);
    event.writeUInt32LE((EPOLLIN | (edgeTriggered ? EPOLLET : 0)) >>> 0, 0);
    event.writeUInt32LE(data, EPOLL_DATA_OFFSET);
    this.check(this.libc.epollCtl(epfd, op, fd, event), 'epoll_ctl');
  }

  eventfd(): number {
    return this.check(this.libc.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), 'eventfd');
  }

  eventfdWrite(fd: number, value: bigint): void {
    this.check(this.libc.eventfdWrite(fd, value), 'eventfd_write');
  }

  epollWait(epfd: number, maxEvents: number, timeoutMs: number): Promise<number[]> {
    const events = Buffer.alloc(EPOLL_EVENT_SIZE * maxEvents);
    return new Promise((resolve, reject) => {
      this.libc.epollWait.async(epfd, events, maxEvents, timeoutMs, (error: unknown, count: number) => {
        if (error) return reject(error);
        // With a valid epoll fd and buffer the only failure is EINTR (a signal such as Ctrl-C), which
        // means "nothing ready"; errno itself belongs to the worker thread and cannot be read here.
        if (count < 0) return resolve([]);
        const ready: number[] = [];
        for (let i = 0; i < count; i++) ready.push(events.readUInt32LE(i * EPOLL_EVENT_SIZE + EPOLL_DATA_OFFSET));
        resolve(ready);
      });
    });
  }

  mount(source: string, target: string, fstype: string): void {
    this.check(this.libc.mount(source, target, fstype, 0, null), `mount(${fstype} on ${target})`);
  }

  addressOf(buffer: Uint8Array): bigint {
    return buffer.byteLength === 0 ? 0n : BigInt(koffi.address(buffer));
  }
}

let instance: Sys | undefined;

/** The process-wide real system call layer, created on first use. */
export function linuxSys(): Sys {
  instance ??= new LinuxSys();
  return instance;
}
