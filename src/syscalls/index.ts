// syscalls: the kernel ABI's system call numbering and saved-register layout (pt_regs) per
// architecture, as data. Imports nothing else in bpfscope, so any layer may use it.
export { ptRegsNames, ptRegsOffset } from './pt-regs.js';
export { syscallTable, SyscallTable, type CompatMarker, type SyscallEntry, type SyscallRegisters } from './syscall-table.js';
