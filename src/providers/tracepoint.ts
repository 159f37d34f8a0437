// tracepoint: the kernel's static trace events (`tracepoint:sched:sched_switch`,
// `tracepoint:syscalls:sys_enter_*`), found in tracefs. A TRACEPOINT program's context is the
// event's record, laid out as the event's `format` file says; `args` are its non-common fields.
import type { AttachPoint } from '../lang/index.js';
import { attachTracepoint } from '../kernel/links/tracepoint-link.js';
import type { Link } from '../kernel/links/link.js';
import type { TracepointField, TracepointName } from '../kernel/tracefs.js';
import { ProgramType } from '../sys/index.js';
import { syscallTable, type SyscallTable } from '../syscalls/index.js';
import { argsKey, detailString, expectParts, globMatcher, hasWildcard, readSource, target } from './attach-point.js';
import type { ProviderEnvironment } from './environment.js';
import {
  ProbeError, type ArgField, type AttachingProvider, type ContextModel, type ContextUse, type DispatchSplit, type ListedProbe,
  type ListOptions, type ProbeTarget, type ProgramKind,
} from './provider.js';
import { SyscallDispatcher } from './syscall-dispatch.js';

const USAGE = 'tracepoint:CATEGORY:EVENT';

export class TracepointProvider implements AttachingProvider {
  readonly name = 'tracepoint';
  readonly aliases = ['t'];
  readonly listing = 'kernel';
  private readonly syscalls: SyscallDispatcher;

  /** `syscalls`: this machine's system call numbering, without which no syscall event is dispatched. */
  constructor(private readonly env: ProviderEnvironment, syscalls: SyscallTable | undefined = syscallTable()) {
    this.syscalls = new SyscallDispatcher(env, syscalls);
  }

  expand(point: AttachPoint): ProbeTarget[] {
    const [category, event] = tracepointParts(point);
    const matches = readSource(point, () => this.listEvents(category, event));
    if (matches.length === 0) {
      throw new ProbeError(
        `tracepoint not found: ${category}:${event}`,
        `list the tracepoints with: bpfscope -l 'tracepoint:${category}:*'`,
        true,
      );
    }
    return matches.map((found) =>
      target(this.name, `tracepoint:${found.category}:${found.name}`, { category: found.category, event: found.name }));
  }

  /**
   * Events matching the globs, sorted. The syscalls category holds one event per system call, fixed
   * when the kernel boots, and listing its ~720 entries is ~1.3 ms of a `syscalls:sys_enter_*`
   * wildcard's start-up, so its names are kept per boot; a named syscall event is looked up there
   * too, so a run that reads no `args` of one never touches tracefs (mount check and stat, ~0.5 ms).
   */
  private listEvents(category: string, event: string): TracepointName[] {
    if (category !== 'syscalls') return this.env.tracefs().listEvents(category, event);
    const names = this.env.bootFact('tracepoints:syscalls', () => this.env.tracefs().listEvents(category).map((found) => found.name), isStringArray);
    return names.filter(globMatcher(event)).map((name) => ({ category, name }));
  }

  programKind(): ProgramKind {
    return { programType: ProgramType.TRACEPOINT };
  }

  context(probe: ProbeTarget): ContextModel {
    const category = detailString(probe, 'category');
    const format = this.env.tracefs().eventFormat(category, detailString(probe, 'event'));
    // The syscalls category records the system call's own arguments, so its pointers are user pointers.
    const userPointers = category === 'syscalls';
    return {
      args: format.fields.filter((field) => !field.isCommon).map((field) => argField(field, userPointers)),
      userSpace: false,
    };
  }

  /**
   * Without `args` every tracepoint program is the same program; with them, programs share when the
   * fields the probe names (all of them, when it uses `args` otherwise) are laid out alike.
   */
  shareKey(probe: ProbeTarget, use: ContextUse): string {
    return use.context ? argsKey(this.name, this.readArgs(probe, use)) : this.name;
  }

  /** `syscalls:*` events attach to the raw sys_enter/sys_exit tracepoints (see syscall-dispatch.ts). */
  dispatch(targets: readonly ProbeTarget[], use: ContextUse): DispatchSplit {
    return this.syscalls.split(targets, use, (probe) => this.readArgs(probe, use));
  }

  /** The fields a probe reads: those it names (a missing one is the checker's to report), or all. */
  private readArgs(probe: ProbeTarget, use: ContextUse): readonly ArgField[] {
    const { args } = this.context(probe);
    const named = use.argsFields;
    return named === undefined ? args : args.filter((field) => named.has(field.name));
  }

  attach(programFd: number, probe: ProbeTarget): Link {
    const tracefs = this.env.tracefs();
    return attachTracepoint(
      this.env.sys(), { fd: programFd }, detailString(probe, 'category'), detailString(probe, 'event'),
      { eventId: (category, event) => tracefs.eventId(category, event) },
    );
  }

  list(parts: readonly string[], options: ListOptions): ListedProbe[] {
    const [category, event] = parts.length >= 2 ? parts : ['*', parts[0] ?? '*'];
    const tracefs = this.env.tracefs();
    return tracefs.listEvents(category, event).map((found) => {
      const name = `tracepoint:${found.category}:${found.name}`;
      if (!options.verbose) return { name };
      const fields = tracefs.eventFormat(found.category, found.name).fields.filter((field) => !field.isCommon);
      return { name, details: fields.map(fieldDeclaration) };
    });
  }
}

/** `CATEGORY:EVENT`; a lone wildcard event searches every category (`tracepoint:*open*`). */
function tracepointParts(point: AttachPoint): [string, string] {
  if (point.parts.length === 1 && hasWildcard(point.parts[0])) return ['*', point.parts[0]];
  expectParts(point, 2, 2, USAGE);
  const [category, event] = point.parts;
  if (category === '' || event === '') throw new ProbeError(`${point.raw}: empty tracepoint category or event`, `write it as ${USAGE}`);
  return [category, event];
}

function argField(field: TracepointField, userPointers: boolean): ArgField {
  return {
    name: field.name,
    cType: field.type,
    offset: field.offset,
    size: field.size,
    signed: field.signed,
    dataLoc: field.dataLoc === 'data_loc',
    userPointer: userPointers && field.type.trimEnd().endsWith('*'),
  };
}

/** The field as `-lv` prints it: `int dfd`, `char prev_comm[16]`, `__data_loc char[] filename`. */
export function fieldDeclaration(field: TracepointField): string {
  if (field.dataLoc !== undefined) return `__${field.dataLoc} ${field.type} ${field.name}`;
  const array = /^(.*?)\s*(\[[^\]]*\])$/.exec(field.type);
  return array === null ? `${field.type} ${field.name}` : `${array[1]} ${field.name}${array[2]}`;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
