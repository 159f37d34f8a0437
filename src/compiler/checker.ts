// Pass 2: name resolution and type inference over every probe group. It gives each expression a
// `ValueType`, fixes each `$variable`'s type per probe and each `@map`'s shape across the script, and
// reports what cannot compile (unknown names and fields, type mismatches, builtins outside the probes
// that have them).
//
// Maps are global and may be used before (in source order) the probe that assigns them, so the
// checker runs over the whole script until the map table stops changing, silently; then once more
// reporting every problem. Variables work the same way within one probe.
//
// The Checker holds that state and dispatches each expression to the file that types it:
// statement-checker.ts (statements, loops, `$variables`), operator-checker.ts (operators, indexing,
// tuples), identifier-checker.ts (builtins and constants), map-checker.ts (`@map` keys and values),
// type-expr-checker.ts (casts, sizeof, offsetof), call-checker.ts and member-access.ts.
import { type Diagnostic, type Expr, type Span, DiagnosticCode, error } from '../lang/index.js';
import { checkCall } from './call-checker.js';
import type { CompileOptions } from './compile-options.js';
import { checkIdentifier } from './identifier-checker.js';
import { checkMapRead } from './map-checker.js';
import { checkMemberAccess } from './member-access.js';
import type { MapTable } from './map-table.js';
import { checkBinary, checkIndex, checkTernary, checkTuple, checkTupleAccess, checkUnary } from './operator-checker.js';
import type { ProbeGroup } from './probe-expansion.js';
import { checkStatement, checkUpdate, readVariable } from './statement-checker.js';
import { checkCast, checkOffsetof, checkSizeof } from './type-expr-checker.js';
import type { TypeUniverse } from './type-universe.js';
import { type ValueType, int64, isScalar, noneType, valueTypeName } from './value-types.js';

/** What the code generator needs to know about one program. */
export interface GroupAnalysis {
  readonly group: ProbeGroup;
  readonly types: Map<Expr, ValueType>;
  /** Every `$variable` of the probe with its storage type. */
  readonly variables: Map<string, ValueType>;
  /** Expressions known at compile time: literals folded, `$1`, `sizeof`, enum constants. */
  readonly constants: Map<Expr, bigint | string>;
}

/** Where the statements checked so far in the current probe have left it (statement-checker.ts). */
export interface ProbeScope {
  /** The `$variables` assigned so far, in source order. */
  readonly assigned: Set<string>;
  loopDepth: number;
  /** Nesting of `for` bodies, which are callbacks: `return` cannot leave the probe from one. */
  forDepth: number;
}

const MAX_PASSES = 6;

export class Checker {
  strict = false;
  readonly diagnostics: Diagnostic[] = [];
  /** Printed before the run, as bpftrace 0.17 prints its semantic warnings on stderr. */
  readonly warnings: Diagnostic[] = [];
  unsafeUsed = false;
  scope: ProbeScope = { assigned: new Set(), loopDepth: 0, forDepth: 0 };
  private state!: GroupAnalysis;
  /**
   * The integer type each `$variable` was first assigned, before it was widened for storage: bpftrace
   * names a variable's type so in its warnings (`unsigned int32`). Kept across passes.
   */
  private readonly firstIntTypes = new WeakMap<GroupAnalysis, Map<string, ValueType>>();

  constructor(
    readonly options: CompileOptions,
    readonly universe: TypeUniverse,
    readonly maps: MapTable,
    readonly macros: ReadonlyMap<string, bigint>,
  ) {}

