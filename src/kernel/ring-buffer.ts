// User-space consumer of a BPF_MAP_TYPE_RINGBUF map (5.8), reading the kernel's pages directly.
//
// Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (we write it), page 1 the producer
// position (read-only), then the data area, mapped twice in a row so a record that wraps past the end is
// still contiguous in our view. Each record starts with an 8-byte header: u32 length with BUSY (bit 31,
// still being written) and DISCARD (bit 30) flags, u32 page offset; records are padded to 8 bytes.
//
// Records the BPF side could not reserve never reach the ring; counting them is the BPF program's job
// (bpfscope's code generator increments a per-CPU counter when bpf_ringbuf_reserve returns NULL).
import { MAP_SHARED, PROT_READ, PROT_WRITE, linuxSys, type MappedRegion, type Sys } from '../sys/index.js';
import { pageSize } from './page-size.js';

const BUSY_BIT = 0x80000000;
const DISCARD_BIT = 0x40000000;
const HEADER_SIZE = 8;
const PUBLISH_EVERY = 256;

/** Called with a view of one record's bytes, valid only during the call (it points into the ring). */
export type RecordHandler = (record: Uint8Array) => void;

export class RingBufferReader {
  private readonly consumerPage: MappedRegion;
  private readonly producerPages: MappedRegion;
  private readonly consumerPosition: BigUint64Array;
  private readonly producerPosition: BigUint64Array;
  private readonly data: Uint8Array;
  private readonly dataView: DataView;
  private readonly mask: number;
  private epollFd = -1;
  /** An eventfd in the epoll set, which interrupt() makes readable. */
  private interruptFd = -1;
  private closed = false;

  /** `dataSize` is the map's max_entries: a power of two, a multiple of the page size. */
  constructor(readonly mapFd: number, readonly dataSize: number, private readonly sys: Sys = linuxSys()) {
    const page = pageSize();
    if (dataSize <= 0 || dataSize % page !== 0 || (dataSize & (dataSize - 1)) !== 0) {
      throw new RangeError(`ring buffer size ${dataSize} must be a power of two and a multiple of ${page}`);
    }
    this.consumerPage = sys.mmap(page, PROT_READ | PROT_WRITE, MAP_SHARED, mapFd, 0);
    try {
      this.producerPages = sys.mmap(page + 2 * dataSize, PROT_READ, MAP_SHARED, mapFd, page);
    } catch (error) {
      sys.munmap(this.consumerPage);
      throw error;
    }
    // 64-bit typed-array elements: the kernel reads and writes these positions as whole u64 words.
    this.consumerPosition = new BigUint64Array(this.consumerPage.buffer, 0, 1);
    this.producerPosition = new BigUint64Array(this.producerPages.buffer, 0, 1);
    this.data = new Uint8Array(this.producerPages.buffer, page, 2 * dataSize);
    this.dataView = new DataView(this.producerPages.buffer, page, 2 * dataSize);
    this.mask = dataSize - 1;
  }

  /**
   * Hands every committed record to `onRecord` in order, skipping discarded ones, and frees their space.
   * Returns the number of records delivered. Stops at a record still being written.
   */
  drain(onRecord: RecordHandler): number {
    // Positions are u64 byte counters; below 2^53 (decades at any realistic rate) they fit a number.
    let consumer = Number(this.consumerPosition[0]);
    const producer = Number(this.producerPosition[0]);
    let delivered = 0;
    while (consumer < producer) {
      const offset = consumer & this.mask;
      const header = this.dataView.getUint32(offset, true);
      if (header & BUSY_BIT) break;
      const length = header & ~(BUSY_BIT | DISCARD_BIT);
      if (!(header & DISCARD_BIT)) {
        onRecord(this.data.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + length));
        delivered++;
      }
      consumer += (length + HEADER_SIZE + 7) & ~7;
      // Publishing as we go lets the producer reuse the space while we handle the rest of a long batch.
      if (delivered % PUBLISH_EVERY === 0) this.consumerPosition[0] = BigInt(consumer);
    }
    this.consumerPosition[0] = BigInt(consumer);
    return delivered;
  }

  /** Bytes committed by the producer and not yet consumed. */
  pending(): number {
    return Number(this.producerPosition[0] - this.consumerPosition[0]);
  }

  /**
   * Resolves at the next wake-up the kernel sends for this ring (one sent since the previous wait
   * counts), at interrupt(), or after `timeoutMs`, whatever is pending meanwhile. The wait is edge-triggered, so
   * records submitted without a wake-up let the consumer sleep and collect them in one batch; it runs
   * epoll_wait on a worker thread, so Node's event loop keeps running.
   */
  async waitForWakeUp(timeoutMs: number): Promise<boolean> {
    return (await this.sys.epollWait(this.epoll(), 1, timeoutMs)).length > 0;
  }

  /**
   * Like waitForWakeUp, but returns at once when a record is pending. Registering the ring anew makes
   * the kernel issue a full barrier and poll it: a consumer that stores a word producers read (asking
   * to be woken) and then calls this cannot miss a record whose producer read the word too early.
   */
  async waitForData(timeoutMs: number): Promise<boolean> {
    this.sys.epollModify(this.epoll(), this.mapFd, 0, true);
    return this.waitForWakeUp(timeoutMs);
  }

  /**
   * Makes a wait in progress, and every later one, return at once. A stopping run needs it: the
   * worker thread of a wait outlives the wait's promise, and the process cannot exit (nor the thread
   * serve another call) until epoll_wait returns, up to its whole timeout later.
   */
  interrupt(): void {
    if (this.interruptFd >= 0 && !this.closed) this.sys.eventfdWrite(this.interruptFd, 1n);
  }

  private epoll(): number {
    if (this.epollFd < 0) {
      const epfd = this.sys.epollCreate();
      let interruptFd = -1;
      try {
        this.sys.epollAdd(epfd, this.mapFd, 0, true);
        interruptFd = this.sys.eventfd();
        this.sys.epollAdd(epfd, interruptFd, 1);
      } catch (error) {
        if (interruptFd >= 0) this.sys.close(interruptFd);
        this.sys.close(epfd);
        throw error;
      }
      this.epollFd = epfd;
      this.interruptFd = interruptFd;
    }
    return this.epollFd;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.epollFd >= 0) this.sys.close(this.epollFd);
    if (this.interruptFd >= 0) this.sys.close(this.interruptFd);
    this.sys.munmap(this.producerPages);
    this.sys.munmap(this.consumerPage);
  }
}
