// Facts about the running system that decide what tracing can do: kernel release, BTF, lockdown,
// this process's capabilities, tracefs, and the sysctls that gate BPF and perf events. All are file
// reads, cheap enough to repeat, so they are never cached (tracefs may get mounted meanwhile).
import { findTracefs, tracefsMountable } from '../kernel/tracefs-mount.js';
import { effectiveCapabilities } from './capabilities.js';
import { hostEnvironment, type ProbeEnvironment } from './environment.js';
import { available, type Feature, unavailable } from './feature.js';

export const KERNEL_BTF_FILE = '/sys/kernel/btf/vmlinux';
const LOCKDOWN_FILE = '/sys/kernel/security/lockdown';

/**
 * The architecture Node runs as, spelt as `uname -m` spells the common ones; others as process.arch
 * names them. node:os's machine() would ask the kernel, but loading node:os costs ~0.4 ms of every
 * start, and this is only shown by --info.
 */
const UNAME_MACHINE: Partial<Record<NodeJS.Architecture, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' };

export interface SystemInfo {
  /** uname -r, e.g. "6.18.44-fc-v657". */
  readonly release: string;
  /** The release's leading numeric version, e.g. "6.18.44". */
  readonly version: string;
  readonly arch: string;
  /** Changes at every boot; with the release it keys the on-disk probe cache. */
  readonly bootId: string | null;
  readonly btf: boolean;
  /** none, integrity or confidentiality; null when securityfs is not mounted, so it cannot be read. */
  readonly lockdown: string | null;
  /** Effective capability names; null when /proc/self/status has no CapEff line. */
  readonly capabilities: readonly string[] | null;
  readonly tracefs: { readonly mountPoint: string | null; readonly mountable: boolean };
  readonly jitEnabled: boolean | null;
  readonly unprivilegedBpfDisabled: number | null;
  readonly kptrRestrict: number | null;
  readonly perfEventParanoid: number | null;
}

function readNumber(env: ProbeEnvironment, path: string): number | null {
  const text = env.readText(path)?.trim();
  return text === undefined || !/^-?\d+$/.test(text) ? null : Number(text);
}

/** The bracketed word of /sys/kernel/security/lockdown, e.g. "none [integrity] confidentiality". */
export function parseLockdown(text: string): string | null {
  return /\[(\w+)\]/.exec(text)?.[1] ?? null;
}

function readLockdown(env: ProbeEnvironment): string | null {
  const text = env.readText(LOCKDOWN_FILE);
  if (text !== undefined) return parseLockdown(text);
  // securityfs mounted without a lockdown file: the kernel has no lockdown LSM, so nothing is locked.
  const securityfsMounted = (env.readText('/proc/mounts') ?? '').split('\n').some((line) => line.split(' ')[2] === 'securityfs');
  return securityfsMounted ? 'none' : null;
}

export function readSystemInfo(env: ProbeEnvironment = hostEnvironment()): SystemInfo {
  const release = env.readText('/proc/sys/kernel/osrelease')?.trim() ?? 'unknown';
  const status = env.readText('/proc/self/status');
  const jit = readNumber(env, '/proc/sys/net/core/bpf_jit_enable');
  return {
    release,
    version: /^\d+(\.\d+)*/.exec(release)?.[0] ?? release,
    arch: UNAME_MACHINE[process.arch] ?? process.arch,
    bootId: env.readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null,
    btf: env.exists(KERNEL_BTF_FILE),
    lockdown: readLockdown(env),
    capabilities: status === undefined ? null : (effectiveCapabilities(status) ?? null),
    tracefs: { mountPoint: findTracefs(env) ?? null, mountable: tracefsMountable(env) },
    jitEnabled: jit === null ? null : jit > 0,
    unprivilegedBpfDisabled: readNumber(env, '/proc/sys/kernel/unprivileged_bpf_disabled'),
    kptrRestrict: readNumber(env, '/proc/sys/kernel/kptr_restrict'),
    perfEventParanoid: readNumber(env, '/proc/sys/kernel/perf_event_paranoid'),
  };
}

/** Kernel BTF in sysfs (Linux 5.4): needed for tp_btf, fentry/fexit and typed struct access. */
export function haveKernelBtf(env: ProbeEnvironment = hostEnvironment()): Feature {
  return env.exists(KERNEL_BTF_FILE)
    ? available('5.4')
    : unavailable('5.4', `no ${KERNEL_BTF_FILE}: the kernel is built without CONFIG_DEBUG_INFO_BTF`);
}