  /** Checks every group to a fixed point, then once more reporting problems. */
  run(groups: readonly ProbeGroup[]): GroupAnalysis[] {
    const states = groups.map((group): GroupAnalysis => ({ group, types: new Map(), variables: new Map(), constants: new Map() }));
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const before = this.signature(states);
      for (const state of states) this.checkGroup(state);
      if (this.signature(states) === before) break;
    }
    this.strict = true;
    for (const state of states) this.checkGroup(state);
    return states;
  }

  private signature(states: readonly GroupAnalysis[]): string {
    const replacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
    const variables = states.map((s) => [...s.variables.entries()].map(([n, t]) => `${n}:${valueTypeName(t)}`).join(','));
    return JSON.stringify([this.maps.all().map((m) => [m.name, m.keyType, m.value]), variables], replacer);
  }

  private checkGroup(state: GroupAnalysis): void {
    this.state = state;
    state.types.clear();
    state.constants.clear();
    this.scope = { assigned: new Set(), loopDepth: 0, forDepth: 0 };
    const { probe } = state.group;
    if (probe.predicate !== null) this.expectScalar(probe.predicate, 'a predicate');
    checkStatement(this, probe.body);
  }

  get group(): ProbeGroup {
    return this.state.group;
  }

  get types(): Map<Expr, ValueType> {
    return this.state.types;
  }

  get constants(): Map<Expr, bigint | string> {
    return this.state.constants;
  }

  /** The current probe's `$variables` with their storage types. */
  get variables(): Map<string, ValueType> {
    return this.state.variables;
  }

  /** The current probe's `$variables` with the integer type each was first assigned. */
  get firstInts(): Map<string, ValueType> {
    let types = this.firstIntTypes.get(this.state);
    if (types === undefined) {
      types = new Map();
      this.firstIntTypes.set(this.state, types);
    }
    return types;
  }

  fail(code: DiagnosticCode, message: string, at: Span, hints: readonly string[] = []): ValueType {
    if (this.strict && !this.diagnostics.some((d) => d.span.start === at.start && d.message === message)) {
      this.diagnostics.push(error(code, message, at, hints));
    }
    return noneType;
  }

  check(expr: Expr): ValueType {
    const type = this.infer(expr);
    this.state.types.set(expr, type);
    return type;
  }

  expectScalar(expr: Expr, what: string): ValueType {
    const type = this.check(expr);
    if (type.kind !== 'none' && !isScalar(type)) {
      this.fail(DiagnosticCode.TypeMismatch, `${what} must be an integer, not ${valueTypeName(type)}`, expr.span);
    }
    return type;
  }

  /** The value of a constant integer expression (literals, `$1`, arithmetic on them), if it is one. */
  constantInt(expr: Expr): bigint | undefined {
    this.check(expr);
    const value = this.state.constants.get(expr);
    return typeof value === 'bigint' ? value : undefined;
  }

  private infer(expr: Expr): ValueType {
    switch (expr.kind) {
      case 'Integer':
        this.constants.set(expr, expr.value);
        return int64;
      case 'Boolean':
        this.constants.set(expr, expr.value ? 1n : 0n);
        return int64;
      case 'String':
        this.constants.set(expr, expr.value);
        return { kind: 'string', size: Buffer.byteLength(expr.value) + 1 };
      case 'PositionalParam': {
        const text = this.options.params?.[expr.index - 1];
        if (text !== undefined && !/^-?\d+$/.test(text) && !/^0x[0-9a-f]+$/i.test(text)) {
          this.constants.set(expr, text);
          return { kind: 'string', size: Buffer.byteLength(text) + 1 };
        }
        this.constants.set(expr, text === undefined ? 0n : BigInt(text));
        return int64;
      }
      case 'ParamCount':
        this.constants.set(expr, BigInt(this.options.params?.length ?? 0));
        return int64;
      case 'Variable': return readVariable(this, expr);
      case 'Map': case 'MapAccess': return checkMapRead(this, expr);
      case 'Identifier': return checkIdentifier(this, expr);
      case 'Call': return checkCall(this, expr, 'value');
      case 'Unary': return checkUnary(this, expr);
      case 'Update': return checkUpdate(this, expr);
      case 'Binary': return checkBinary(this, expr);
      case 'Ternary': return checkTernary(this, expr);
      case 'Cast': return checkCast(this, expr);
      case 'FieldAccess': return checkMemberAccess(this, expr);
      case 'TupleAccess': return checkTupleAccess(this, expr);
      case 'Index': return checkIndex(this, expr);
      case 'Tuple': return checkTuple(this, expr);
      case 'Sizeof': return checkSizeof(this, expr);
      case 'Offsetof': return checkOffsetof(this, expr);
    }
  }
}
