// The syntax tree produced by the parser: discriminated unions keyed by `kind`, every node carrying
// the span of source it came from so later passes can report precise diagnostics. The tree records
// only what was written; meaning (which identifiers are builtins, what a cast's type is) is decided
// by later passes.
import type { Span } from './source.js';

export interface Program {
  readonly kind: 'Program';
  readonly span: Span;
  readonly preamble: readonly PreambleItem[];
  readonly probes: readonly Probe[];
}

// ---- C preamble ----------------------------------------------------------------------------------

export type PreambleItem = Include | Define | Directive | CRecord | CEnum;

export interface Include {
  readonly kind: 'Include';
  readonly span: Span;
  readonly path: string;
  /** `<linux/sched.h>` rather than `"local.h"`. */
  readonly system: boolean;
}

export interface Define {
  readonly kind: 'Define';
  readonly span: Span;
  readonly name: string;
  /** Present for function-like macros, `#define F(a, b) …`. */
  readonly params: readonly string[] | null;
  /** The replacement text, backslash continuations joined, trimmed. */
  readonly value: string;
}

/** Any other preprocessor line (`#ifndef`, `#pragma`, …), kept verbatim. */
export interface Directive {
  readonly kind: 'Directive';
  readonly span: Span;
  readonly name: string;
  readonly text: string;
}

export interface CRecord {
  readonly kind: 'CRecord';
  readonly span: Span;
  readonly tag: 'struct' | 'union';
  /** Empty for an anonymous record nested in a member declaration. */
  readonly name: string;
  readonly members: readonly CMember[];
}

export interface CMember {
  readonly kind: 'CMember';
  readonly span: Span;
  readonly type: TypeExpr;
  /** Empty for an anonymous struct/union member, whose fields belong to the enclosing record. */
  readonly name: string;
  readonly bitWidth: Expr | null;
}

export interface CEnum {
  readonly kind: 'CEnum';
  readonly span: Span;
  readonly name: string;
  readonly values: readonly CEnumValue[];
}

export interface CEnumValue {
  readonly kind: 'CEnumValue';
  readonly span: Span;
  readonly name: string;
  readonly value: Expr | null;
}

/**
 * A written type: `uint8`, `unsigned long`, `struct task_struct *`, `int8[8]`, `char comm[16]` (the
 * dimensions live here, the name in the member). Array dimensions are expressions because C headers
 * size arrays with macros (`char comm[TASK_COMM_LEN]`); null means `[]`.
 */
export interface TypeExpr {
  readonly kind: 'Type';
  readonly span: Span;
  readonly tag: 'struct' | 'union' | 'enum' | null;
  /** `unsigned long` for multi-word C types; empty for an inline anonymous record. */
  readonly name: string;
  /** An inline record definition: `struct { int a; } u;`. */
  readonly record: CRecord | null;
  readonly pointerDepth: number;
  readonly arrayDims: readonly (Expr | null)[];
}

// ---- Probes and statements -----------------------------------------------------------------------

export interface Probe {
  readonly kind: 'Probe';
  readonly span: Span;
  readonly attachPoints: readonly AttachPoint[];
  readonly predicate: Expr | null;
  readonly body: Block;
}

/**
 * `uprobe:/bin/bash:readline` → provider `uprobe`, parts [`/bin/bash`, `readline`]. Parts are split
 * on unquoted `:` with quotes removed; which part is a target, function, offset or period depends on
 * the provider and is decided by the provider, not here. `BEGIN` has no parts.
 */
export interface AttachPoint {
  readonly kind: 'AttachPoint';
  readonly span: Span;
  readonly raw: string;
  readonly provider: string;
  readonly parts: readonly string[];
}

export type Statement =
  | ExprStatement
  | Assignment
  | VarDecl
  | If
  | Unroll
  | While
  | For
  | Break
  | Continue
  | Return
  | Block;

export interface Block {
  readonly kind: 'Block';
  readonly span: Span;
  readonly statements: readonly Statement[];
}

export interface ExprStatement {
  readonly kind: 'ExprStatement';
  readonly span: Span;
  readonly expr: Expr;
}

export type AssignOperator = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';

export type AssignTarget = Variable | MapRef | MapAccess;

export interface Assignment {
  readonly kind: 'Assignment';
  readonly span: Span;
  readonly operator: AssignOperator;
  /** The operator token alone, where warnings about the operation point (as bpftrace's do). */
  readonly operatorSpan: Span;
  readonly target: AssignTarget;
  readonly value: Expr;
}

/** `let $x;`, `let $x = 1;`, `let $x: uint8 = 1;` */
export interface VarDecl {
  readonly kind: 'VarDecl';
  readonly span: Span;
  readonly variable: Variable;
  readonly type: TypeExpr | null;
  readonly value: Expr | null;
}

export interface If {
  readonly kind: 'If';
  readonly span: Span;
  readonly condition: Expr;
  readonly then: Block;
  /** `else if` chains nest an If here. */
  readonly else: Block | If | null;
}

export interface Unroll {
  readonly kind: 'Unroll';
  readonly span: Span;
  readonly count: Expr;
  readonly body: Block;
}

export interface While {
  readonly kind: 'While';
  readonly span: Span;
  readonly condition: Expr;
  readonly body: Block;
}

