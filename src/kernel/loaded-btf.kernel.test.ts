// Programs with a callback in the real kernel: without program BTF and func_info the verifier refuses
// to take the callback's address; with them the program loads and bpf_for_each_map_elem runs it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgramBtfBuilder } from '../btf/index.js';
import { MapType, ProgramType, SyscallError, linuxSys, progTestRunRawTracepoint } from '../sys/index.js';
import { LoadedBtf } from './loaded-btf.js';
import { BpfMap } from './map.js';
import { Program, type ProgramSpec } from './program.js';
import { VerifierError } from './verifier-error.js';
import { encode, exit, instruction, movImm } from './testing/instructions.js';

const FOR_EACH_MAP_ELEM = 164;
const ENTRIES = 3;

const map = BpfMap.create({ name: 'kt_foreach', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: ENTRIES });
after(() => map.close());

/** The two slots of `dst = imm64` with a pseudo source (1: map fd, 4: function at a slot distance). */
function wideLoad(dst: number, src: number, imm: number): Uint8Array[] {
  return [instruction(0x18, dst, src, 0, imm), instruction(0, 0, 0, 0, 0)];
}

/**
 * `return bpf_for_each_map_elem(map, callback, NULL, 0)`, then the callback `return 0`: for an array
 * map the helper visits every slot, so the program returns the map's size. Slots 0–7 are the
 * program, 8–9 the callback; the kernel finds it at the function load's slot (2) + imm + 1.
 */
const program = encode(
  ...wideLoad(1, 1, map.fd),
  ...wideLoad(2, 4, 5),
  movImm(3, 0),
  movImm(4, 0),
  instruction(0x85, 0, 0, 0, FOR_EACH_MAP_ELEM),
  exit(),
  movImm(0, 0),
  exit(),
);
const CALLBACK_SLOT = 8;

function spec(functions?: ProgramSpec['functions']): ProgramSpec {
  return { name: 'kt_callback', type: ProgramType.RAW_TRACEPOINT, instructions: program, license: 'GPL', ...(functions ? { functions } : {}) };
}

test('the verifier refuses a callback address without func_info', () => {
  assert.throws(() => Program.load(spec()).close(), (error: unknown) =>
    error instanceof VerifierError && /func_info/.test(error.fullLog));
});

test('with program BTF and one func_info record per function, the program loads and its callback runs', () => {
  const builder = new ProgramBtfBuilder();
  const main = builder.func('kt_callback', 'program');
  const callback = builder.func('count_cb', 'map-callback');
  const btf = LoadedBtf.load(builder.build());
  let loaded: Program | undefined;
  try {
    loaded = Program.load(spec({ btfFd: btf.fd, records: [{ insnOffset: 0, typeId: main }, { insnOffset: CALLBACK_SLOT, typeId: callback }] }));
  } finally {
    btf.close();
  }
  try {
    // The program holds its own reference: it still runs after the BTF's fd is closed.
    assert.equal(progTestRunRawTracepoint(linuxSys(), loaded.fd, new BigUint64Array(1)), ENTRIES);
  } finally {
    loaded.close();
  }
});

test('a blob the kernel refuses is reported with its reason', () => {
  const truncated = new ProgramBtfBuilder();
  truncated.func('f', 'program');
  const blob = truncated.build();
  assert.throws(() => LoadedBtf.load(blob.subarray(0, blob.length - 4)).close(), (error: unknown) =>
    error instanceof SyscallError && error.code === 'EINVAL' && /program BTF/.test(error.message));
});
