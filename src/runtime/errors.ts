// Errors of a run, each naming what the user wrote (a probe, a map) rather than a kernel object, and
// keeping the kernel's own error as `cause` for `-v`.
import { VerifierError } from '../kernel/index.js';

/** The kernel refused to create one of the script's maps. */
export class MapCreateError extends Error {
  override name = 'MapCreateError';

  constructor(readonly mapName: string, cause: Error) {
    super(`cannot create map ${mapName}: ${cause.message}`, { cause });
  }
}

/**
 * A probe's program did not load. When the verifier refused it, the message carries the verifier's
 * summary (the reason and the instruction it is about) and `verifierLog` the whole log.
 */
export class ProbeLoadError extends Error {
  override name = 'ProbeLoadError';

  /** The verifier's whole log, when the verifier refused the program. */
  readonly verifierLog: string | undefined;

  constructor(readonly probe: string, cause: Error) {
    super(ProbeLoadError.describe(probe, cause), { cause });
    this.verifierLog = cause instanceof VerifierError ? cause.fullLog : undefined;
  }

  private static describe(probe: string, cause: Error): string {
    if (!(cause instanceof VerifierError)) return `cannot load ${probe}: ${cause.message}`;
    const { lines, omitted } = cause.summary;
    const skipped = omitted > 0 ? [`  (${omitted} earlier ${omitted === 1 ? 'line' : 'lines'} of the verifier log omitted; -d verifier shows them)`] : [];
    return [`the kernel's verifier rejected ${probe} (${cause.code}):`, ...skipped, ...lines.map((line) => `  ${line}`)].join('\n');
  }
}

/** A target could not be attached; nothing of the run stays attached when this is thrown. */
export class AttachError extends Error {
  override name = 'AttachError';

  constructor(readonly probe: string, cause: Error) {
    super(`cannot attach ${probe}: ${cause.message}`, { cause });
  }
}

/** An option the run cannot honour (e.g. system() without --unsafe), found before touching the kernel. */
export class RunOptionError extends Error {
  override name = 'RunOptionError';
}
