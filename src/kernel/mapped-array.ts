// An ARRAY map created with BPF_F_MMAPABLE, its values mapped into our memory (5.5): user space reads
// and writes them with plain loads and stores, no system call, while BPF programs use the same words.
// bpfscope keeps the few words programs and the runtime signal each other with here (see
// abi/events.ts, CONTROL_WORDS), so the consumer can check them on every pass at no cost.
import { MAP_SHARED, PROT_READ, PROT_WRITE, linuxSys, type MappedRegion, type Sys } from '../sys/index.js';
import { pageSize } from './page-size.js';

export class MappedArray {
  private readonly region: MappedRegion;
  /** Every value of the map, back to back, as u64 words. */
  readonly words: BigUint64Array;
  private closed = false;

  /** `bytes` is value size × max entries; values of an mmapable array are laid out without gaps. */
  constructor(mapFd: number, bytes: number, private readonly sys: Sys = linuxSys()) {
    const page = pageSize();
    this.region = sys.mmap(Math.ceil(bytes / page) * page, PROT_READ | PROT_WRITE, MAP_SHARED, mapFd, 0);
    this.words = new BigUint64Array(this.region.buffer, 0, Math.floor(bytes / 8));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sys.munmap(this.region);
  }
}
