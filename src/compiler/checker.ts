// Pass 2: name resolution and type inference over every probe group. It gives each expression a
// `ValueType`, fixes each `$variable`'s type per probe and each `@map`'s shape across the script, and
// reports what cannot compile (unknown names and fields, type mismatches, builtins outside the probes
// that have them).
//
// Maps are global and may be used before (in source order) the probe that assigns them, so the
// checker runs over the whole script until the map table stops changing, silently; then once more
// reporting every problem. Variables work the same way within one probe.
import {
  type Assignment, type Binary, type BinaryOperator, type Diagnostic, type Expr, type For, type MapAccess, type MapRef,
  type Span, type Statement, DiagnosticCode, error, isBuiltinName,
} from '../lang/index.js';
import { checkAddressOf } from './address-checker.js';
import { builtinType } from './builtins.js';
import { checkCall } from './call-checker.js';
import { type CField, type CType, cSizeOf } from './c-types.js';
import type { CompileOptions } from './compile-options.js';
import { argFieldType, checkMemberAccess, fieldValueType, isObjectInMemory, suggest } from './member-access.js';
import { type MapTable, mapValueName, readType } from './map-table.js';
import type { ProbeGroup } from './probe-expansion.js';
import { type Operand, signWarnings } from './sign-warnings.js';
import type { TypeUniverse } from './type-universe.js';
import {
  type ValueType, int64, isScalar, isStorable, isUserAddress, noneType, storageType, uint64, unify, valueTypeName,
} from './value-types.js';

/** What the code generator needs to know about one program. */
export interface GroupAnalysis {
  readonly group: ProbeGroup;
  readonly types: Map<Expr, ValueType>;
  /** Every `$variable` of the probe with its storage type. */
  readonly variables: Map<string, ValueType>;
  /** Expressions known at compile time: literals folded, `$1`, `sizeof`, enum constants. */
  readonly constants: Map<Expr, bigint | string>;
}

const MAX_PASSES = 6;

export class Checker {
  strict = false;
  readonly diagnostics: Diagnostic[] = [];
  /** Printed before the run, as bpftrace 0.17 prints its semantic warnings on stderr. */
  readonly warnings: Diagnostic[] = [];
  unsafeUsed = false;
  private state!: GroupAnalysis;
  private assigned = new Set<string>();
  private loopDepth = 0;
  /** Nesting of `for` bodies, which are callbacks: `return` cannot leave the probe from one. */
  private forDepth = 0;
  /**
   * The integer type each `$variable` was first assigned, before it was widened for storage: bpftrace
   * names a variable's type so in its warnings (`unsigned int32`).
   */
  private readonly firstIntTypes = new WeakMap<GroupAnalysis, Map<string, ValueType>>();

