import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramType } from '../sys/index.js';
import { KprobeProvider } from './kprobe.js';
import { kernelFunctions } from './kernel-functions.js';
import { ProbeError } from './provider.js';
import { registerLayout } from './registers.js';
import { FIXTURE_KALLSYMS, attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const env = fixtureEnvironment();
const kprobe = new KprobeProvider(env, 'kprobe');
const kretprobe = new KprobeProvider(env, 'kretprobe');
const names = (provider: KprobeProvider, raw: string): string[] => provider.expand(attachPoint(raw)).map((probe) => probe.name);

test('kernel functions are kallsyms text symbols without padding and cold labels', () => {
  assert.deepEqual(kernelFunctions(FIXTURE_KALLSYMS), [
    { name: '_stext' }, { name: 'vfs_read' }, { name: 'vfs_readv' }, { name: 'vfs_write' }, { name: 'do_sys_openat2' },
    { name: 'ext4_file_read_iter', module: 'ext4' },
  ]);
});

test('kprobes expand from kallsyms, with wildcards, offsets and modules', () => {
  assert.deepEqual(kprobe.expand(attachPoint('kprobe:vfs_read')), [
    { provider: 'kprobe', name: 'kprobe:vfs_read', detail: { function: 'vfs_read', offset: 0n } },
  ]);
  assert.deepEqual(names(kprobe, 'k:vfs_*'), ['kprobe:vfs_read', 'kprobe:vfs_readv', 'kprobe:vfs_write']);
  assert.deepEqual(kprobe.expand(attachPoint('kprobe:do_sys_openat2+0x10')), [
    { provider: 'kprobe', name: 'kprobe:do_sys_openat2+16', detail: { function: 'do_sys_openat2', offset: 16n } },
  ]);
  assert.deepEqual(names(kprobe, 'kprobe:ext4:*read*'), ['kprobe:ext4:ext4_file_read_iter']);
  assert.deepEqual(names(kprobe, 'kprobe:vmlinux:vfs_write'), ['kprobe:vmlinux:vfs_write']);
  assert.deepEqual(names(kretprobe, 'kr:*_read*'), ['kretprobe:ext4_file_read_iter', 'kretprobe:vfs_read', 'kretprobe:vfs_readv']);
});

test('bad kprobes are ProbeErrors that name the function', () => {
  assert.throws(() => kprobe.expand(attachPoint('kprobe:nope')), (error: unknown) =>
    error instanceof ProbeError && error.message === "kprobe target not found: function 'nope' is not in /proc/kallsyms");
  assert.throws(() => kprobe.expand(attachPoint('kprobe:jiffies')), /'jiffies' is not in \/proc\/kallsyms/);
  assert.throws(() => kprobe.expand(attachPoint('kprobe:ext4:vfs_read')), /'vfs_read' is not in/);
  assert.throws(() => kretprobe.expand(attachPoint('kretprobe:vfs_read+4')), /a kretprobe cannot take an offset/);
  assert.throws(() => kprobe.expand(attachPoint('kprobe:vfs_read+x')), /invalid function offset in 'vfs_read\+x'/);
  assert.throws(() => kprobe.expand(attachPoint('kprobe:0xffffffff81200110')), /probing a kernel address is not supported/);
});

test('kprobe programs read pt_regs; only kretprobes have retval', () => {
  const [probe] = kprobe.expand(attachPoint('kprobe:vfs_read'));
  const layout = registerLayout();
  assert.deepEqual(kprobe.programKind(), { programType: ProgramType.KPROBE });
  assert.equal(kprobe.context().argOffset?.(0), layout.args[0]);
  assert.equal(kprobe.context().retvalOffset, undefined);
  assert.equal(kprobe.context().userSpace, false);
  assert.equal(kretprobe.context().retvalOffset, layout.retval);
  assert.equal(kprobe.shareKey(), 'kprobe');
  assert.equal(probe.provider, 'kprobe');
});

test('-l lists kernel functions, module functions with their module', () => {
  assert.deepEqual(kprobe.list(['*read*']).map((probe) => probe.name), ['kprobe:ext4:ext4_file_read_iter', 'kprobe:vfs_read', 'kprobe:vfs_readv']);
  assert.deepEqual(kretprobe.list(['vmlinux', 'vfs_w*']).map((probe) => probe.name), ['kretprobe:vfs_write']);
  assert.equal(kprobe.listing, 'kernel');
  assert.equal(kretprobe.listing, 'none');
});
