import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assembler, Helper, R0, R1, R2, R3, R4, R6, R10, encode } from '../asm/index.js';
import {
  MapType, ProgramType, linuxSys, mapCreate, mapLookup, progLoad, progTestRunRawTracepoint,
} from '../sys/index.js';
import { RingBufferReader } from './ring-buffer.js';

const sys = linuxSys();
const RING_SIZE = 16 * 1024;
const MAX_RECORD = 256;

/**
 * A raw tracepoint program run through BPF_PROG_TEST_RUN with context [size, sequence]: it writes one
 * record of `size` bytes starting with `sequence`, and counts in the `lost` array map every record the
 * ring buffer refused.
 */
function producerProgram(): Assembler {
  const b = new Assembler();
  b.mov64(R6, R1);
  for (let offset = -MAX_RECORD; offset < 0; offset += 8) b.st('dw', R10, offset, 0);
  b.ldx('dw', R1, R6, 8).stx('dw', R10, -MAX_RECORD, R1);
  b.ldx('dw', R3, R6, 0);
  b.jmp('gt', R3, MAX_RECORD, 'out').jmp('lt', R3, 8, 'out');
  b.ldMap(R1, 'ring').mov64(R2, R10).add64(R2, -MAX_RECORD).mov64(R4, 0).call(Helper.ringbuf_output);
  b.jmp('eq', R0, 0, 'out');
  b.st('w', R10, -MAX_RECORD - 4, 0);
  b.ldMap(R1, 'lost').mov64(R2, R10).add64(R2, -MAX_RECORD - 4).call(Helper.map_lookup_elem);
  b.jmp('eq', R0, 0, 'out');
  b.mov64(R1, 1).atomic('add', 'dw', R0, 0, R1);
  b.label('out').mov64(R0, 0).exit();
  return b;
}

type Run = (produce: (size: number, sequence: number) => void, lost: () => bigint, reader: RingBufferReader) => void | Promise<void>;

async function withProducer(run: Run): Promise<void> {
  const ring = mapCreate(sys, { type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: RING_SIZE, name: 'ring' });
  const lostMap = mapCreate(sys, { type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, name: 'lost' });
  const fds: Record<string, number> = { ring, lost: lostMap };
  const { bytes } = encode(producerProgram().instructions(), (name) => fds[name]);
  const prog = progLoad(sys, { type: ProgramType.RAW_TRACEPOINT, instructions: bytes, license: 'GPL', name: 'ring_test' });
  const reader = new RingBufferReader(ring, RING_SIZE, sys);
  try {
    await run(
      (size, sequence) => progTestRunRawTracepoint(sys, prog, BigUint64Array.of(BigInt(size), BigInt(sequence))),
      () => {
        const value = new Uint8Array(8);
        mapLookup(sys, lostMap, new Uint8Array(4), value);
        return new DataView(value.buffer).getBigUint64(0, true);
      },
      reader,
    );
  } finally {
    reader.close();
    for (const fd of [prog, ring, lostMap]) sys.close(fd);
  }
}

const firstWord = (record: Uint8Array) => new DataView(record.buffer, record.byteOffset).getBigUint64(0, true);
const sizeOf = (sequence: number) => 8 + ((sequence * 40) % (MAX_RECORD - 8));

test('delivers every record, in order, with its size, across many wrap-arounds', async () => {
  await withProducer((produce, lost, reader) => {
    const seen: Array<[number, number]> = [];
    const collect = (record: Uint8Array) => seen.push([Number(firstWord(record)), record.byteLength]);
    const total = 2000;
    for (let sequence = 0; sequence < total; sequence++) {
      produce(sizeOf(sequence), sequence);
      if (sequence % 10 === 9) {
        reader.drain(collect);
      }
    }
    reader.drain(collect);
    assert.equal(lost(), 0n);
    assert.equal(seen.length, total);
    seen.forEach(([sequence, length], index) => {
      assert.equal(sequence, index);
      assert.equal(length, sizeOf(index));
    });
    assert.equal(reader.pending(), 0);
  });
});

test('a consumer that stops reading yields an exact lost count', async () => {
  await withProducer((produce, lost, reader) => {
    const total = 500; // far more than fits in 16 KiB of 264-byte records
    for (let sequence = 0; sequence < total; sequence++) produce(MAX_RECORD, sequence);
    let delivered = 0;
    let expected = 0;
    reader.drain((record) => {
      assert.equal(firstWord(record), BigInt(expected++));
      delivered++;
    });
    assert.ok(delivered > 0 && delivered < total);
    assert.equal(BigInt(delivered) + lost(), BigInt(total));
  });
});

test('wait() wakes up when a record is submitted', async () => {
  await withProducer(async (produce, _lost, reader) => {
    produce(16, 1);
    assert.equal(await reader.wait(1000), true);
    assert.equal(reader.drain(() => {}), 1);
  });
});
