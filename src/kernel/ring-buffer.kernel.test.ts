import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RECORD, RingProducer, recordSequence } from './testing/ring-producer.js';

const RING_SIZE = 16 * 1024;
const sizeOf = (sequence: number) => 8 + ((sequence * 40) % (MAX_RECORD - 8));

async function withProducer(run: (producer: RingProducer) => void | Promise<void>): Promise<void> {
  const producer = new RingProducer(RING_SIZE);
  try {
    await run(producer);
  } finally {
    producer.close();
  }
}

test('delivers every record, in order, with its size, across many wrap-arounds', async () => {
  await withProducer((producer) => {
    const seen: Array<[number, number]> = [];
    const collect = (record: Uint8Array) => seen.push([Number(recordSequence(record)), record.byteLength]);
    const total = 2000;
    for (let sequence = 0; sequence < total; sequence++) {
      producer.produce(sizeOf(sequence), 1, sequence);
      if (sequence % 10 === 9) producer.reader.drain(collect);
    }
    producer.reader.drain(collect);
    assert.equal(producer.lost(), 0n);
    assert.equal(seen.length, total);
    seen.forEach(([sequence, length], index) => {
      assert.equal(sequence, index);
      assert.equal(length, sizeOf(index));
    });
    assert.equal(producer.reader.pending(), 0);
  });
});

test('a consumer that stops reading yields an exact lost count', async () => {
  await withProducer((producer) => {
    const total = 500; // far more 264-byte records than 16 KiB holds
    producer.produce(MAX_RECORD, total, 0);
    let delivered = 0;
    producer.reader.drain((record) => {
      assert.equal(recordSequence(record), BigInt(delivered));
      delivered++;
    });
    assert.ok(delivered > 0 && delivered < total);
    assert.equal(BigInt(delivered) + producer.lost(), BigInt(total));
  });
});

test('waitForData() returns while a record is pending, even once its wake-up was taken', async () => {
  await withProducer(async (producer) => {
    producer.produce(16, 1, 1);
    assert.equal(await producer.reader.waitForWakeUp(1000), true);
    assert.equal(await producer.reader.waitForData(1000), true);
    assert.equal(producer.reader.drain(() => {}), 1);
    assert.equal(await producer.reader.waitForData(20), false, 'nothing pending, nothing sent');
  });
});

test('waitForWakeUp() sleeps through records sent without a wake-up and returns at the next one', async () => {
  await withProducer(async (producer) => {
    producer.produce(16, 1, 1); // the consumer has caught up: the kernel's adaptive rule wakes it
    assert.equal(await producer.reader.waitForWakeUp(1000), true);
    assert.equal(await producer.reader.waitForWakeUp(20), false, 'the pending record alone does not end the wait');
    producer.produce(16, 1, 2); // behind the unread record: no wake-up
    assert.equal(await producer.reader.waitForWakeUp(20), false);
    assert.equal(producer.reader.drain(() => {}), 2);
    producer.produce(16, 1, 3);
    assert.equal(await producer.reader.waitForWakeUp(1000), true);
  });
});

test('interrupt() ends a wait in progress, and every later one, with nothing sent', { timeout: 30_000 }, async () => {
  await withProducer(async (producer) => {
    const waiting = producer.reader.waitForData(600_000);
    producer.reader.interrupt();
    assert.equal(await waiting, true);
    assert.equal(await producer.reader.waitForWakeUp(600_000), true);
    assert.equal(producer.reader.drain(() => {}), 0);
  });
});
