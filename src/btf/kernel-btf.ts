// The running kernel's BTF, read once per process and path.

import { readFileSync } from 'node:fs';
import { Btf } from './btf.js';
import { BtfError } from './errors.js';

export const KERNEL_BTF_PATH = '/sys/kernel/btf/vmlinux';

const loaded = new Map<string, Btf>();

export function loadKernelBtf(path = KERNEL_BTF_PATH): Btf {
  let btf = loaded.get(path);
  if (btf === undefined) {
    btf = new Btf(readBtfFile(path));
    loaded.set(path, btf);
  }
  return btf;
}

function readBtfFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    const hint = path === KERNEL_BTF_PATH ? ' (is the kernel built with CONFIG_DEBUG_INFO_BTF=y?)' : '';
    throw new BtfError(`cannot read BTF from ${path}: ${code}${hint}`, { cause });
  }
}
