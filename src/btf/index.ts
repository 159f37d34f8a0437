// btf: parsing of BTF blobs (the kernel's /sys/kernel/btf/vmlinux or any raw .BTF section) and queries
// over the types in them — lookup by id or name, layout (sizes, member offsets, bitfields), function
// and tp_btf prototypes, C rendering; and the encoding of small blobs, such as the BTF that programs with
// callbacks are loaded with. Pure: reads files with node:fs and nothing else; must not import
// sys/, kernel/ or anything above them, so the compiler can use it unprivileged.

export { Btf } from './btf.js';
export type { ArrayInfo, FunctionPrototype, MemberLocation } from './btf.js';
export { BtfWriter, type WriterIntOptions, type WriterMember } from './btf-writer.js';
export { BtfError, BtfNotFoundError } from './errors.js';
export { KERNEL_BTF_PATH, loadKernelBtf } from './kernel-btf.js';
export { type FunctionInfo, type FunctionSignature, ProgramBtfBuilder } from './program-btf.js';
export type * from './types.js';
