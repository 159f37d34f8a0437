// Pass 1: attach points → concrete targets through the providers, grouped into the programs that
// will be compiled. Targets share a program when their provider says their contexts are identical
// (`shareKey`). The provider may then serve several of them from one attachment (`dispatch`), and
// such a program finds out at run time which target fired, `probe` included. Otherwise targets
// never share when the probe uses `probe`, whose value is then a constant of each program.
//
// An attach point naming a function or event that does not exist here is skipped with a warning
// when another attach point of its probe matches, as bpftrace 0.17 does: tools list the symbols of
// several library and kernel versions (sslsnoop's libcrypto functions), and only some exist.
import {
  type AttachPoint, type Diagnostic, type Probe, type Program, type Span, DiagnosticCode, error,
} from '../lang/index.js';
import {
  type ContextModel, type ContextUse, type Dispatch, type ProbeProvider, type ProbeTarget, type ProgramKind, ProbeError,
} from '../providers/provider.js';
import { forEachExpr } from './ast-walk.js';
import type { CompileOptions } from './compile-options.js';

/** One program to generate: a probe's body specialised for targets that share a context. */
export interface ProbeGroup {
  readonly probe: Probe;
  readonly probeIndex: number;
  readonly provider: ProbeProvider;
  readonly targets: readonly ProbeTarget[];
  /** The span of the attach point each target came from, parallel to `targets`. */
  readonly targetSpans: readonly Span[];
  readonly context: ContextModel;
  readonly kind: ProgramKind;
  /** Set when one attachment serves all the targets; `probe` is then known only at run time. */
  readonly dispatch?: Dispatch;
}

/**
 * Every program on a dispatch hook runs for every event there (each system call, for the raw
 * sys_enter hook: ~15 ns apiece), so past this many the targets keep hooks of their own, however
 * slow those are to detach. A probe reading `args` of events laid out in many ways makes one
 * program per layout.
 */
const MAX_PROGRAMS_PER_HOOK = 8;

/** Builtins whose value depends on the attach point's context layout. */
const CONTEXT_BUILTINS = /^(args|retval|arg\d+|sarg\d+|func)$/;

/** What the probe reads of its context: builtins, `args` fields, the kernel stack. */
function contextUse(probe: Probe): ContextUse {
  let context = false;
  let kernelStack = false;
  let argsUses = 0;
  const argsFields = new Set<string>();
  forEachExpr(probe, (expr) => {
    if (expr.kind === 'Identifier') {
      if (CONTEXT_BUILTINS.test(expr.name)) context = true;
      if (expr.name === 'args') argsUses++;
      if (expr.name === 'kstack' || expr.name === 'stack') kernelStack = true;
    } else if (expr.kind === 'Call' && expr.callee === 'kstack') {
      kernelStack = true;
    } else if (expr.kind === 'FieldAccess' && expr.object.kind === 'Identifier' && expr.object.name === 'args') {
      argsFields.add(expr.field);
      argsUses--;
    }
  });
  // Every use of `args` named a field: only those fields matter to which targets can share.
  return { context, kernelStack, ...(argsUses === 0 ? { argsFields } : {}) };
}

export function expandProbes(
  program: Program, options: CompileOptions, diagnostics: Diagnostic[], warnings: Diagnostic[],
): ProbeGroup[] {
  const groups: ProbeGroup[] = [];
  const hookPrograms = new Map<string, number>();
  program.probes.forEach((probe, probeIndex) => {
    const use = contextUse(probe);
    let usesProbe = false;
    forEachExpr(probe, (expr) => {
      if (expr.kind === 'Identifier' && expr.name === 'probe') usesProbe = true;
    });
    const byKey = new Map<string, { provider: ProbeProvider; targets: ProbeTarget[]; names: Set<string> }>();
    // A target named by several attach points is located at the first.
    const spans = new Map<string, Span>();
    const absent: Diagnostic[] = [];
    for (const point of probe.attachPoints) {
      const expanded = expandPoint(point, options, diagnostics, absent);
      if (expanded === undefined) continue;
      for (const target of expanded.targets) {
        const key = `${expanded.provider.name}\0${expanded.provider.shareKey(target, use)}`;
        const group = byKey.get(key) ?? { provider: expanded.provider, targets: [], names: new Set<string>() };
        // A set, not a search of the targets: `sys_enter_*` expands to ~360.
        if (!group.names.has(target.name)) {
          group.names.add(target.name);
          group.targets.push(target);
        }
        if (!spans.has(target.name)) spans.set(target.name, point.span);
        byKey.set(key, group);
      }
    }
    if (byKey.size === 0) diagnostics.push(...absent);
    else warnings.push(...absent.map((d) => ({ ...d, severity: 'warning' as const, message: `${d.message}; skipped`, hints: [] })));
    for (const { provider, targets } of byKey.values()) {
      const split = provider.dispatch?.(targets, use) ?? { dispatches: [], rest: targets };
      const rest = [...split.rest];
      for (const dispatch of split.dispatches) {
        const onHook = hookPrograms.get(dispatch.hook.name) ?? 0;
        if (onHook >= MAX_PROGRAMS_PER_HOOK) {
          rest.push(...dispatch.targets);
          continue;
        }
        hookPrograms.set(dispatch.hook.name, onHook + 1);
        groups.push(probeGroup(probe, probeIndex, provider, dispatch.targets, spans, dispatch));
      }
      const programs = usesProbe ? rest.map((target) => [target]) : rest.length > 0 ? [rest] : [];
      for (const own of programs) groups.push(probeGroup(probe, probeIndex, provider, own, spans));
    }
  });
  return groups;
}

function probeGroup(
  probe: Probe, probeIndex: number, provider: ProbeProvider, targets: readonly ProbeTarget[],
  spans: ReadonlyMap<string, Span>, dispatch?: Dispatch,
): ProbeGroup {
  const [first] = targets;
  let context: ContextModel | undefined;
  return {
    probe,
    probeIndex,
    provider,
    targets,
    // A provider's dispatch hands back the targets it was given, so each has a span; the probe's is a fallback.
    targetSpans: targets.map((target) => spans.get(target.name) ?? probe.span),
    // Worked out on first use: a tracepoint's is a read of its format file, which waits on the
    // kernel's event mutex while other tracers attach or detach, and a probe without args never needs it.
    get context(): ContextModel {
      context ??= provider.context(first);
      return context;
    },
    kind: dispatch?.kind ?? provider.programKind(first),
    ...(dispatch === undefined ? {} : { dispatch }),
  };
}

/** Reports a point that matches nothing into `diagnostics`, or into `absent` when it may be skipped. */
function expandPoint(
  point: AttachPoint,
  options: CompileOptions,
  diagnostics: Diagnostic[],
  absent: Diagnostic[],
): { provider: ProbeProvider; targets: ProbeTarget[] } | undefined {
  const provider = options.providers(point.provider);
  if (provider === undefined) {
    diagnostics.push(error(DiagnosticCode.UnknownProbe, `unknown probe type '${point.provider}'`, point.span));
    return undefined;
  }
  try {
    const targets = provider.expand(point, options.pid === undefined ? {} : { pid: options.pid });
    if (targets.length === 0) {
      diagnostics.push(error(DiagnosticCode.UnknownProbe, `no probes match '${point.raw}'`, point.span));
      return undefined;
    }
    return { provider, targets };
  } catch (caught) {
    if (!(caught instanceof ProbeError)) throw caught;
    const found = error(DiagnosticCode.UnknownProbe, caught.message, point.span, caught.hint === undefined ? [] : [caught.hint]);
    (caught.absent ? absent : diagnostics).push(found);
    return undefined;
  }
}
