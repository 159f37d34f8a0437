// Programs whose values do not fit the 512-byte BPF stack: the verifier must accept them with their
// per-CPU scratch area, and BEGIN must leave exactly the expected records and map entries.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MapType } from '../sys/bpf-constants.js';
import { compileText } from './testing/fake-providers.js';
import { type EventRecord, LoadedForTest } from './testing/kernel-loader.js';

const open: LoadedForTest[] = [];
after(() => open.forEach((loaded) => loaded.close()));

function runBegin(text: string): { loaded: LoadedForTest; events: EventRecord[] } {
  const loaded = new LoadedForTest(compileText(text));
  open.push(loaded);
  loaded.run(0);
  return { loaded, events: loaded.events() };
}

/** `str("<letter>", 63)`: a 64-byte string holding one letter. */
function longString(letter: string): string {
  return `str("${letter}", 63)`;
}

const LETTERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];

/** The bytes of a tuple of 64-byte strings each holding one letter, as map keys store it. */
function stringsKey(letters: readonly string[], trailer?: bigint): Uint8Array {
  const bytes = new Uint8Array(letters.length * 64 + (trailer === undefined ? 0 : 8));
  letters.forEach((letter, i) => { bytes[i * 64] = letter.charCodeAt(0); });
  if (trailer !== undefined) new DataView(bytes.buffer).setBigUint64(letters.length * 64, trailer, true);
  return bytes;
}

function u64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, true);
}

function text(bytes: Uint8Array, offset: number, size: number): string {
  const slice = bytes.subarray(offset, offset + size);
  const end = slice.indexOf(0);
  return Buffer.from(end === -1 ? slice : slice.subarray(0, end)).toString('utf8');
}

function perCpuCount(loaded: LoadedForTest, map: string, key: Uint8Array): bigint {
  const slots = loaded.userMap(map).lookupPerCpu(key);
  assert.ok(slots !== undefined, `${map} has the key`);
  return slots.reduce((sum, slot) => sum + u64(slot), 0n);
}

describe('programs with more values than the BPF stack holds', () => {
  it('give a map key of nine 64-byte strings (576 bytes) its own scratch area', () => {
    const { loaded } = runBegin(`BEGIN { @k[${LETTERS.map(longString).join(', ')}] = count(); }`);
    const scratch = loaded.script.maps.filter((m) => m.name.startsWith('.scratch'));
    assert.deepEqual(scratch.map((m) => [m.type, m.maxEntries]), [[MapType.PERCPU_ARRAY, 1]]);
    assert.ok(scratch[0].valueSize >= 576, 'the key is built in the scratch area');
    assert.equal(perCpuCount(loaded, '@k', stringsKey(LETTERS)), 1n);
  });

  it('keep a big tuple in a variable and print its elements', () => {
    const elements = LETTERS.map((letter, i) => `${longString(letter)}, ${i * 10}`).join(', ');
    const { loaded, events } = runBegin(`BEGIN { $t = (${elements}); printf("%s %d %s %d\\n", $t.0, $t.5, $t.16, $t.17); }`);
    const spec = loaded.script.printfs[0];
    const payload = events[0].payload;
    assert.deepEqual(
      [text(payload, spec.layout.offsets[0], 64), u64(payload, spec.layout.offsets[1]),
        text(payload, spec.layout.offsets[2], 64), u64(payload, spec.layout.offsets[3])],
      ['a', 20n, 'i', 80n],
    );
  });

  it('keep loop counters on the stack, where the verifier can bound the loop', () => {
    const { loaded } = runBegin(`BEGIN {
      $i = 0;
      while ($i < 5) { $i++; @n[${LETTERS.map(longString).join(', ')}, $i] = count(); }
    }`);
    for (let i = 1n; i <= 5n; i++) assert.equal(perCpuCount(loaded, '@n', stringsKey(LETTERS, i)), 1n);
  });

  it('compare and search long strings', () => {
    const haystack = `str("${'x'.repeat(300)}needle", 400)`;
    const { events } = runBegin(`BEGIN {
      $h = ${haystack}; $g = ${haystack};
      printf("%d %d %d\\n", $h == $g, strcontains($h, "needle"), strncmp($h, str("${'x'.repeat(300)}", 400), 300));
    }`);
    const payload = events[0].payload;
    assert.deepEqual([u64(payload, 0), u64(payload, 8), u64(payload, 16)], [1n, 1n, 0n]);
  });
});
