// Linux errno numbers (asm-generic, shared by x86_64 and arm64) with their names and a generic hint for
// the ones tracing tools meet. Callers that know more (e.g. "kprobes are not built into this kernel")
// attach a more precise hint of their own.

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG', 8: 'ENOEXEC',
  9: 'EBADF', 10: 'ECHILD', 11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY',
  17: 'EEXIST', 19: 'ENODEV', 20: 'ENOTDIR', 22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 25: 'ENOTTY',
  28: 'ENOSPC', 34: 'ERANGE', 38: 'ENOSYS', 61: 'ENODATA', 75: 'EOVERFLOW', 95: 'EOPNOTSUPP',
  524: 'ENOTSUPP',
};

const ERRNO_HINTS: Record<string, string> = {
  EPERM: 'the kernel refused the operation: run as root (CAP_BPF + CAP_PERFMON), and check lockdown or LSM policy',
  EACCES: 'the verifier or a security policy refused access; see the verifier log',
  ENOENT: 'the kernel object does not exist (no such tracepoint, symbol or map entry)',
  EINVAL: 'the kernel rejected an argument; the feature may be missing on this kernel version',
  E2BIG: 'the request is larger than the kernel accepts (program too long, or attribute too new for this kernel)',
  ENOMEM: 'the kernel could not allocate memory (map too large, or memory cgroup limit reached)',
  ENOSPC: 'the verifier log or a map is full',
  EBUSY: 'the resource is already in use',
  EEXIST: 'already attached or already exists',
  ENOSYS: 'this kernel has no such system call (built without CONFIG_BPF_SYSCALL?)',
  EOPNOTSUPP: 'this kernel does not support the operation',
  ENOTSUPP: 'this kernel does not support the operation',
  EMFILE: 'too many open files: raise the limit with `ulimit -n`',
  ENODEV: 'no such device or PMU on this kernel',
};

export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

export function errnoNumber(name: string): number | undefined {
  const entry = Object.entries(ERRNO_NAMES).find(([, n]) => n === name);
  return entry ? Number(entry[0]) : undefined;
}

export function errnoHint(errno: number): string | undefined {
  return ERRNO_HINTS[errnoName(errno)];
}
