// Effective capabilities of this process, decoded from the CapEff mask in /proc/self/status.

/** Bit positions from include/uapi/linux/capability.h: a capability's number is its index here. */
const CAPABILITY_NAMES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;

/**
 * The capabilities a tracer needs: loading programs (CAP_BPF, or CAP_SYS_ADMIN before 5.8), perf events
 * and kernel memory reads (CAP_PERFMON), and tracefs, kallsyms and other processes' memory.
 */
export const TRACING_CAPABILITIES = ['CAP_BPF', 'CAP_PERFMON', 'CAP_SYS_ADMIN', 'CAP_SYS_PTRACE'] as const;

/** Names of the bits set in a hexadecimal capability mask; unknown bits are named by number. */
export function decodeCapabilities(mask: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; mask >> BigInt(bit) !== 0n; bit++) {
    if (((mask >> BigInt(bit)) & 1n) === 1n) names.push(CAPABILITY_NAMES[bit] ?? `capability ${bit}`);
  }
  return names;
}

/** The effective capabilities listed in a /proc/<pid>/status text, or undefined without a CapEff line. */
export function effectiveCapabilities(status: string): string[] | undefined {
  const match = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return match ? decodeCapabilities(BigInt(`0x${match[1]}`)) : undefined;
}

/**
 * Why this process may not load tracing programs, or undefined when it may: CAP_SYS_ADMIN grants
 * everything; otherwise it needs CAP_BPF and CAP_PERFMON (split out of CAP_SYS_ADMIN in Linux 5.8).
 */
export function bpfPrivilegeShortfall(status: string | undefined): string | undefined {
  const held = status === undefined ? undefined : effectiveCapabilities(status);
  if (held === undefined || held.includes('CAP_SYS_ADMIN')) return undefined;
  const missing = ['CAP_BPF', 'CAP_PERFMON'].filter((name) => !held.includes(name));
  return missing.length === 0 ? undefined : `this process lacks ${missing.join(' and ')} (run as root)`;
}