  constructor(
    readonly options: CompileOptions,
    readonly universe: TypeUniverse,
    readonly maps: MapTable,
    private readonly macros: ReadonlyMap<string, bigint>,
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

  get group(): ProbeGroup {
    return this.state.group;
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
    this.assigned = new Set();
    this.loopDepth = 0;
    this.forDepth = 0;
    const { probe } = state.group;
    if (probe.predicate !== null) this.expectScalar(probe.predicate, 'a predicate');
    this.statement(probe.body);
  }

  fail(code: DiagnosticCode, message: string, at: Span, hints: readonly string[] = []): ValueType {
    if (this.strict && !this.diagnostics.some((d) => d.span.start === at.start && d.message === message)) {
      this.diagnostics.push(error(code, message, at, hints));
    }
    return noneType;
  }

  // ---- statements ----------------------------------------------------------------------------------

  statement(statement: Statement): void {
    switch (statement.kind) {
      case 'Block':
        for (const inner of statement.statements) this.statement(inner);
        return;
      case 'ExprStatement':
        if (statement.expr.kind === 'Call') checkCall(this, statement.expr, 'statement');
        else this.check(statement.expr);
        return;
      case 'Assignment':
        this.assignment(statement);
        return;
      case 'VarDecl': {
        const declared = statement.type === null ? undefined : this.resolveType(statement.type);
        const value = statement.value === null ? undefined : this.check(statement.value);
        const type = declared ?? value;
        if (type !== undefined) this.assignVariable(statement.variable.name, type, statement.span);
        return;
      }
      case 'If':
        this.expectScalar(statement.condition, 'a condition');
        this.statement(statement.then);
        if (statement.else !== null) this.statement(statement.else);
        return;
      case 'Unroll': {
        const count = this.constantInt(statement.count);
        if (count === undefined || count < 1n || count > 100n) {
          this.fail(DiagnosticCode.NotConstant, 'unroll count must be a constant between 1 and 100', statement.count.span);
        }
        this.statement(statement.body);
        return;
      }
      case 'While':
        this.expectScalar(statement.condition, 'a condition');
        this.loopDepth++;
        this.statement(statement.body);
        this.loopDepth--;
        return;
      case 'For':
        this.forLoop(statement);
        return;
      case 'Break': case 'Continue':
        if (this.loopDepth === 0) {
          this.fail(DiagnosticCode.MisplacedStatement, `${statement.kind.toLowerCase()} outside of a loop`, statement.span);
        }
        return;
      case 'Return':
        if (this.forDepth > 0) {
          this.fail(DiagnosticCode.MisplacedStatement, "'return' is not allowed in a for loop", statement.span, ['use break to leave the loop']);
        }
        if (statement.value !== null) this.check(statement.value);
        return;
    }
  }

  /**
   * `for ($kv : @map)`: `$kv` is a (key, value) tuple, the key itself a tuple for several keys. As in
   * bpftrace, it and the variables first assigned in the body exist only inside the loop.
   */
  private forLoop(statement: For): void {
    const { variable, iterable } = statement;
    if (iterable.kind === 'Range') {
      this.fail(DiagnosticCode.Unsupported, 'for loops over a range are not supported yet', iterable.span, ['use while']);
      return;
    }
    if (this.assigned.has(variable.name)) {
      this.fail(DiagnosticCode.TypeMismatch, `the loop variable ${variable.name} would hide the variable of that name`, variable.span);
    }
    const pair = this.iterationType(iterable);
    const before = new Set(this.assigned);
    const previous = this.state.variables.get(variable.name);
    this.state.variables.set(variable.name, pair);
    this.types.set(variable, pair);
    this.assigned.add(variable.name);
    this.loopDepth++;
    this.forDepth++;
    this.statement(statement.body);
    this.loopDepth--;
    this.forDepth--;
    if (previous === undefined) this.state.variables.delete(variable.name);
    else this.state.variables.set(variable.name, previous);
    for (const name of this.assigned) if (!before.has(name)) this.assigned.delete(name);
  }

  /** What `$kv` holds when iterating over a map, or none after reporting why the map cannot be iterated. */
  private iterationType(map: MapRef): ValueType {
    const info = this.maps.get(map.name);
    if (info?.value === undefined) {
      return this.fail(DiagnosticCode.UnknownMap, `map ${map.name} is used but never assigned`, map.span);
    }
    if (info.keyType === null) {
      return this.fail(DiagnosticCode.InvalidOperation, `a for loop needs a map with keys to iterate over; ${map.name} has none`, map.span);
    }
    // count() and sum() are added up over the CPUs in the loop body (callback-emitter.ts); the others
    // have no value a probe could read whole.
    const value = readType(info.value);
    const kind = info.value.kind;
    if (value === undefined || kind === 'avg' || kind === 'min' || kind === 'max') {
      return this.fail(DiagnosticCode.InvalidOperation, `a for loop cannot iterate over ${mapValueName(info.value)} map ${map.name}`, map.span,
        kind === 'min' || kind === 'max' ? ['its value is kept per CPU; store it with @x[k] = … to iterate over it'] : []);
    }
    return { kind: 'tuple', elements: [info.keyType, value] };
  }

  private assignment(statement: Assignment): void {
    const { target, value } = statement;
    if (target.kind === 'Variable') {
      if (statement.operator === '=') {
        this.assignVariable(target.name, this.check(value), statement.span);
      } else {
        const current = this.expectScalar(target, `the left side of '${statement.operator}'`);
        const operand = this.expectScalar(value, `the right side of '${statement.operator}'`);
        this.warnAboutSigns(statement, this.operand(target, current), this.operand(value, operand));
      }
      return;
    }
    if (statement.operator !== '=') {
      this.useMapKeys(target);
      // The map's type so far: a map first assigned an unsigned value stays unsigned (unify()).
      const held = this.maps.get(target.kind === 'Map' ? target.name : target.map.name)?.value;
      const current = held === undefined ? int64 : readType(held) ?? int64;
      this.recordMapValue(target, { kind: 'scalar', type: int64 });
      const operand = this.expectScalar(value, `the right side of '${statement.operator}'`);
      this.warnAboutSigns(statement, this.operand(target, current), this.operand(value, operand));
      this.types.set(target, int64);
      return;
    }
    if (value.kind === 'Call' && AGGREGATIONS.has(value.callee)) {
      this.useMapKeys(target);
      const aggregated = checkCall(this, value, 'aggregation', target);
      if (aggregated.kind !== 'none') this.types.set(target, aggregated);
      return;
    }
    const type = this.check(value);
    this.useMapKeys(target);
    if (type.kind === 'none' || !isStorable(type)) {
      if (type.kind !== 'none') this.fail(DiagnosticCode.TypeMismatch, `cannot store ${valueTypeName(type)} in a map`, value.span);
      return;
    }
    this.recordMapValue(target, { kind: 'scalar', type });
    this.types.set(target, storageType(type));
  }

  recordMapValue(target: MapRef | MapAccess, value: Parameters<MapTable['useValue']>[1]): void {
    const name = target.kind === 'Map' ? target.name : target.map.name;
    const problem = this.maps.useValue(name, value, target.span);
    if (problem !== undefined) this.fail(DiagnosticCode.TypeMismatch, problem, target.span);
  }

  private firstInts(state: GroupAnalysis): Map<string, ValueType> {
    let types = this.firstIntTypes.get(state);
    if (types === undefined) {
      types = new Map();
      this.firstIntTypes.set(state, types);
    }
    return types;
  }

  private assignVariable(name: string, type: ValueType, at: Span): void {
    if (type.kind === 'none') return;
    if (type.kind === 'args') {
      this.fail(DiagnosticCode.TypeMismatch, 'args cannot be stored in a variable; store one of its fields', at);
      return;
    }
    const stored = type.kind === 'record' || type.kind === 'array' ? type : storageType(type);
    const previous = this.state.variables.get(name);
    if (previous === undefined) {
      this.state.variables.set(name, stored);
      if (type.kind === 'int') this.firstInts(this.state).set(name, type);
    } else {
      const joined = unify(previous, stored);
      if (joined === undefined) {
        this.fail(DiagnosticCode.TypeMismatch,
          `type mismatch for ${name}: it holds ${valueTypeName(previous)}, here assigned ${valueTypeName(stored)}`, at);
        return;
      }
      this.state.variables.set(name, joined);
    }
    this.assigned.add(name);
  }

  // ---- expressions ---------------------------------------------------------------------------------

  get types(): Map<Expr, ValueType> {
    return this.state.types;
  }

  get constants(): Map<Expr, bigint | string> {
    return this.state.constants;
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
      case 'Variable': {
        const type = this.state.variables.get(expr.name);
        if (type === undefined || (this.strict && !this.assigned.has(expr.name))) {
          return this.fail(DiagnosticCode.UnknownVariable, `variable ${expr.name} is used before it is assigned`, expr.span);
        }
        return type;
      }
      case 'Map': case 'MapAccess':
        return this.mapRead(expr);
      case 'Identifier':
        return this.identifier(expr.name, expr);
      case 'Call':
        return checkCall(this, expr, 'value');
      case 'Unary':
        return this.unary(expr);
      case 'Update':
        if (expr.operand.kind === 'Variable') {
          if (!this.state.variables.has(expr.operand.name)) this.assignVariable(expr.operand.name, int64, expr.span);
          this.expectScalar(expr.operand, `'${expr.operator}'`);
        } else {
          this.useMapKeys(expr.operand);
          this.recordMapValue(expr.operand, { kind: 'scalar', type: int64 });
          this.types.set(expr.operand, int64);
        }
        return int64;
      case 'Binary':
        return this.binary(expr);
      case 'Ternary': {
        this.expectScalar(expr.condition, 'a condition');
        const left = this.check(expr.then);
        const right = this.check(expr.else);
        if (left.kind === 'none' || right.kind === 'none') return noneType;
        const joined = unify(storageType(left), storageType(right));
        if (joined === undefined) {
          return this.fail(DiagnosticCode.TypeMismatch,
            `the branches of ?: have different types: ${valueTypeName(left)} and ${valueTypeName(right)}`, expr.span);
        }
        return joined;
      }
      case 'Cast':
        return this.cast(expr);
      case 'FieldAccess':
        return checkMemberAccess(this, expr);
      case 'TupleAccess': {
        const tuple = this.check(expr.tuple);
        if (tuple.kind === 'none') return noneType;
        if (tuple.kind !== 'tuple') {
          return this.fail(DiagnosticCode.InvalidOperation, `.${expr.index} needs a tuple, not ${valueTypeName(tuple)}`, expr.span);
        }
        const element = tuple.elements[expr.index];
        return element ?? this.fail(DiagnosticCode.InvalidOperation,
          `tuple index ${expr.index} is out of range (the tuple has ${tuple.elements.length} elements)`, expr.span);
      }
      case 'Index':
        return this.index(expr);
      case 'Tuple': {
        const elements = expr.elements.map((e) => this.check(e));
        if (elements.some((e) => e.kind === 'none')) return noneType;
        const bad = elements.findIndex((e) => !isStorable(e));
        if (bad !== -1) return this.fail(DiagnosticCode.TypeMismatch, 'this value cannot be part of a tuple', expr.elements[bad].span);
        return { kind: 'tuple', elements: elements.map(storageType) };
      }
      case 'Sizeof': {
        let size: number | undefined;
        if (expr.operand.kind === 'Type') {
          size = this.sizeOfType(expr.operand);
        } else {
          const type = this.check(expr.operand);
          size = this.sizeOfValue(type);
        }
        if (size === undefined) return this.fail(DiagnosticCode.UnknownType, 'cannot take the size of this', expr.span);
        this.constants.set(expr, BigInt(size));
        return uint64;
      }
      case 'Offsetof': {
        const resolved = this.resolveType(expr.type);
        let type: CType | undefined = resolved?.kind === 'record' ? resolved.ctype : undefined;
        let offset = 0;
        for (const name of expr.field) {
          const field: CField | undefined = type?.kind === 'record' ? type.record.field(name) : undefined;
          if (field === undefined) return this.fail(DiagnosticCode.UnknownField, `no field ${name} in ${resolved ? valueTypeName(resolved) : 'this type'}`, expr.span);
          offset += field.offset;
          type = field.type;
        }
        this.constants.set(expr, BigInt(offset));
        return uint64;
      }
    }
  }

