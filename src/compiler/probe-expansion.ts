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
  type ContextModel, type Dispatch, type ProbeProvider, type ProbeTarget, type ProgramKind, ProbeError,
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

/** Builtins whose value depends on the attach point's context layout. */
const CONTEXT_BUILTINS = /^(args|retval|arg\d+|sarg\d+|func)$/;

export function expandProbes(
  program: Program, options: CompileOptions, diagnostics: Diagnostic[], warnings: Diagnostic[],
): ProbeGroup[] {
  const groups: ProbeGroup[] = [];
  program.probes.forEach((probe, probeIndex) => {
    let usesContext = false;
    let usesProbe = false;
    forEachExpr(probe, (expr) => {
      if (expr.kind !== 'Identifier') return;
      if (CONTEXT_BUILTINS.test(expr.name)) usesContext = true;
      if (expr.name === 'probe') usesProbe = true;
    });
    const byKey = new Map<string, { provider: ProbeProvider; targets: ProbeTarget[]; names: Set<string> }>();
    // A target named by several attach points is located at the first.
    const spans = new Map<string, Span>();
    const absent: Diagnostic[] = [];
    for (const point of probe.attachPoints) {
      const expanded = expandPoint(point, options, diagnostics, absent);
      if (expanded === undefined) continue;
      for (const target of expanded.targets) {
        const key = `${expanded.provider.name}\0${expanded.provider.shareKey(target, usesContext)}`;
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
      const split = provider.dispatch?.(targets, usesContext) ?? { dispatches: [], rest: targets };
      for (const dispatch of split.dispatches) {
        groups.push(probeGroup(probe, probeIndex, provider, dispatch.targets, spans, dispatch));
      }
      const { rest } = split;
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