/** `for ($kv : @map) {}` or `for ($i : 0..10) {}`. */
export interface For {
  readonly kind: 'For';
  readonly span: Span;
  readonly variable: Variable;
  readonly iterable: MapRef | Range;
  readonly body: Block;
}

export interface Range {
  readonly kind: 'Range';
  readonly span: Span;
  readonly start: Expr;
  readonly end: Expr;
}

export interface Break {
  readonly kind: 'Break';
  readonly span: Span;
}

export interface Continue {
  readonly kind: 'Continue';
  readonly span: Span;
}

export interface Return {
  readonly kind: 'Return';
  readonly span: Span;
  readonly value: Expr | null;
}

// ---- Expressions ---------------------------------------------------------------------------------

export type Expr =
  | IntegerLiteral
  | StringLiteral
  | BooleanLiteral
  | Variable
  | MapRef
  | MapAccess
  | PositionalParam
  | ParamCount
  | Identifier
  | Call
  | Unary
  | Update
  | Binary
  | Ternary
  | Cast
  | FieldAccess
  | TupleAccess
  | Index
  | Tuple
  | Sizeof
  | Offsetof;

export interface IntegerLiteral {
  readonly kind: 'Integer';
  readonly span: Span;
  /** Already scaled by a duration suffix: `10ms` is 10000000n. */
  readonly value: bigint;
  readonly suffix: string;
}

export interface StringLiteral {
  readonly kind: 'String';
  readonly span: Span;
  readonly value: string;
}

export interface BooleanLiteral {
  readonly kind: 'Boolean';
  readonly span: Span;
  readonly value: boolean;
}

/** A scratch variable; `name` keeps the `$`. */
export interface Variable {
  readonly kind: 'Variable';
  readonly span: Span;
  readonly name: string;
}

/** A map without keys, `@x` or `@`; `name` keeps the `@`. */
export interface MapRef {
  readonly kind: 'Map';
  readonly span: Span;
  readonly name: string;
}

/** `@x[k1, k2]`: several keys form a composite key, not nested indexing. */
export interface MapAccess {
  readonly kind: 'MapAccess';
  readonly span: Span;
  readonly map: MapRef;
  readonly keys: readonly Expr[];
}

/** `$1`, `$2`, … */
export interface PositionalParam {
  readonly kind: 'PositionalParam';
  readonly span: Span;
  readonly index: number;
}

/** `$#` */
export interface ParamCount {
  readonly kind: 'ParamCount';
  readonly span: Span;
}

/** A bare name: a builtin (`pid`, `comm`, `args`, `arg0`, `retval`) or a C enum constant. */
export interface Identifier {
  readonly kind: 'Identifier';
  readonly span: Span;
  readonly name: string;
}

export interface Call {
  readonly kind: 'Call';
  readonly span: Span;
  readonly callee: string;
  readonly calleeSpan: Span;
  readonly args: readonly Expr[];
}

export type UnaryOperator = '-' | '+' | '!' | '~' | '*' | '&';

export interface Unary {
  readonly kind: 'Unary';
  readonly span: Span;
  readonly operator: UnaryOperator;
  readonly operand: Expr;
}

/** `++x`, `x++`, `--x`, `x--` on a variable or map entry. */
export interface Update {
  readonly kind: 'Update';
  readonly span: Span;
  readonly operator: '++' | '--';
  readonly prefix: boolean;
  readonly operand: AssignTarget;
}

export type BinaryOperator =
  | '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '<<' | '>>' | '+' | '-' | '*' | '/' | '%';

export interface Binary {
  readonly kind: 'Binary';
  readonly span: Span;
  readonly operator: BinaryOperator;
  /** The operator token alone, where warnings about the operation point (as bpftrace's do). */
  readonly operatorSpan: Span;
  readonly left: Expr;
  readonly right: Expr;
}

export interface Ternary {
  readonly kind: 'Ternary';
  readonly span: Span;
  readonly condition: Expr;
  readonly then: Expr;
  readonly else: Expr;
}

export interface Cast {
  readonly kind: 'Cast';
  readonly span: Span;
  readonly type: TypeExpr;
  readonly operand: Expr;
}

/** `a.b`, or `a->b` when `arrow`. `args.f` and `args->f` both land here. */
export interface FieldAccess {
  readonly kind: 'FieldAccess';
  readonly span: Span;
  readonly object: Expr;
  readonly field: string;
  readonly arrow: boolean;
}

/** `t.0` */
export interface TupleAccess {
  readonly kind: 'TupleAccess';
  readonly span: Span;
  readonly tuple: Expr;
  readonly index: number;
}

/** `a[i]` on anything but a map name. */
export interface Index {
  readonly kind: 'Index';
  readonly span: Span;
  readonly object: Expr;
  readonly index: Expr;
}

export interface Tuple {
  readonly kind: 'Tuple';
  readonly span: Span;
  readonly elements: readonly Expr[];
}

export interface Sizeof {
  readonly kind: 'Sizeof';
  readonly span: Span;
  readonly operand: TypeExpr | Expr;
}

/** `offsetof(struct task_struct, se.vruntime)`; `field` holds the dotted path. */
export interface Offsetof {
  readonly kind: 'Offsetof';
  readonly span: Span;
  readonly type: TypeExpr;
  readonly field: readonly string[];
}