  private identifier(name: string, expr: Expr): ValueType {
    const group = this.state.group;
    const result = builtinType(name, {
      context: group.context,
      provider: group.provider.name,
      taskStruct: () => this.taskStruct(),
      cpid: this.options.cpid,
    });
    if (result !== undefined) {
      if ('error' in result) return this.fail(DiagnosticCode.BuiltinNotAvailable, result.error, expr.span, result.hint ? [result.hint] : []);
      if (name === 'ncpus' && this.options.ncpus !== undefined) this.constants.set(expr, BigInt(this.options.ncpus));
      if (name === 'cpid' && this.options.cpid !== undefined) this.constants.set(expr, BigInt(this.options.cpid));
      // A selecting program serves many targets and reads which one fired at run time.
      if (name === 'probe' && group.dispatch?.selection === undefined) this.constants.set(expr, group.targets[0].name);
      // fexit knows the return value's type from BTF; other return probes see a plain u64.
      const typedRetval = name === 'retval' ? group.context.retvalField : undefined;
      return typedRetval === undefined ? result.type : argFieldType(this, typedRetval);
    }
    const macro = this.macros.get(name) ?? this.universe.enumConstant(name);
    if (macro !== undefined) {
      this.constants.set(expr, macro);
      return int64;
    }
    const known = [...KNOWN_BUILTINS, ...this.macros.keys()];
    return this.fail(DiagnosticCode.UnknownBuiltin, `unknown identifier '${name}'`, expr.span, suggest(name, known));
  }

