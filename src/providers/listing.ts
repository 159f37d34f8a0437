// `bpfscope -l [PATTERN]` and `-lv`: which providers a pattern searches, and the text printed.
// A pattern is an attach point with wildcards (`tracepoint:syscalls:sys_enter_open*`, `*:*open*`,
// `kprobe`); as in bpftrace, a wildcard or missing provider part searches the kernel probe kinds, and
// user-space kinds only when a process or an existing binary gives them something to look in.
import { existsSync } from 'node:fs';
import { splitAttachPoint } from '../lang/index.js';
import { compareText, globMatcher, hasWildcard } from './attach-point.js';
import type { ProviderRegistry } from './registry.js';
import type { AttachingProvider, ListedProbe, ListOptions } from './provider.js';

export function listProbes(registry: ProviderRegistry, pattern: string | undefined, options: ListOptions): ListedProbe[] {
  const [providerPart, ...rest] = splitAttachPoint(pattern ?? '*');
  if (rest.length > 0 && !hasWildcard(providerPart)) return registry.expect(providerPart).list(rest, options);
  const providers = searchedProviders(registry, providerPart === '' ? '*' : providerPart, rest, options);
  // A lone word that names no probe kind (`-l '*open*'`) is a probe name to find in every kernel
  // kind, as bpftrace 0.17 searched it.
  if (providers.length === 0 && rest.length === 0) {
    return searchedProviders(registry, '*', [providerPart], options).flatMap((provider) => provider.list([providerPart], options));
  }
  return providers.flatMap((provider) => provider.list(rest, options));
}

/** Matching providers in name order, the order bpftrace prints probe kinds in. */
function searchedProviders(
  registry: ProviderRegistry, providerPattern: string, rest: readonly string[], options: ListOptions,
): AttachingProvider[] {
  const exact = !hasWildcard(providerPattern);
  const matches = globMatcher(providerPattern);
  const binaryGiven = rest.length > 1 && !hasWildcard(rest[0]) && existsSync(rest[0]);
  const userSpace = exact || options.pid !== undefined || binaryGiven;
  return registry.providers
    .filter((provider) => [provider.name, ...provider.aliases].some(matches))
    .filter((provider) => exact || provider.listing === 'kernel' || (provider.listing === 'userspace' && userSpace))
    .sort((a, b) => compareText(a.name, b.name));
}

/** `-l`/`-lv` output: one probe a line, `-lv` details indented by four spaces under it. */
export function formatListing(probes: readonly ListedProbe[]): string {
  return probes.map((probe) => [probe.name, ...(probe.details ?? []).map((line) => `    ${line}`)].join('\n') + '\n').join('');
}
