// The script's C preamble as the compiler uses it: struct/union definitions (types for casts), and
// integer constants from `#define` lines, enums, the caller's header macros and a few well-known
// kernel-internal constants that no installed header defines.
import type { CRecord, Define, Expr, Program } from '../lang/index.js';

/** Kernel-internal constants scripts use without a header that defines them (include/linux/sched.h). */
const KERNEL_CONSTANTS: ReadonlyMap<string, bigint> = new Map([
  ['TASK_RUNNING', 0x0n], ['TASK_INTERRUPTIBLE', 0x1n], ['TASK_UNINTERRUPTIBLE', 0x2n], ['__TASK_STOPPED', 0x4n],
  ['__TASK_TRACED', 0x8n], ['EXIT_DEAD', 0x10n], ['EXIT_ZOMBIE', 0x20n], ['TASK_PARKED', 0x40n], ['TASK_DEAD', 0x80n],
  ['TASK_WAKEKILL', 0x100n], ['TASK_WAKING', 0x200n], ['TASK_NOLOAD', 0x400n], ['TASK_NEW', 0x800n],
  ['TASK_KILLABLE', 0x102n], ['TASK_STOPPED', 0x104n], ['TASK_TRACED', 0x8n], ['TASK_IDLE', 0x402n],
  ['TASK_COMM_LEN', 16n], ['AF_UNIX', 1n], ['AF_INET', 2n], ['AF_INET6', 10n],
]);

export interface Preamble {
  readonly records: readonly CRecord[];
  readonly macros: ReadonlyMap<string, bigint>;
}

export function readPreamble(program: Program, headerMacros: ReadonlyMap<string, bigint> = new Map()): Preamble {
  const macros = new Map<string, bigint>([...KERNEL_CONSTANTS, ...headerMacros]);
  const records: CRecord[] = [];
  for (const item of program.preamble) {
    if (item.kind === 'CRecord') records.push(item);
    if (item.kind === 'Define') defineMacro(item, macros);
    if (item.kind === 'CEnum') {
      let next = 0n;
      for (const value of item.values) {
        const explicit = value.value === null ? undefined : evaluateConstant(value.value, macros);
        next = explicit ?? next;
        macros.set(value.name, next);
        next++;
      }
    }
  }
  return { records, macros };
}

function defineMacro(define: Define, macros: Map<string, bigint>): void {
  if (define.params !== null) return;
  const text = define.value.replace(/^\((.*)\)$/, '$1').trim();
  const direct = parseIntegerText(text);
  if (direct !== undefined) {
    macros.set(define.name, direct);
    return;
  }
  const alias = macros.get(text);
  if (alias !== undefined) macros.set(define.name, alias);
}

/** A C integer literal as macros spell them: `42`, `0x1f`, `0755`, with any `u`/`l` suffixes. */
function parseIntegerText(text: string): bigint | undefined {
  const match = /^(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(text);
  if (match === null) return undefined;
  const digits = match[2];
  const value = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return match[1] === '-' ? -value : value;
}

/** The value of a constant expression in a C declaration (array sizes, bitfield widths, enums). */
export function evaluateConstant(expr: Expr, macros: ReadonlyMap<string, bigint>): bigint | undefined {
  switch (expr.kind) {
    case 'Integer': return expr.value;
    case 'Identifier': return macros.get(expr.name);
    case 'Unary': {
      const value = evaluateConstant(expr.operand, macros);
      if (value === undefined) return undefined;
      if (expr.operator === '-') return -value;
      if (expr.operator === '~') return ~value;
      return expr.operator === '+' ? value : undefined;
    }
    case 'Binary': {
      const a = evaluateConstant(expr.left, macros);
      const b = evaluateConstant(expr.right, macros);
      if (a === undefined || b === undefined) return undefined;
      switch (expr.operator) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0n ? undefined : a / b;
        case '<<': return a << b;
        case '>>': return a >> b;
        case '|': return a | b;
        case '&': return a & b;
        default: return undefined;
      }
    }
    default: return undefined;
  }
}