  private taskStruct(): CType | undefined {
    const record = this.universe.record('struct', 'task_struct');
    return record === undefined ? undefined : { kind: 'record', record };
  }

  useMapKeys(access: MapRef | MapAccess): void {
    const keys = access.kind === 'Map' ? [] : access.keys.map((k) => this.check(k));
    if (keys.some((k) => k.kind === 'none')) return;
    const bad = keys.findIndex((k) => !isStorable(k));
    if (bad !== -1 && access.kind === 'MapAccess') {
      this.fail(DiagnosticCode.TypeMismatch, `${valueTypeName(keys[bad])} cannot be a map key`, access.keys[bad].span);
      return;
    }
    const name = access.kind === 'Map' ? access.name : access.map.name;
    const problem = this.maps.useKeys(name, keys, access.span);
    if (problem !== undefined) this.fail(DiagnosticCode.TypeMismatch, problem, access.span);
  }

  private mapRead(access: MapRef | MapAccess): ValueType {
    this.useMapKeys(access);
    const name = access.kind === 'Map' ? access.name : access.map.name;
    const info = this.maps.get(name);
    if (info?.value === undefined) {
      return this.fail(DiagnosticCode.UnknownMap, `map ${name} is used but never assigned`, access.span,
        suggest(name, this.maps.all().filter((m) => m.value !== undefined).map((m) => m.name)));
    }
    const type = readType(info.value);
    if (type === undefined) {
      return this.fail(DiagnosticCode.InvalidOperation, `the value of ${info.value.kind}() map ${name} cannot be read in a probe`, access.span);
    }
    return type;
  }

