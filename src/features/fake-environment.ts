// A described machine for unit tests of probes: FakeSys for the system calls, a table of files, BTF
// ids and a uprobe target. Starts as a root shell on a full-featured kernel; tests remove or replace
// what they need (a file set to undefined is absent).
import { FakeSys, readU64 } from '../sys/index.js';
import type { ProbeEnvironment, UprobeTarget } from './environment.js';

const ROOT_MACHINE: Record<string, string> = {
  '/proc/sys/kernel/osrelease': '6.1.0-test\n',
  '/proc/sys/kernel/random/boot_id': '00000000-0000-0000-0000-000000000001\n',
  '/proc/self/status': 'Name:\tnode\nCapEff:\t000001ffffffffff\n',
  '/proc/mounts': 'nodev /sys/kernel/tracing tracefs rw,relatime 0 0\n',
  '/proc/filesystems': 'nodev\ttracefs\n',
  '/sys/kernel/btf/vmlinux': '',
  '/sys/kernel/tracing/events/sched/sched_switch/id': '321\n',
  '/sys/bus/event_source/devices/uprobe/type': '8\n',
  '/sys/bus/event_source/devices/kprobe/type': '7\n',
};

export interface FakeEnvironmentOptions {
  readonly files?: Record<string, string | undefined>;
  /** BTF ids by name; every name the probes ask for has one unless set to undefined. */
  readonly btf?: Record<string, number | undefined>;
}

export class FakeEnvironment implements ProbeEnvironment {
  readonly sys = new FakeSys();
  private readonly files = new Map<string, string>();
  private readonly btf: Record<string, number | undefined>;

  constructor(options: FakeEnvironmentOptions = {}) {
    for (const [path, text] of Object.entries({ ...ROOT_MACHINE, ...options.files })) {
      if (text !== undefined) this.files.set(path, text);
    }
    this.btf = options.btf ?? {};
  }

  /** Changes the described machine mid-test (a mount making tracefs's files appear); undefined removes the file. */
  setFile(path: string, text: string | undefined): void {
    if (text === undefined) this.files.delete(path);
    else this.files.set(path, text);
  }

  readText(path: string): string | undefined {
    return this.files.get(path);
  }

  exists(path: string): boolean {
    return this.files.has(path) || [...this.files.keys()].some((file) => file.startsWith(`${path}/`));
  }

  kernelBtfId(name: string, kind: 'func' | 'typedef'): number {
    const id = name in this.btf ? this.btf[name] : 1000;
    if (id === undefined) throw new Error(`the kernel's BTF has no ${kind} named ${name}`);
    return id;
  }

  uprobeTarget(): UprobeTarget {
    return { path: '/usr/lib/libc.so.6', offset: 0x1000n };
  }
}

/** Writes `text` into the verifier log buffer a BPF_PROG_LOAD attribute points at, as the kernel would. */
export function writeVerifierLog(sys: FakeSys, attr: Uint8Array, text: string): void {
  const address = readU64(attr, 32);
  if (address !== 0n) sys.deref(address).set(new TextEncoder().encode(text));
}
