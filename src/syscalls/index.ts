// syscalls: the kernel ABI's system call numbering per architecture, as data. Imports nothing else
// in bpfscope, so any layer may use it.
export { syscallTable, SyscallTable, type CompatMarker, type SyscallEntry, type SyscallRegisters } from './syscall-table.js';
