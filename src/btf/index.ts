// btf: parsing of BTF blobs (the kernel's /sys/kernel/btf/vmlinux or any raw .BTF section) and queries
// over the types in them — lookup by id or name, layout (sizes, member offsets, bitfields), function
// and tp_btf prototypes, C rendering. Pure: reads files with node:fs and nothing else; must not import
// sys/, kernel/ or anything above them, so the compiler can use it unprivileged.

export { Btf } from './btf.js';
export type { ArrayInfo, FunctionPrototype, MemberLocation } from './btf.js';
export { BtfError, BtfNotFoundError } from './errors.js';
export { KERNEL_BTF_PATH, loadKernelBtf } from './kernel-btf.js';
export type * from './types.js';
