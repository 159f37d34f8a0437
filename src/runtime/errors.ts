// Errors of a run, each naming what the user wrote (a probe, a map) rather than a kernel object, and
// keeping the kernel's own error as `cause` for `-v`.
import { VerifierError } from '../kernel/index.js';
import { DiagnosticCode, type Source, type Span } from '../lang/index.js';

/** The kernel refused to create one of the script's maps. */
export class MapCreateError extends Error {
  override name = 'MapCreateError';

  constructor(readonly mapName: string, cause: Error) {
    super(`cannot create map ${mapName}: ${cause.message}`, { cause });
  }
}

/** Where in the script a run error is about: the attach points of the probe the kernel refused. */
export interface ScriptLocation {
  readonly source: Source;
  readonly span: Span;
}

/**
 * The kernel refused a probe, at load or at attach time. The message is `headline`, then `details`
 * (lines quoted from the kernel) when there are any; with a `location` the CLI shows it in the script,
 * as it shows compile errors.
 */
export abstract class ProbeRefusedError extends Error {
  /** Named so, not `code`, which Node's errors use for errno names. */
  abstract readonly diagnosticCode: DiagnosticCode;

  protected constructor(
    readonly probe: string,
    readonly headline: string,
    readonly details: readonly string[],
    readonly location: ScriptLocation | undefined,
    cause: Error,
  ) {
    super(details.length === 0 ? headline : [`${headline}:`, ...details].join('\n'), { cause });
  }
}

/**
 * A probe's program did not load. When the verifier refused it, the details are the verifier's
 * summary (the reason and the instruction it is about) and `verifierLog` the whole log.
 */
export class ProbeLoadError extends ProbeRefusedError {
  override name = 'ProbeLoadError';
  readonly diagnosticCode = DiagnosticCode.ProgramRejected;

  /** The verifier's whole log, when the verifier refused the program. */
  readonly verifierLog: string | undefined;

  constructor(probe: string, cause: Error, location?: ScriptLocation) {
    if (cause instanceof VerifierError) {
      const { lines, omitted } = cause.summary;
      const skipped = omitted > 0 ? [`  (${omitted} earlier ${omitted === 1 ? 'line' : 'lines'} of the verifier log omitted; -d verifier shows them)`] : [];
      super(probe, `the kernel's verifier rejected ${probe} (${cause.code})`, [...skipped, ...lines.map((line) => `  ${line}`)], location, cause);
    } else {
      super(probe, `cannot load ${probe}: ${cause.message}`, [], location, cause);
    }
    this.verifierLog = cause instanceof VerifierError ? cause.fullLog : undefined;
  }
}

/** A target could not be attached; nothing of the run stays attached when this is thrown. */
export class AttachError extends ProbeRefusedError {
  override name = 'AttachError';
  readonly diagnosticCode = DiagnosticCode.AttachFailed;

  constructor(probe: string, cause: Error, location?: ScriptLocation) {
    super(probe, `cannot attach ${probe}: ${cause.message}`, [], location, cause);
  }
}

/** An option the run cannot honour (e.g. system() without --unsafe), found before touching the kernel. */
export class RunOptionError extends Error {
  override name = 'RunOptionError';
}
