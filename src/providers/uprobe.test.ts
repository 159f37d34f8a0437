import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { buildFixture } from '../../test/fixtures/build-fixture.js';
import { ElfFile } from '../kernel/elf.js';
import { ProgramType } from '../sys/index.js';
import { UprobeProvider } from './uprobe.js';
import { ProbeError } from './provider.js';
import { registerLayout } from './registers.js';
import { attachPoint, fixtureEnvironment } from './testing/fixtures.js';

const env = fixtureEnvironment();
const uprobe = new UprobeProvider(env, 'uprobe');
const uretprobe = new UprobeProvider(env, 'uretprobe');

test('a function of a binary resolves to its file offset; the name keeps the path as written', async () => {
  const path = await buildFixture('uprobe-target');
  const elf = ElfFile.open(path);
  assert.deepEqual(uprobe.expand(attachPoint(`uprobe:${path}:bpfscope_add`), {}), [{
    provider: 'uprobe',
    name: `uprobe:${path}:bpfscope_add`,
    detail: { path, symbol: 'bpfscope_add', fileOffset: elf.symbolFileOffset('bpfscope_add') },
  }]);
  const [withOffset] = uprobe.expand(attachPoint(`u:${path}:bpfscope_add+0x4`), {});
  assert.equal(withOffset.name, `uprobe:${path}:bpfscope_add+4`);
  assert.equal(withOffset.detail.fileOffset, elf.symbolFileOffset('bpfscope_add') + 4n);
});

test('wildcards expand over function symbols, sorted; an address is a virtual address', async () => {
  const path = await buildFixture('uprobe-target');
  const elf = ElfFile.open(path);
  assert.deepEqual(uretprobe.expand(attachPoint(`ur:${path}:bpfscope_*`), {}).map((probe) => probe.name), [
    `uretprobe:${path}:bpfscope_add`, `uretprobe:${path}:bpfscope_greet`,
  ]);
  const address = elf.symbol('bpfscope_greet').value;
  const [byAddress] = uprobe.expand(attachPoint(`uprobe:${path}:0x${address.toString(16)}`), {});
  assert.equal(byAddress.name, `uprobe:${path}:${address}`);
  assert.equal(byAddress.detail.fileOffset, elf.symbolFileOffset('bpfscope_greet'));
});

test('bad uprobes are ProbeErrors that name the binary and function', async () => {
  const path = await buildFixture('uprobe-target');
  const size = ElfFile.open(path).symbol('bpfscope_add').size;
  const cases: [string, RegExp][] = [
    [`uprobe:${path}:nope`, new RegExp(`^no uprobe target: function 'nope' not found in ${path}$`)],
    ['uprobe:/nonexistent/bin:main', /^no uprobe target: cannot find '\/nonexistent\/bin'$/],
    [`uprobe:${path}:bpfscope_add+${size}`, new RegExp(`offset ${size} is outside bpfscope_add, which is ${size} bytes long`)],
    [`uprobe:${path}:bpfscope_add+1+2`, /invalid function offset/],
    [`uprobe:${path}:0xffffffff0`, /address 0xffffffff0 is in no loadable segment/],
    [`uprobe:${path}:cpp:main`, /language part \(cpp\) are not supported/],
    ['uprobe:main', /a uprobe takes a binary and a function/],
    ['uprobe:/bin/*:main', /wildcards in the binary's path are not supported/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => uprobe.expand(attachPoint(raw), {}), (error: unknown) => error instanceof ProbeError && message.test(error.message), raw);
  }
  assert.throws(() => uretprobe.expand(attachPoint(`uretprobe:${path}:bpfscope_add+4`), {}), /a uretprobe cannot take an offset/);
  assert.throws(() => uprobe.expand(attachPoint(`uprobe:${path}:nope`), {}), (error: unknown) =>
    error instanceof ProbeError && error.hint === `list its functions with: bpfscope -l 'uprobe:${path}:*'`);
});

test('with -p the binary may be left out: it is the process\'s executable', async () => {
  const path = await buildFixture('uprobe-target');
  const child = spawn(path, ['1', '--wait'], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    await once(child.stdout, 'data');
    const [probe] = uprobe.expand(attachPoint('uprobe:bpfscope_greet'), { pid: child.pid });
    assert.equal(probe.name, `uprobe:${path}:bpfscope_greet`);
    assert.deepEqual(uprobe.list(['bpfscope_g*'], { verbose: false, pid: child.pid }), [{ name: `uprobe:${path}:bpfscope_greet` }]);
  } finally {
    child.stdin.end('go\n');
    await once(child, 'exit');
  }
});

test('uprobes read user-space pt_regs and share one program; uretprobes add retval', () => {
  const layout = registerLayout();
  assert.deepEqual(uprobe.programKind(), { programType: ProgramType.KPROBE });
  assert.equal(uprobe.context().userSpace, true);
  assert.equal(uprobe.context().argOffset?.(2), layout.args[2]);
  assert.equal(uprobe.context().retvalOffset, undefined);
  assert.equal(uretprobe.context().retvalOffset, layout.retval);
  assert.equal(uprobe.shareKey(), 'uprobe');
  assert.equal(uretprobe.shareKey(), 'uretprobe');
});

test('-l lists the function symbols of the binary given; none without one', async () => {
  const path = await buildFixture('uprobe-target');
  assert.deepEqual(uprobe.list([path, 'bpfscope_*'], { verbose: false }), [
    { name: `uprobe:${path}:bpfscope_add` }, { name: `uprobe:${path}:bpfscope_greet` },
  ]);
  assert.deepEqual(uprobe.list(['*'], { verbose: false }), []);
  assert.equal(uprobe.listing, 'userspace');
  assert.equal(uretprobe.listing, 'none');
});