  private unary(expr: Expr & { kind: 'Unary' }): ValueType {
    if (expr.operator === '&') return checkAddressOf(this, expr);
    if (expr.operator === '*') {
      const operand = this.check(expr.operand);
      if (operand.kind === 'none') return noneType;
      if (operand.kind === 'pointer') return fieldValueType(operand.to, operand.user);
      if (operand.kind === 'int') return uint64;
      return this.fail(DiagnosticCode.InvalidOperation, `cannot dereference ${valueTypeName(operand)}`, expr.span);
    }
    const operand = this.expectScalar(expr.operand, `the operand of '${expr.operator}'`);
    const value = this.constants.get(expr.operand);
    if (typeof value === 'bigint') {
      const folded = expr.operator === '-' ? -value : expr.operator === '~' ? ~value : expr.operator === '!' ? (value === 0n ? 1n : 0n) : value;
      this.constants.set(expr, BigInt.asIntN(64, folded));
    }
    if (expr.operator === '!') return uint64;
    if (expr.operator === '-') return int64;
    return operand.kind === 'int' ? { kind: 'int', bits: 64, signed: operand.signed } : operand;
  }

  private binary(expr: Expr & { kind: 'Binary' }): ValueType {
    const left = this.check(expr.left);
    const right = this.check(expr.right);
    if (left.kind === 'none' || right.kind === 'none') return noneType;
    const op = expr.operator;
    const comparison = op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=';
    if (left.kind === 'string' || right.kind === 'string') {
      if (left.kind === 'string' && right.kind === 'string' && (op === '==' || op === '!=')) return uint64;
      return this.fail(DiagnosticCode.TypeMismatch,
        `'${op}' cannot combine ${valueTypeName(left)} and ${valueTypeName(right)}`, expr.span,
        left.kind === 'string' && right.kind === 'string' ? ['strings compare only with == and !='] : []);
    }
    if (!isScalar(left) || !isScalar(right)) {
      return this.fail(DiagnosticCode.TypeMismatch, `'${op}' cannot combine ${valueTypeName(left)} and ${valueTypeName(right)}`, expr.span);
    }
    if (op === '&&' || op === '||') return uint64;
    this.foldBinary(expr);
    this.warnAboutSigns(expr, this.operand(expr.left, left), this.operand(expr.right, right));
    if (left.kind === 'pointer' && (op === '+' || op === '-') && right.kind === 'int') return left;
    if (comparison) return uint64;
    const leftSigned = left.kind === 'int' && left.signed;
    const rightSigned = right.kind === 'int' && right.signed;
    // bpftrace: shifts keep the left operand's signedness, the rest is signed only if both sides are.
    const signed = op === '<<' || op === '>>' ? leftSigned : leftSigned && rightSigned;
    return { kind: 'int', bits: 64, signed };
  }

