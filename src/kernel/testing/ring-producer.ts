// A ring-buffer producer for tests and benchmarks: a raw tracepoint program run through
// BPF_PROG_TEST_RUN with context [size, count, firstSequence]. Each run writes `count` records (at most
// MAX_BATCH) of `size` bytes, each starting with its u64 sequence number, and counts every record the
// ring buffer refused in the `lost` array map — the same accounting bpfscope's generated code does.
import { Assembler, Helper, R0, R1, R2, R3, R4, R6, R7, R8, R10, encode } from '../../asm/index.js';
import {
  MapType, ProgramType, linuxSys, mapCreate, mapLookup, progLoad, progTestRunRawTracepoint, type Sys,
} from '../../sys/index.js';
import { RingBufferReader } from '../ring-buffer.js';

export const MAX_RECORD = 256;
export const MAX_BATCH = 1024;
const LOST_KEY_SLOT = -MAX_RECORD - 8;

function producerProgram(): Assembler {
  const b = new Assembler();
  b.mov64(R6, R1);
  for (let offset = -MAX_RECORD; offset < 0; offset += 8) b.st('dw', R10, offset, 0);
  b.ldx('dw', R7, R6, 8); // count
  b.jmp('gt', R7, MAX_BATCH, 'out');
  b.ldx('dw', R8, R6, 16); // sequence
  b.label('loop').jmp('eq', R7, 0, 'out');
  b.stx('dw', R10, -MAX_RECORD, R8);
  b.ldx('dw', R3, R6, 0);
  b.jmp('gt', R3, MAX_RECORD, 'out').jmp('lt', R3, 8, 'out');
  b.ldMap(R1, 'ring').mov64(R2, R10).add64(R2, -MAX_RECORD).mov64(R4, 0).call(Helper.ringbuf_output);
  b.jmp('eq', R0, 0, 'next');
  b.st('w', R10, LOST_KEY_SLOT, 0);
  b.ldMap(R1, 'lost').mov64(R2, R10).add64(R2, LOST_KEY_SLOT).call(Helper.map_lookup_elem);
  b.jmp('eq', R0, 0, 'next');
  b.mov64(R1, 1).atomic('add', 'dw', R0, 0, R1);
  b.label('next').add64(R8, 1).sub64(R7, 1).ja('loop');
  b.label('out').mov64(R0, 0).exit();
  return b;
}

export class RingProducer {
  readonly reader: RingBufferReader;
  private readonly fds: { ring: number; lost: number; prog: number };

  constructor(ringSize: number, private readonly sys: Sys = linuxSys()) {
    const ring = mapCreate(sys, { type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: ringSize, name: 'ring' });
    const lost = mapCreate(sys, { type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1, name: 'lost' });
    const maps: Record<string, number> = { ring, lost };
    const { bytes } = encode(producerProgram().instructions(), (name) => maps[name]);
    const prog = progLoad(sys, { type: ProgramType.RAW_TRACEPOINT, instructions: bytes, license: 'GPL', name: 'ring_producer' });
    this.fds = { ring, lost, prog };
    this.reader = new RingBufferReader(ring, ringSize, sys);
  }

  /** Writes `count` records of `size` bytes numbered from `firstSequence`, in one system call. */
  produce(size: number, count: number, firstSequence: number): void {
    progTestRunRawTracepoint(this.sys, this.fds.prog, BigUint64Array.of(BigInt(size), BigInt(count), BigInt(firstSequence)));
  }

  /** Records the ring buffer refused so far. */
  lost(): bigint {
    const value = new Uint8Array(8);
    mapLookup(this.sys, this.fds.lost, new Uint8Array(4), value);
    return new DataView(value.buffer).getBigUint64(0, true);
  }

  close(): void {
    this.reader.close();
    for (const fd of [this.fds.prog, this.fds.ring, this.fds.lost]) this.sys.close(fd);
  }
}

/** The sequence number a producer record starts with. */
export function recordSequence(record: Uint8Array): bigint {
  return new DataView(record.buffer, record.byteOffset, record.byteLength).getBigUint64(0, true);
}
