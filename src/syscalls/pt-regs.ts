// `struct pt_regs`, the registers of a task as the kernel saves them on entry: what system call
// tracepoints pass (their arguments and number are in it) and what reg("name") reads in a probe.
// Kernel ABI per architecture, so it is data; field names are the kernel's, as bpftrace's reg() takes.

/** x86_64: 8-byte fields in this order (arch/x86/include/asm/ptrace.h). */
const X86_64_REGISTERS: readonly string[] = [
  'r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di',
  'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss',
];

const REGISTERS_BY_ARCH: Partial<Record<NodeJS.Architecture, readonly string[]>> = { x64: X86_64_REGISTERS };

/** The register names of an architecture's pt_regs, in order, when bpfscope knows them. */
export function ptRegsNames(arch: NodeJS.Architecture = process.arch): readonly string[] | undefined {
  return REGISTERS_BY_ARCH[arch];
}

/** The byte offset of a register in pt_regs, or undefined when the architecture has no such register. */
export function ptRegsOffset(name: string, arch: NodeJS.Architecture = process.arch): number | undefined {
  const index = REGISTERS_BY_ARCH[arch]?.indexOf(name) ?? -1;
  return index < 0 ? undefined : index * 8;
}
