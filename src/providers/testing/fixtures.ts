// Test inputs for the providers: a tracefs tree built from the format files in test/fixtures/tracefs,
// a small kernel BTF, kallsyms text, and attach points written as scripts write them. Nothing here
// reads the running machine, so unit tests run anywhere without privileges.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Btf, BtfWriter } from '../../btf/index.js';
import { FakeSys } from '../../sys/index.js';
import { Tracefs } from '../../kernel/tracefs.js';
import { splitAttachPoint, type AttachPoint } from '../../lang/index.js';
import { providerEnvironment, type ProviderEnvironment } from '../environment.js';
import type { ContextUse } from '../provider.js';

/** A program that reads nothing of its context, and one that reads all of `args`. */
export const NO_ARGS: ContextUse = { context: false, kernelStack: false };
export const ALL_ARGS: ContextUse = { context: true, kernelStack: false };

export function attachPoint(raw: string): AttachPoint {
  const [provider, ...parts] = splitAttachPoint(raw);
  return { kind: 'AttachPoint', span: { start: 0, end: raw.length } as AttachPoint['span'], raw, provider, parts };
}

/** Fixture format file → where it lives in the tree. */
export type FixtureEvent = readonly [file: string, category: string, event: string];

const EVENTS: readonly FixtureEvent[] = [
  ['sys_enter_openat', 'syscalls', 'sys_enter_openat'],
  ['sys_enter_execve', 'syscalls', 'sys_enter_execve'],
  ['sched_switch', 'sched', 'sched_switch'],
  ['sched_process_exec', 'sched', 'sched_process_exec'],
  ['raw_syscalls_sys_enter', 'raw_syscalls', 'sys_enter'],
];

/** A tracefs root holding the fixture events (with their ids), and `more`; removed when the process exits. */
export function fixtureTracefs(more: readonly FixtureEvent[] = []): Tracefs {
  const root = mkdtempSync(join(tmpdir(), 'bpfscope-providers-tracefs-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  for (const [file, category, event] of [...EVENTS, ...more]) {
    const format = readFileSync(new URL(`../../../test/fixtures/tracefs/${file}.format`, import.meta.url), 'utf8');
    const dir = join(root, 'events', category, event);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'format'), format);
    writeFileSync(join(dir, 'id'), `${/^ID: (\d+)$/m.exec(format)?.[1]}\n`);
  }
  return new Tracefs(root);
}

/**
 * A kernel BTF with two functions (vfs_read, vfs_write: fentry targets) and two raw tracepoints
 * (sched_switch with named parameters, sys_enter whose names come from `__bpf_trace_sys_enter`).
 */
export function fixtureBtf(): Btf {
  const w = new BtfWriter();
  const int = w.int('int', 4, { signed: true });
  const long = w.int('long', 8, { signed: true });
  const ulong = w.int('unsigned long', 8);
  const bool = w.int('_Bool', 1, { bool: true });
  const char = w.int('char', 1, { signed: true, char: true });
  const voidPtr = w.ptr(0);
  const size = w.typedef('size_t', ulong);
  const ssize = w.typedef('ssize_t', long);
  const file = w.struct('file', 8, [{ name: 'f_mode', type: int, bitOffset: 0 }]);
  const task = w.struct('task_struct', 8, [{ name: 'pid', type: int, bitOffset: 0 }]);
  const regs = w.struct('pt_regs', 8, [{ name: 'ax', type: ulong, bitOffset: 0 }]);
  const readProto = w.funcProto(ssize, [['file', w.ptr(file)], ['buf', w.ptr(char)], ['count', size], ['pos', w.ptr(long)]]);
  w.func('vfs_read', readProto);
  w.func('vfs_write', readProto);
  const switchProto = w.funcProto(0, [['__data', voidPtr], ['preempt', bool], ['prev', w.ptr(task)], ['next', w.ptr(task)]]);
  w.typedef('btf_trace_sched_switch', w.ptr(switchProto));
  // As in vmlinux: the typedef's prototype has no parameter names; a function with the same ones does.
  const enterProto = w.funcProto(0, [['', voidPtr], ['', w.ptr(regs)], ['', long]]);
  w.typedef('btf_trace_sys_enter', w.ptr(enterProto));
  w.func('__bpf_trace_sys_enter', w.funcProto(0, [['__data', voidPtr], ['regs', w.ptr(regs)], ['id', long]]));
  return new Btf(w.build());
}

/**
 * A kernel BTF with what dispatching syscall events needs: `bpf_get_current_task_btf`, and
 * task_struct's thread_info.status, where x86_64 marks 32-bit calls; here behind 8 bytes of other
 * task fields, at offset 8 + 16.
 */
export function compatFixtureBtf(): Btf {
  const w = new BtfWriter();
  const u32 = w.int('unsigned int', 4);
  const ulong = w.int('unsigned long', 8);
  const info = w.struct('thread_info', 24, [
    { name: 'flags', type: ulong, bitOffset: 0 }, { name: 'syscall_work', type: ulong, bitOffset: 64 },
    { name: 'status', type: u32, bitOffset: 128 },
  ]);
  w.struct('task_struct', 32, [{ name: 'usage', type: ulong, bitOffset: 0 }, { name: 'thread_info', type: info, bitOffset: 64 }]);
  w.func('bpf_get_current_task_btf', w.funcProto(ulong, []));
  return new Btf(w.build());
}

/** kallsyms lines: functions, a module function, padding and cold labels, and a data symbol. */
export const FIXTURE_KALLSYMS = [
  'ffffffff81000000 T _stext',
  'ffffffff81200100 t __pfx_vfs_read',
  'ffffffff81200110 T vfs_read',
  'ffffffff81200200 T vfs_readv',
  'ffffffff81200300 T vfs_write',
  'ffffffff81200400 t vfs_read.cold',
  'ffffffff81200500 t do_sys_openat2',
  'ffffffff81300000 D jiffies',
  'ffffffffc0000000 t ext4_file_read_iter\t[ext4]',
  '',
].join('\n');

/** Providers reading only fixtures; system calls go to a FakeSys that answers nothing. */
export function fixtureEnvironment(overrides: Partial<ProviderEnvironment> = {}): ProviderEnvironment {
  const tracefs = fixtureTracefs();
  const btf = fixtureBtf();
  const sys = new FakeSys();
  return providerEnvironment({
    tracefs: () => tracefs,
    btf: () => btf,
    kallsyms: () => FIXTURE_KALLSYMS,
    sys: () => sys,
    ...overrides,
  });
}
