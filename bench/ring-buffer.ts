// Ring-buffer throughput: how many records per second bpfscope's reader consumes with zero loss, for
// 16-byte and 256-byte records. The producer is a BPF program writing a batch of records per
// BPF_PROG_TEST_RUN call; the reader drains between batches, so nothing can be lost unless the reader is
// wrong — and loss is checked, not assumed.
import { performance } from 'node:perf_hooks';
import { MAX_BATCH, RingProducer, recordSequence } from '../src/kernel/testing/ring-producer.js';
import type { BenchResult } from './result.js';

const RING_SIZE = 4 * 1024 * 1024;

function measure(recordSize: number, total: number): BenchResult[] {
  const producer = new RingProducer(RING_SIZE);
  try {
    let expected = 0n;
    let outOfOrder = 0;
    const onRecord = (record: Uint8Array) => {
      if (recordSequence(record) !== expected) outOfOrder++;
      expected++;
    };
    let drainMs = 0;
    const start = performance.now();
    for (let sequence = 0; sequence < total; sequence += MAX_BATCH) {
      producer.produce(recordSize, Math.min(MAX_BATCH, total - sequence), sequence);
      const drainStart = performance.now();
      producer.reader.drain(onRecord);
      drainMs += performance.now() - drainStart;
    }
    const totalMs = performance.now() - start;
    const lost = producer.lost();
    if (lost !== 0n || expected !== BigInt(total) || outOfOrder !== 0) {
      throw new Error(`ring buffer lost ${lost}, delivered ${expected} of ${total}, ${outOfOrder} out of order`);
    }
    return [
      { name: `ring buffer, ${recordSize}-byte records: consumed per second (reader alone)`, value: total / (drainMs / 1000), unit: 'records/s' },
      { name: `ring buffer, ${recordSize}-byte records: produced and consumed per second`, value: total / (totalMs / 1000), unit: 'records/s' },
      { name: `ring buffer, ${recordSize}-byte records: lost`, value: Number(lost), unit: 'records' },
    ];
  } finally {
    producer.close();
  }
}

export function ringBufferBench(): BenchResult[] {
  measure(16, 200_000); // warm-up: let V8 optimise the reader before anything is timed
  return [...measure(16, 2_000_000), ...measure(256, 1_000_000)];
}
