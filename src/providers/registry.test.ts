import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultProviders, ProviderRegistry } from './registry.js';
import { SpecialProvider } from './begin-end.js';
import { ProbeError } from './provider.js';
import { attachPoint } from './testing/fixtures.js';

const untouchable = (): never => {
  throw new Error('the registry read the machine before any probe needed it');
};
const registry = defaultProviders({ tracefs: untouchable, btf: untouchable, kallsyms: untouchable, sys: untouchable, elf: untouchable });

test('every spelling a script may use finds its provider', () => {
  // bpftrace's names and aliases, plus BEGIN/END in both the 0.17 and the current spelling.
  const spellings: [string, string][] = [
    ['BEGIN', 'BEGIN'], ['begin', 'BEGIN'], ['END', 'END'], ['end', 'END'],
    ['tracepoint', 'tracepoint'], ['t', 'tracepoint'], ['rawtracepoint', 'rawtracepoint'], ['rt', 'rawtracepoint'],
    ['kprobe', 'kprobe'], ['k', 'kprobe'], ['kretprobe', 'kretprobe'], ['kr', 'kretprobe'],
    ['uprobe', 'uprobe'], ['u', 'uprobe'], ['uretprobe', 'uretprobe'], ['ur', 'uretprobe'],
    ['fentry', 'fentry'], ['f', 'fentry'], ['kfunc', 'fentry'], ['fexit', 'fexit'], ['fr', 'fexit'], ['kretfunc', 'fexit'],
    ['profile', 'profile'], ['p', 'profile'], ['interval', 'interval'], ['i', 'interval'],
    ['software', 'software'], ['s', 'software'], ['hardware', 'hardware'], ['h', 'hardware'],
  ];
  for (const [spelling, name] of spellings) assert.equal(registry.lookup(spelling)?.name, name, spelling);
});

test('an unknown probe type is a ProbeError that lists the known ones', () => {
  assert.equal(registry.lookup('usdt'), undefined);
  assert.throws(() => registry.expand(attachPoint('nosuch:x'), {}), (error: unknown) =>
    error instanceof ProbeError && error.message === "unknown probe type 'nosuch'" &&
    /tracepoint, rawtracepoint, kprobe/.test(error.hint ?? ''));
});

test('expanding through the registry resolves aliases', () => {
  assert.deepEqual(registry.expand(attachPoint('i:s:1'), {}), [
    { provider: 'interval', name: 'interval:s:1', detail: { unit: 's', count: 1 } },
  ]);
});

test('two providers claiming one spelling is refused', () => {
  assert.throws(() => new ProviderRegistry([new SpecialProvider('BEGIN'), new SpecialProvider('BEGIN')]), /claimed by both BEGIN and BEGIN/);
});
