// Attaching a loaded script's programs to their targets through the probe providers, and detaching
// them. BEGIN and END are not attached anywhere: the session runs their programs itself, once, at the
// start and at the end (they are raw-tracepoint programs run through BPF_PROG_TEST_RUN).
import type { CompiledScript } from '../compiler/compiled-script.js';
import type { ConcurrentDetach, Link } from '../kernel/index.js';
import type { AttachingProvider, AttachOptions, ProbeTarget } from '../providers/index.js';
import { AttachError } from './errors.js';
import { probeLabel, probeLocation, type LoadedProgram } from './loaded-script.js';

/** The part of a probe provider the runtime needs: attaching, and explaining load failures. */
export type Attacher = Pick<AttachingProvider, 'attach' | 'explainLoadError'>;

/** Finds the provider of a target by its canonical name (`ProviderRegistry.lookup` fits). */
export type AttacherLookup = (provider: string) => Attacher | undefined;

export type SpecialProbe = 'begin' | 'end';

/** BEGIN/END (and their lowercase spellings), which the session runs rather than attaches. */
export function specialProbe(target: ProbeTarget): SpecialProbe | undefined {
  const name = target.provider.toLowerCase();
  return name === 'begin' || name === 'end' ? name : undefined;
}

/** Every target of the script counts, BEGIN and END included, as in bpftrace's "Attaching N probes...". */
export function probeCount(programs: readonly LoadedProgram[]): number {
  return programs.reduce((total, { compiled }) => total + compiled.targets.length, 0);
}

/** Programs that run at BEGIN or at END, in probe order. */
export function specialPrograms(programs: readonly LoadedProgram[], which: SpecialProbe): LoadedProgram[] {
  return programs
    .filter(({ compiled }) => compiled.targets.some((target) => specialProbe(target) === which))
    .sort((a, b) => a.compiled.probeIndex - b.compiled.probeIndex);
}

export interface DetachFailure {
  readonly probe: string;
  readonly error: unknown;
}

export class Attachment {
  private links: Link[] = [];

  /**
   * Attaches every non-special target, or a program's one hook when it serves its targets from there.
   * On failure, detaches what was attached and throws AttachError, located in `script`.
   */
  attachAll(script: CompiledScript, programs: readonly LoadedProgram[], lookup: AttacherLookup, options: AttachOptions): void {
    for (const { compiled, program } of programs) {
      for (const target of compiled.hook === undefined ? compiled.targets : [compiled.hook]) {
        if (specialProbe(target) !== undefined) continue;
        try {
          const attacher = lookup(target.provider);
          if (attacher === undefined) throw new Error(`no provider can attach ${target.provider} probes`);
          this.links.push(attacher.attach(program.fd, target, options));
        } catch (error) {
          this.detachAll();
          const cause = error instanceof Error ? error : new Error(String(error));
          // A hook is how bpfscope serves the user's probes; the error names the probes they wrote.
          const probe = target === compiled.hook ? probeLabel(compiled) : target.name;
          throw new AttachError(probe, cause, probeLocation(script, compiled, target));
        }
      }
    }
  }

  get attached(): number {
    return this.links.length;
  }

  /**
   * Detaches every link at once, on worker threads (FdLink says why that is faster): `stopped`
   * settles once no program runs, so the maps are final, and `detached` once everything is released.
   * detachAll() afterwards finds nothing left to do.
   */
  detachConcurrently(): { stopped: Promise<DetachFailure[]>; detached: Promise<DetachFailure[]> } {
    const runs = this.links.map((link) => ({ link, run: link.detachConcurrently() }));
    const failures = async (part: keyof ConcurrentDetach): Promise<DetachFailure[]> => {
      const results = await Promise.allSettled(runs.map(({ run }) => run[part]));
      return results.flatMap((result, i) => (result.status === 'rejected' ? [{ probe: runs[i].link.description, error: result.reason }] : []));
    };
    return { stopped: failures('stopped'), detached: failures('detached') };
  }

  /** Detaches every link, newest first; a failure does not stop the others. */
  detachAll(): DetachFailure[] {
    const failures: DetachFailure[] = [];
    for (const link of this.links.reverse()) {
      try {
        link.detach();
      } catch (error) {
        failures.push({ probe: link.description, error });
      }
    }
    this.links = [];
    return failures;
  }
}
