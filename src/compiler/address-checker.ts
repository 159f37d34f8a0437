// Typing of the expressions that produce addresses rather than read memory: kaddr("sym") and
// uaddr("sym"), whose values are fixed when the script compiles (from the symbol tables passed in
// CompileOptions), and the address-of operator `&obj`, which stops a member access, an array
// element or a dereference short of its read.
import { type Call, type Expr, DiagnosticCode } from '../lang/index.js';
import { type CType, cChar, cInt, cPointer } from './c-types.js';
import type { Checker } from './checker.js';
import { isAddressable, isInStoredCopy } from './object-places.js';
import { type ValueType, isUserAddress, noneType, valueTypeName } from './value-types.js';

/** Probe kinds whose targets are one binary's functions, where uaddr() has a binary to look in. */
const USER_BINARY_PROVIDERS: ReadonlySet<string> = new Set(['uprobe', 'uretprobe', 'usdt']);

function symbolName(checker: Checker, call: Call): string | undefined {
  const name = call.args[0];
  checker.check(name);
  const value = checker.constants.get(name);
  if (typeof value !== 'string') {
    checker.fail(DiagnosticCode.NotConstant, `${call.callee}() takes the symbol's name as a string literal`, name.span);
    return undefined;
  }
  return value;
}

/** kaddr("sym"): the kernel address of a symbol from kallsyms, as bpftrace resolves it while compiling. */
export function checkKaddr(checker: Checker, call: Call): ValueType {
  const type: ValueType = { kind: 'int', bits: 64, signed: false, user: false };
  const name = symbolName(checker, call);
  if (name === undefined) return type;
  const table = checker.options.kernelSymbols;
  if (table === undefined) return checker.fail(DiagnosticCode.Unsupported, 'kaddr() needs the kernel symbol table, which this compilation was not given', call.span);
  const address = table.address(name);
  if (address === undefined) {
    return checker.fail(DiagnosticCode.WrongArgumentType, `kernel symbol '${name}' not found`, call.args[0].span,
      ['/proc/kallsyms lists data symbols (jiffies, avenrun) only on kernels built with CONFIG_KALLSYMS_ALL']);
  }
  checker.constants.set(call, address);
  return type;
}

/**
 * uaddr("sym"): the address of a symbol in the probed binary, as a pointer to an integer of the
 * symbol's size (8 bytes when the size is not 1, 2, 4 or 8), like bpftrace.
 */
export function checkUaddr(checker: Checker, call: Call): ValueType {
  const name = symbolName(checker, call);
  const target = checker.group.targets[0];
  if (!USER_BINARY_PROVIDERS.has(target.provider)) {
    return checker.fail(DiagnosticCode.BuiltinNotAvailable, `uaddr() is only available in uprobe probes, not in ${target.provider} probes`, call.span);
  }
  if (name === undefined) return noneType;
  const path = target.detail.path;
  const table = checker.options.userSymbols;
  if (table === undefined) return checker.fail(DiagnosticCode.Unsupported, 'uaddr() needs user symbol tables, which this compilation was not given', call.span);
  const found = typeof path === 'string' ? table.symbol(path, name) : undefined;
  if (found === undefined) {
    return checker.fail(DiagnosticCode.WrongArgumentType, `symbol '${name}' not found in ${String(path)}`, call.args[0].span);
  }
  checker.constants.set(call, found.address);
  const size = Number(found.size);
  const element = size === 1 || size === 2 || size === 4 || size === 8 ? cInt(size, true) : cInt(8, true);
  return { kind: 'pointer', to: element, user: true };
}

/** `&obj`: a pointer to the object's C type, in the object's address space. */
export function checkAddressOf(checker: Checker, expr: Expr & { kind: 'Unary' }): ValueType {
  const operand = checker.check(expr.operand);
  if (operand.kind === 'none') return noneType;
  if (isInStoredCopy(checker.types, expr.operand)) {
    return checker.fail(DiagnosticCode.InvalidOperation, 'cannot take the address of a member of a copy held in a variable or map', expr.span,
      ['take it from the pointer the copy was made from, e.g. &$p->field']);
  }
  const pointee = isAddressable(expr.operand) ? objectCType(operand) : undefined;
  if (pointee === undefined || operand.kind === 'args') {
    return checker.fail(DiagnosticCode.InvalidOperation,
      `cannot take the address of ${operand.kind === 'args' ? 'args' : valueTypeName(operand)}`, expr.span,
      ['& applies to struct members, array elements and dereferenced pointers, e.g. &args->field or &$task->comm']);
  }
  return { kind: 'pointer', to: pointee, user: inUserMemory(checker, expr.operand) };
}

/** Where an addressable object lives: `args` fields in the context (kernel), others where their base points. */
function inUserMemory(checker: Checker, expr: Expr): boolean {
  const userContext = checker.group.context.userSpace;
  const base = expr.kind === 'FieldAccess' || expr.kind === 'Index' ? expr.object : expr.kind === 'Unary' ? expr.operand : undefined;
  const type = base === undefined ? undefined : checker.types.get(base);
  if (base === undefined || type === undefined || type.kind === 'args') return false;
  if ((type.kind === 'record' || type.kind === 'array') && isAddressable(base)) return inUserMemory(checker, base);
  return isUserAddress(type, userContext);
}

/** The C type of an object in memory, recovered from the value type a read of it has. */
function objectCType(type: ValueType): CType | undefined {
  switch (type.kind) {
    case 'int': return cInt((type.bits / 8) as 1 | 2 | 4 | 8, type.signed);
    case 'pointer': return cPointer(type.to);
    case 'record': case 'array': return type.ctype;
    case 'string': return { kind: 'array', element: cChar, length: type.size };
    default: return undefined;
  }
}
