// The probe kinds bpfscope knows, looked up by the name or alias a script uses (`t`, `kfunc`,
// `BEGIN`/`begin`). The compiler expands attach points through it; the runtime attaches through it.
import type { AttachPoint } from '../lang/index.js';
import { SpecialProvider } from './begin-end.js';
import { providerEnvironment, type ProviderEnvironment } from './environment.js';
import { FentryProvider } from './fentry.js';
import { HardwareProvider } from './hardware.js';
import { IntervalProvider } from './interval.js';
import { KprobeProvider } from './kprobe.js';
import { ProfileProvider } from './profile.js';
import { RawTracepointProvider } from './rawtracepoint.js';
import { SoftwareProvider } from './software.js';
import { TracepointProvider } from './tracepoint.js';
import { UprobeProvider } from './uprobe.js';
import { ProbeError, type AttachingProvider, type ExpandOptions, type ProbeTarget } from './provider.js';

export class ProviderRegistry {
  private readonly byName = new Map<string, AttachingProvider>();

  constructor(readonly providers: readonly AttachingProvider[]) {
    for (const provider of providers) {
      for (const name of [provider.name, ...provider.aliases]) {
        const taken = this.byName.get(name);
        if (taken !== undefined) throw new Error(`probe type name '${name}' is claimed by both ${taken.name} and ${provider.name}`);
        this.byName.set(name, provider);
      }
    }
  }

  lookup(name: string): AttachingProvider | undefined {
    return this.byName.get(name);
  }

  /** The provider for a script's spelling, or a ProbeError listing the known probe types. */
  expect(name: string): AttachingProvider {
    const provider = this.lookup(name);
    if (provider === undefined) {
      throw new ProbeError(`unknown probe type '${name}'`, `known probe types: ${this.providers.map((p) => p.name).join(', ')}`);
    }
    return provider;
  }

  expand(point: AttachPoint, options: ExpandOptions): ProbeTarget[] {
    return this.expect(point.provider).expand(point, options);
  }
}

/** Every probe kind, reading the running machine (or the sources given in `overrides`). */
export function defaultProviders(overrides: Partial<ProviderEnvironment> = {}): ProviderRegistry {
  const env = providerEnvironment(overrides);
  return new ProviderRegistry([
    new SpecialProvider('BEGIN'),
    new SpecialProvider('END'),
    new TracepointProvider(env),
    new RawTracepointProvider(env),
    new KprobeProvider(env, 'kprobe'),
    new KprobeProvider(env, 'kretprobe'),
    new UprobeProvider(env, 'uprobe'),
    new UprobeProvider(env, 'uretprobe'),
    new FentryProvider(env, 'fentry'),
    new FentryProvider(env, 'fexit'),
    new ProfileProvider(env),
    new IntervalProvider(env),
    new SoftwareProvider(env),
    new HardwareProvider(env),
  ]);
}
