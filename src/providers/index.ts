// providers: one file per probe kind, from attach-point text to attached program — expanding
// wildcards (tracefs, BTF, kallsyms, ELF symbols), the program type and context model the compiler
// needs, attaching through kernel/links, and `-l` listing. Owns probe-kind knowledge and nothing
// else: it must not import the compiler, the runtime or anything above them, and it reaches the
// kernel only through kernel/ and sys/.
export * from './provider.js';
export { ProviderRegistry, defaultProviders } from './registry.js';
export { providerEnvironment, type ProviderEnvironment } from './environment.js';
export { listProbes, formatListing } from './listing.js';
export { parseInteger } from './attach-point.js';
export { registerLayout, type RegisterLayout } from './registers.js';
export { SpecialProvider, type SpecialProbe } from './begin-end.js';
export { TracepointProvider } from './tracepoint.js';
export { RawTracepointProvider } from './rawtracepoint.js';
export { KprobeProvider, type KprobeKind } from './kprobe.js';
export { UprobeProvider, type UprobeKind } from './uprobe.js';
export { FentryProvider } from './fentry.js';
export { IntervalProvider } from './interval.js';
export { ProfileProvider } from './profile.js';
export { SoftwareProvider, SOFTWARE_COUNTERS } from './software.js';
export { HardwareProvider, HARDWARE_COUNTERS } from './hardware.js';