  /**
   * An operand as bpftrace 0.17 sees it: a `$variable` keeps the width of its first assignment; an
   * integer, a positional parameter and a non-negative #define or enum constant (its preprocessor
   * inlines them) are literals, `-1` is a negation.
   */
  private operand(expr: Expr, type: ValueType): Operand {
    const first = expr.kind === 'Variable' ? this.firstIntTypes.get(this.state)?.get(expr.name) : undefined;
    const value = this.constants.get(expr);
    const literal = expr.kind === 'Integer' || expr.kind === 'PositionalParam' || expr.kind === 'ParamCount' ||
      (expr.kind === 'Identifier' && !isBuiltinName(expr.name) && typeof value === 'bigint' && value >= 0n);
    return { type: first ?? type, literal };
  }

  /**
   * bpftrace 0.17's warnings about mixed signs and signed division (sign-warnings.ts), at the operator
   * as bpftrace puts them; `+=` and the like warn as the operation they stand for.
   */
  private warnAboutSigns(operation: Binary | Assignment, left: Operand, right: Operand): void {
    if (!this.strict) return;
    const op = (operation.kind === 'Binary' ? operation.operator : operation.operator.slice(0, -1)) as BinaryOperator;
    const at = operation.operatorSpan;
    for (const message of signWarnings(op, left, right)) {
      // A probe compiled into several programs is checked once for each.
      if (this.warnings.some((w) => w.span.start === at.start && w.message === message)) continue;
      this.warnings.push({ ...error(DiagnosticCode.TypeMismatch, message, at), severity: 'warning' });
    }
  }

  private foldBinary(expr: Expr & { kind: 'Binary' }): void {
    const a = this.constants.get(expr.left);
    const b = this.constants.get(expr.right);
    if (typeof a !== 'bigint' || typeof b !== 'bigint') return;
    const ua = BigInt.asUintN(64, a);
    const ub = BigInt.asUintN(64, b);
    const ops: Record<string, () => bigint | undefined> = {
      '+': () => a + b, '-': () => a - b, '*': () => a * b,
      // BPF's rule for a zero divisor, which the program would apply at run time.
      '/': () => (ub === 0n ? 0n : ua / ub), '%': () => (ub === 0n ? ua : ua % ub),
      '&': () => a & b, '|': () => a | b, '^': () => a ^ b,
      '<<': () => ua << (ub & 63n), '>>': () => ua >> (ub & 63n),
    };
    const result = ops[expr.operator]?.();
    if (result !== undefined) this.constants.set(expr, BigInt.asIntN(64, result));
  }

