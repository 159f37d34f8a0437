// The kernel's page size, which ring buffer sizes must be a multiple of.
//
// Node has no sysconf(_SC_PAGESIZE), and only src/sys may reach libc, so it is read from the auxiliary
// vector the kernel hands every process: /proc/self/auxv is a list of (u64 type, u64 value) pairs.
// x86 always uses 4 KiB pages, but arm64 kernels may be built with 16 or 64 KiB pages.
import { readFileSync } from 'node:fs';

const AT_NULL = 0n;
const AT_PAGESZ = 6n;
const FALLBACK_PAGE_SIZE = 4096;

export function parseAuxvPageSize(auxv: Uint8Array): number | undefined {
  const view = new DataView(auxv.buffer, auxv.byteOffset, auxv.byteLength);
  for (let offset = 0; offset + 16 <= auxv.byteLength; offset += 16) {
    const type = view.getBigUint64(offset, true);
    if (type === AT_NULL) return undefined;
    if (type === AT_PAGESZ) return Number(view.getBigUint64(offset + 8, true));
  }
  return undefined;
}

let cached: number | undefined;

/** Reading the auxiliary vector costs ~0.7 ms of start-up, which x86_64's fixed page size spares. */
export function pageSize(arch: NodeJS.Architecture = process.arch): number {
  if (arch === 'x64' || arch === 'ia32') return FALLBACK_PAGE_SIZE;
  cached ??= parseAuxvPageSize(readFileSync('/proc/self/auxv')) ?? FALLBACK_PAGE_SIZE;
  return cached;
}
