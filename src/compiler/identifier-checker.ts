// Typing of bare identifiers: builtins (`pid`, `comm`, `curtask`, `retval` … from builtins.ts), some
// of them constants this compilation already knows (`ncpus`, `cpid`, `probe`), and #define and enum
// constants, which are plain integers.
import { type Identifier, DiagnosticCode } from '../lang/index.js';
import { KNOWN_BUILTINS, builtinType } from './builtins.js';
import type { CType } from './c-types.js';
import type { Checker } from './checker.js';
import { argFieldType, suggest } from './member-access.js';
import { type ValueType, int64 } from './value-types.js';

export function checkIdentifier(checker: Checker, expr: Identifier): ValueType {
  const { name } = expr;
  const { group, options } = checker;
  const result = builtinType(name, {
    context: () => group.context,
    provider: group.provider.name,
    taskStruct: () => taskStruct(checker),
    cpid: options.cpid,
  });
  if (result !== undefined) {
    if ('error' in result) return checker.fail(DiagnosticCode.BuiltinNotAvailable, result.error, expr.span, result.hint ? [result.hint] : []);
    if (name === 'ncpus') {
      const count = cpuCount(options.ncpus);
      if (typeof count === 'string') return checker.fail(DiagnosticCode.BuiltinNotAvailable, `ncpus is unknown: ${count}`, expr.span);
      checker.constants.set(expr, BigInt(count));
    }
    if (name === 'cpid' && options.cpid !== undefined) checker.constants.set(expr, BigInt(options.cpid));
    // A selecting program serves many targets and reads which one fired at run time.
    if (name === 'probe' && group.dispatch?.selection === undefined) checker.constants.set(expr, group.targets[0].name);
    // fexit knows the return value's type from BTF; other return probes see a plain u64.
    const typedRetval = name === 'retval' ? group.context.retvalField : undefined;
    return typedRetval === undefined ? result.type : argFieldType(checker, typedRetval);
  }
  const macro = checker.macros.get(name) ?? checker.universe.enumConstant(name);
  if (macro !== undefined) {
    checker.constants.set(expr, macro);
    return int64;
  }
  const known = [...KNOWN_BUILTINS, ...checker.macros.keys()];
  return checker.fail(DiagnosticCode.UnknownBuiltin, `unknown identifier '${name}'`, expr.span, suggest(name, known));
}

function taskStruct(checker: Checker): CType | undefined {
  const record = checker.universe.record('struct', 'task_struct');
  return record === undefined ? undefined : { kind: 'record', record };
}

/** The CPU count for `ncpus`, or why it is not known. */
function cpuCount(ncpus: (() => number) | undefined): number | string {
  if (ncpus === undefined) return 'the compiler was not told the number of CPUs';
  try {
    return ncpus();
  } catch (cause) {
    return cause instanceof Error ? cause.message : String(cause);
  }
}