  private cast(expr: Expr & { kind: 'Cast' }): ValueType {
    const operand = this.check(expr.operand);
    const target = this.resolveType(expr.type);
    if (target === undefined || operand.kind === 'none') return noneType;
    if (!isScalar(operand)) {
      return this.fail(DiagnosticCode.TypeMismatch, `cannot cast ${valueTypeName(operand)} to ${valueTypeName(target)}`, expr.span);
    }
    const user = isUserAddress(operand, this.group.context.userSpace);
    if (target.kind === 'int') {
      const value = this.constants.get(expr.operand);
      if (typeof value === 'bigint') {
        const folded = target.signed ? BigInt.asIntN(target.bits, value) : BigInt.asUintN(target.bits, value);
        this.constants.set(expr, folded);
      }
      return target;
    }
    if (target.kind === 'pointer') return { ...target, user };
    return this.fail(DiagnosticCode.Unsupported, `casts to ${valueTypeName(target)} are not supported`, expr.span);
  }

  private index(expr: Expr & { kind: 'Index' }): ValueType {
    const object = this.check(expr.object);
    this.expectScalar(expr.index, 'an index');
    if (object.kind === 'none') return noneType;
    if (object.kind === 'pointer') return fieldValueType(object.to, object.user);
    if (object.kind === 'array') return isObjectInMemory(this, expr.object, expr.span) ? fieldValueType(object.ctype.element, object.user) : noneType;
    if (object.kind === 'string') return { kind: 'int', bits: 8, signed: true };
    return this.fail(DiagnosticCode.InvalidOperation, `cannot index ${valueTypeName(object)}`, expr.span);
  }

  /** The value type of a written type, reporting unknown names. */
  resolveType(type: Parameters<TypeUniverse['fromTypeExpr']>[0]): ValueType | undefined {
    if (type.tag === null && type.pointerDepth === 0 && type.arrayDims.length === 0 && type.name === 'string') {
      return { kind: 'string', size: 64 };
    }
    const resolved = this.universe.fromTypeExpr(type);
    if (typeof resolved === 'string') {
      this.fail(DiagnosticCode.UnknownType, resolved, type.span,
        this.universe.hasBtf ? [] : ['no kernel BTF was loaded: define the struct in the script']);
      return undefined;
    }
    const value = fieldValueType(resolved, false);
    return value.kind === 'none' ? undefined : value;
  }

  private sizeOfType(type: Parameters<TypeUniverse['fromTypeExpr']>[0]): number | undefined {
    const resolved = this.universe.fromTypeExpr(type);
    if (typeof resolved === 'string') {
      this.fail(DiagnosticCode.UnknownType, resolved, type.span);
      return undefined;
    }
    return cSizeOf(resolved);
  }

  private sizeOfValue(type: ValueType): number | undefined {
    switch (type.kind) {
      case 'int': return type.bits / 8;
      case 'string': case 'buffer': return type.size;
      case 'pointer': return 8;
      case 'record': case 'array': return cSizeOf(type.ctype);
      case 'none': case 'args': return undefined;
      default: return 8;
    }
  }
}

export const AGGREGATIONS: ReadonlySet<string> = new Set(['count', 'sum', 'min', 'max', 'avg', 'stats', 'hist', 'lhist']);

const KNOWN_BUILTINS = [
  'pid', 'tid', 'uid', 'gid', 'nsecs', 'elapsed', 'cpu', 'cgroup', 'numaid', 'ncpus', 'rand', 'comm', 'probe',
  'username', 'kstack', 'ustack', 'curtask', 'cpid', 'retval', 'args', 'func',
];

