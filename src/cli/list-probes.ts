// `bpfscope -l [PATTERN]` and `-lv`: the probes the providers can attach to, one a line, sorted as
// bpftrace sorts them; a pattern that matches nothing prints nothing.
import { defaultProviders, formatListing, listProbes } from '../providers/index.js';

export interface ListOptions {
  readonly pattern: string | undefined;
  readonly verbose: boolean;
  readonly pid?: number;
}

export function listProbeNames(options: ListOptions): void {
  const probes = listProbes(defaultProviders(), options.pattern, {
    verbose: options.verbose,
    ...(options.pid === undefined ? {} : { pid: options.pid }),
  });
  process.stdout.write(formatListing(probes));
}
