// The real kernel, with a record of the bpf(2) commands made: lets kernel tests check which path a
// method took (batch lookup or key-by-key walk) while the kernel still gives the real answers.
import { linuxSys, type Sys } from '../../sys/index.js';

export interface RecordingSys extends Sys {
  /** Command names in call order, e.g. ['MAP_CREATE', 'MAP_LOOKUP_BATCH'], failed calls included. */
  readonly commands: string[];
}

export function recordingSys(inner: Sys = linuxSys()): RecordingSys {
  const commands: string[] = [];
  return {
    commands,
    bpf: (cmd, attr, name) => {
      commands.push(name);
      return inner.bpf(cmd, attr, name);
    },
    bpfAsync: (cmd, attr, name) => {
      commands.push(name);
      return inner.bpfAsync(cmd, attr, name);
    },
    perfEventOpen: (attr, pid, cpu, groupFd, flags) => inner.perfEventOpen(attr, pid, cpu, groupFd, flags),
    ioctl: (fd, request, arg, name) => inner.ioctl(fd, request, arg, name),
    close: (fd) => inner.close(fd),
    closeAsync: (fd) => inner.closeAsync(fd),
    mmap: (length, prot, flags, fd, offset) => inner.mmap(length, prot, flags, fd, offset),
    munmap: (region) => inner.munmap(region),
    epollCreate: () => inner.epollCreate(),
    epollAdd: (epfd, fd, data, edgeTriggered) => inner.epollAdd(epfd, fd, data, edgeTriggered),
    epollModify: (epfd, fd, data, edgeTriggered) => inner.epollModify(epfd, fd, data, edgeTriggered),
    eventfd: () => inner.eventfd(),
    eventfdWrite: (fd, value) => inner.eventfdWrite(fd, value),
    epollWait: (epfd, maxEvents, timeoutMs) => inner.epollWait(epfd, maxEvents, timeoutMs),
    mount: (source, target, fstype) => inner.mount(source, target, fstype),
    addressOf: (buffer) => inner.addressOf(buffer),
  };
}

/** How many times `command` appears in the record. */
export function countOf(sys: RecordingSys, command: string): number {
  return sys.commands.filter((c) => c === command).length;
}
