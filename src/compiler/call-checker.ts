// Typing of function calls: argument counts and types, which calls are statements (printf, exit,
// clear …) and which give values (str, ksym, strncmp …), aggregations assigned to maps, and the
// functions that need --unsafe.
import { DEFAULT_STRING_SIZE, type StackMode } from '../abi/index.js';
import { type Call, type Expr, type MapAccess, type MapRef, DiagnosticCode } from '../lang/index.js';
import { checkKaddr, checkUaddr } from './address-checker.js';
import { cSizeOf } from './c-types.js';
import { checkCgroupid } from './cgroup-checker.js';
import { DEFAULT_STACK_LIMIT, MAX_STACK_LIMIT } from './builtins.js';
import type { Checker } from './checker.js';
import { conversionAccepts, parseFormat } from './format-string.js';
import { suggest } from './member-access.js';
import { AGGREGATIONS, recordMapValue, useMapKeys } from './map-checker.js';
import { readType } from './map-table.js';
import { checkReg } from './pt-regs.js';
import { type ValueType, int64, isScalar, isStorable, noneType, uint64, valueTypeName } from './value-types.js';

export type CallMode = 'statement' | 'value' | 'aggregation';

interface Signature {
  readonly min: number;
  readonly max: number;
  /** Calls that produce no value and may only stand as statements. */
  readonly statement?: boolean;
  readonly unsafe?: boolean;
}

const SIGNATURES: Readonly<Record<string, Signature>> = {
  printf: { min: 1, max: 64, statement: true },
  print: { min: 1, max: 3, statement: true },
  clear: { min: 1, max: 1, statement: true },
  zero: { min: 1, max: 1, statement: true },
  delete: { min: 1, max: 2, statement: true },
  exit: { min: 0, max: 1, statement: true },
  time: { min: 0, max: 1, statement: true },
  join: { min: 1, max: 2, statement: true },
  system: { min: 1, max: 64, statement: true, unsafe: true },
  // cat() is safe in bpftrace 0.17 (only system, signal and override are not), and tools use it.
  cat: { min: 1, max: 64, statement: true },
  signal: { min: 1, max: 1, statement: true, unsafe: true },
  strftime: { min: 2, max: 2 },
  kaddr: { min: 1, max: 1 },
  uaddr: { min: 1, max: 1 },
  bswap: { min: 1, max: 1 },
  str: { min: 1, max: 2 },
  buf: { min: 1, max: 2 },
  ksym: { min: 1, max: 1 },
  strerror: { min: 1, max: 1 },
  usym: { min: 1, max: 1 },
  ntop: { min: 1, max: 2 },
  macaddr: { min: 1, max: 1 },
  reg: { min: 1, max: 1 },
  cgroupid: { min: 1, max: 1 },
  strncmp: { min: 3, max: 3 },
  strcontains: { min: 2, max: 2 },
  has_key: { min: 2, max: 2 },
  len: { min: 1, max: 1 },
  kstack: { min: 0, max: 2 },
  ustack: { min: 0, max: 2 },
  count: { min: 0, max: 0 },
  sum: { min: 1, max: 1 },
  min: { min: 1, max: 1 },
  max: { min: 1, max: 1 },
  avg: { min: 1, max: 1 },
  stats: { min: 1, max: 1 },
  hist: { min: 1, max: 1 },
  lhist: { min: 4, max: 4 },
};

/** The longest string str() may produce; past it the stack and ring-buffer records grow too large. */
export const MAX_STRING_SIZE = 1024;
export const JOIN_MAX_ARGS = 16;
export const JOIN_ARG_SIZE = 1024;

export function checkCall(checker: Checker, call: Call, mode: CallMode, target?: MapRef | MapAccess): ValueType {
  const signature = SIGNATURES[call.callee];
  if (signature === undefined) {
    const unsupported = ['override', 'path', 'skboutput', 'unwatch', 'percpu_kaddr'];
    if (unsupported.includes(call.callee)) {
      return checker.fail(DiagnosticCode.Unsupported, `${call.callee}() is not supported yet`, call.calleeSpan);
    }
    return checker.fail(DiagnosticCode.UnknownFunction, `unknown function '${call.callee}'`, call.calleeSpan,
      suggest(call.callee, Object.keys(SIGNATURES)));
  }
  if (call.args.length < signature.min || call.args.length > signature.max) {
    const expected = signature.min === signature.max ? `${signature.min}` : `${signature.min} to ${signature.max}`;
    return checker.fail(DiagnosticCode.WrongArgumentCount,
      `${call.callee}() takes ${expected} argument${signature.max === 1 ? '' : 's'}, ${call.args.length} given`, call.span);
  }
  if (signature.unsafe === true) {
    checker.unsafeUsed = true;
    if (checker.options.unsafe !== true) {
      checker.fail(DiagnosticCode.UnsafeFunction, `${call.callee}() is an unsafe function`, call.calleeSpan, ['run with --unsafe to allow it']);
    }
  }
  const isAggregation = AGGREGATIONS.has(call.callee);
  if (isAggregation && mode !== 'aggregation') {
    return checker.fail(DiagnosticCode.InvalidOperation, `${call.callee}() must be assigned to a map`, call.span,
      [`e.g. @x = ${call.callee}(${call.callee === 'count' ? '' : '…'})`]);
  }
  if (signature.statement === true && mode !== 'statement') {
    return checker.fail(DiagnosticCode.InvalidOperation, `${call.callee}() has no value; use it as a statement`, call.span);
  }
  if (isAggregation && target !== undefined) return aggregation(checker, call, target);
  return typeOf(checker, call);
}

function arg(call: Call, index: number): Expr {
  return call.args[index];
}

function expectInt(checker: Checker, expr: Expr, what: string): ValueType {
  return checker.expectScalar(expr, what);
}

function expectString(checker: Checker, expr: Expr, what: string): ValueType {
  const type = checker.check(expr);
  if (type.kind !== 'string' && type.kind !== 'none') {
    checker.fail(DiagnosticCode.WrongArgumentType, `${what} must be a string, not ${valueTypeName(type)}`, expr.span);
  }
  return type;
}

function literalString(checker: Checker, expr: Expr, what: string): string | undefined {
  checker.check(expr);
  const value = checker.constants.get(expr);
  if (typeof value !== 'string') {
    checker.fail(DiagnosticCode.NotConstant, `${what} must be a string literal`, expr.span);
    return undefined;
  }
  return value;
}

function expectMap(checker: Checker, expr: Expr, fn: string): MapRef | undefined {
  if (expr.kind !== 'Map') {
    checker.check(expr);
    checker.fail(DiagnosticCode.WrongArgumentType, `${fn}() expects a map without keys, e.g. ${fn}(@x)`, expr.span);
    return undefined;
  }
  if (checker.maps.get(expr.name)?.value === undefined) {
    checker.fail(DiagnosticCode.UnknownMap, `map ${expr.name} is used but never assigned`, expr.span);
  }
  return expr;
}

function typeOf(checker: Checker, call: Call): ValueType {
  switch (call.callee) {
    case 'printf': case 'system': case 'cat':
      checkFormat(checker, call);
      return noneType;
    case 'print': {
      const first = arg(call, 0);
      if (first.kind === 'Map') {
        expectMap(checker, first, 'print');
        for (const extra of call.args.slice(1)) {
          if (checker.constantInt(extra) === undefined) checker.fail(DiagnosticCode.NotConstant, 'print() limits must be constants', extra.span);
        }
        return noneType;
      }
      if (call.args.length > 1) checker.fail(DiagnosticCode.WrongArgumentCount, 'print() of a value takes one argument', call.span);
      const type = checker.check(first);
      if (!isStorable(type)) {
        checker.fail(DiagnosticCode.Unsupported, `print() of ${valueTypeName(type)} is not supported`, first.span,
          type.kind === 'args' ? ['print one of its fields'] : ['structs with bitfields cannot be printed whole; print their fields']);
      }
      return noneType;
    }
    case 'clear': case 'zero':
      expectMap(checker, arg(call, 0), call.callee);
      return noneType;
    case 'delete': {
      const first = arg(call, 0);
      if (call.args.length === 2 && first.kind === 'Map') {
        checker.check(arg(call, 1));
      } else if (first.kind !== 'MapAccess' && first.kind !== 'Map') {
        checker.check(first);
        return checker.fail(DiagnosticCode.WrongArgumentType, 'delete() expects a map element, e.g. delete(@x[key])', first.span);
      }
      if (checker.maps.get(first.kind === 'Map' ? first.name : first.map.name)?.value === undefined) {
        return checker.fail(DiagnosticCode.UnknownMap, 'delete() of a map that is never assigned', first.span);
      }
      deleteKeys(checker, call);
      return noneType;
    }
    case 'has_key': {
      const first = arg(call, 0);
      if (first.kind !== 'Map') return checker.fail(DiagnosticCode.WrongArgumentType, 'has_key() expects a map, e.g. has_key(@x, key)', first.span);
      const key = checker.check(arg(call, 1));
      if (key.kind !== 'none') {
        const problem = checker.maps.useKeys(first.name, [key], arg(call, 1).span);
        if (problem !== undefined) checker.fail(DiagnosticCode.TypeMismatch, problem, arg(call, 1).span);
      }
      return uint64;
    }
    case 'len': {
      const map = expectMap(checker, arg(call, 0), 'len');
      const value = map === undefined ? undefined : checker.maps.get(map.name)?.value;
      if (map !== undefined && (value?.kind === 'hist' || value?.kind === 'lhist')) {
        return checker.fail(DiagnosticCode.InvalidOperation,
          `len() counts keys, and the entries of ${value.kind}() map ${map.name} are buckets`, map.span);
      }
      return int64;
    }
    case 'exit':
      if (call.args.length === 1) expectInt(checker, arg(call, 0), 'the exit code');
      return noneType;
    case 'time':
      if (call.args.length === 1) literalString(checker, arg(call, 0), 'the time format');
      return noneType;
    case 'join': {
      const array = checker.check(arg(call, 0));
      if (array.kind !== 'pointer' && array.kind !== 'int' && array.kind !== 'none') {
        checker.fail(DiagnosticCode.WrongArgumentType, 'join() expects an array of string pointers', arg(call, 0).span);
      }
      if (call.args.length === 2) literalString(checker, arg(call, 1), 'the join delimiter');
      return noneType;
    }
    case 'signal':
      checker.check(arg(call, 0));
      return noneType;
    case 'strftime': {
      const format = literalString(checker, arg(call, 0), 'the strftime format');
      expectInt(checker, arg(call, 1), 'the timestamp');
      return { kind: 'timestamp', format: format ?? '' };
    }
    case 'str': {
      const source = checker.check(arg(call, 0));
      if (source.kind !== 'none' && !isScalar(source) && source.kind !== 'string') {
        checker.fail(DiagnosticCode.WrongArgumentType, `str() expects a pointer, not ${valueTypeName(source)}`, arg(call, 0).span);
      }
      if (call.args.length === 2) {
        const length = checker.constantInt(arg(call, 1));
        expectInt(checker, arg(call, 1), 'the length');
        if (length !== undefined) return { kind: 'string', size: Math.max(1, Math.min(Number(length) + 1, MAX_STRING_SIZE)) };
      }
      return source.kind === 'string' ? source : { kind: 'string', size: DEFAULT_STRING_SIZE };
    }
    case 'buf': {
      const source = checker.check(arg(call, 0));
      if (call.args.length === 1) {
        if (source.kind === 'array') return { kind: 'buffer', size: Math.min(source.ctype.length * 1, MAX_STRING_SIZE) };
        if (source.kind === 'string') return { kind: 'buffer', size: source.size };
        return checker.fail(DiagnosticCode.WrongArgumentCount, 'buf() of a pointer needs a length', call.span);
      }
      expectInt(checker, arg(call, 1), 'the length');
      const length = checker.constants.get(arg(call, 1));
      return { kind: 'buffer', size: typeof length === 'bigint' ? Math.min(Number(length), MAX_STRING_SIZE) : DEFAULT_STRING_SIZE };
    }
    case 'bswap': {
      const value = expectInt(checker, arg(call, 0), 'the value');
      return value.kind === 'int' ? { kind: 'int', bits: value.bits, signed: false } : noneType;
    }
    case 'kaddr':
      return checkKaddr(checker, call);
    case 'uaddr':
      return checkUaddr(checker, call);
    case 'ksym':
      expectInt(checker, arg(call, 0), 'the address');
      return { kind: 'ksym' };
    case 'strerror':
      expectInt(checker, arg(call, 0), 'the error number');
      return { kind: 'strerror' };
    case 'usym':
      expectInt(checker, arg(call, 0), 'the address');
      return { kind: 'usym' };
    case 'ntop': {
      if (call.args.length === 2) expectInt(checker, arg(call, 0), 'the address family');
      const address = checker.check(arg(call, call.args.length - 1));
      if (address.kind !== 'int' && address.kind !== 'array' && address.kind !== 'pointer' && address.kind !== 'none') {
        checker.fail(DiagnosticCode.WrongArgumentType, 'ntop() expects an IPv4 integer or an address array', arg(call, 0).span);
      }
      return { kind: 'inet' };
    }
    case 'macaddr':
      return macaddrType(checker, arg(call, 0));
    case 'reg':
      return checkReg(checker, call);
    case 'cgroupid':
      return checkCgroupid(checker, call);
    case 'strncmp':
      expectString(checker, arg(call, 0), 'the first argument');
      expectString(checker, arg(call, 1), 'the second argument');
      if (checker.constantInt(arg(call, 2)) === undefined) checker.fail(DiagnosticCode.NotConstant, 'the length must be a constant', arg(call, 2).span);
      return uint64;
    case 'strcontains':
      expectString(checker, arg(call, 0), 'the haystack');
      expectString(checker, arg(call, 1), 'the needle');
      return uint64;
    case 'kstack': case 'ustack':
      return stackType(checker, call);
  }
  return noneType;
}

function deleteKeys(checker: Checker, call: Call): void {
  const first = arg(call, 0);
  if (first.kind === 'MapAccess') {
    useMapKeys(checker, first);
    return;
  }
  if (first.kind !== 'Map') return;
  const keys = call.args.length === 2 ? [checker.check(arg(call, 1))] : [];
  if (keys.some((k) => k.kind === 'none')) return;
  const problem = checker.maps.useKeys(first.name, keys, first.span);
  if (problem !== undefined) checker.fail(DiagnosticCode.TypeMismatch, problem, first.span);
}

const MAC_ADDRESS_SIZE = 6;

/** macaddr(p): p is an address to read six bytes from, or an array of exactly six bytes, as in bpftrace. */
function macaddrType(checker: Checker, address: Expr): ValueType {
  const type = checker.check(address);
  if (typeof checker.constants.get(address) === 'string') {
    checker.fail(DiagnosticCode.WrongArgumentType, 'macaddr() does not take a string literal', address.span);
    return { kind: 'macaddr' };
  }
  if (type.kind === 'array' || type.kind === 'string') {
    const size = type.kind === 'array' ? cSizeOf(type.ctype) : type.size;
    if (size !== MAC_ADDRESS_SIZE) {
      checker.fail(DiagnosticCode.WrongArgumentType, `macaddr() expects 6 bytes, and this ${valueTypeName(type)} has ${size}`, address.span);
    }
    return { kind: 'macaddr' };
  }
  if (!isScalar(type) && type.kind !== 'none') {
    checker.fail(DiagnosticCode.WrongArgumentType, `macaddr() expects a pointer or a 6-byte array, not ${valueTypeName(type)}`, address.span);
  }
  return { kind: 'macaddr' };
}

const STACK_MODES: readonly string[] = ['bpftrace', 'perf'] satisfies StackMode[];

/** kstack(mode), kstack(limit) or kstack(mode, limit), as bpftrace 0.17 takes them. */
function stackType(checker: Checker, call: Call): ValueType {
  const kind = call.callee === 'kstack' ? 'kstack' : 'ustack';
  const [first, second] = call.args;
  let mode: StackMode = 'bpftrace';
  let limitArgument = second;
  if (first?.kind === 'Identifier') {
    if (STACK_MODES.includes(first.name)) mode = first.name as StackMode;
    else checker.fail(DiagnosticCode.WrongArgumentType, `unknown stack mode '${first.name}'`, first.span, ['the modes are bpftrace and perf']);
  } else if (second !== undefined) {
    checker.fail(DiagnosticCode.WrongArgumentType, `the first of two ${kind}() arguments is the mode, bpftrace or perf`, first.span);
  } else {
    limitArgument = first;
  }
  if (limitArgument === undefined) return { kind, limit: DEFAULT_STACK_LIMIT, mode };
  const limit = checker.constantInt(limitArgument);
  if (limit === undefined || limit < 1n || limit > BigInt(MAX_STACK_LIMIT)) {
    checker.fail(DiagnosticCode.NotConstant, `the stack limit must be a constant from 1 to ${MAX_STACK_LIMIT}`, limitArgument.span);
    return { kind, limit: DEFAULT_STACK_LIMIT, mode };
  }
  return { kind, limit: Number(limit), mode };
}

function checkFormat(checker: Checker, call: Call): void {
  const format = literalString(checker, arg(call, 0), `the ${call.callee} format`);
  const values = call.args.slice(1).map((a) => checker.check(a));
  if (format === undefined) return;
  const conversions = parseFormat(format);
  if (typeof conversions === 'string') {
    checker.fail(DiagnosticCode.InvalidFormat, conversions, arg(call, 0).span);
    return;
  }
  if (conversions.length !== values.length) {
    checker.fail(DiagnosticCode.WrongArgumentCount,
      `the format has ${conversions.length} conversion${conversions.length === 1 ? '' : 's'} but ${values.length} argument${values.length === 1 ? ' is' : 's are'} given`,
      call.span);
    return;
  }
  conversions.forEach((conversion, i) => {
    const type = values[i];
    if (type.kind === 'none') return;
    const problem = conversionAccepts(conversion, type);
    if (problem !== undefined) checker.fail(DiagnosticCode.WrongArgumentType, problem, call.args[i + 1].span);
  });
}

/** `@x = count()` and friends: records the map's aggregation kind. */
function aggregation(checker: Checker, call: Call, target: MapRef | MapAccess): ValueType {
  const input = call.args.length > 0 ? expectInt(checker, arg(call, 0), `the value of ${call.callee}()`) : int64;
  if (input.kind === 'none') return noneType;
  const signed = input.kind === 'int' && input.signed;
  switch (call.callee) {
    case 'count':
      recordMapValue(checker, target, { kind: 'count' });
      break;
    case 'sum': case 'min': case 'max': case 'avg': case 'stats':
      recordMapValue(checker, target, { kind: call.callee, signed });
      break;
    case 'hist':
      recordMapValue(checker, target, { kind: 'hist' });
      break;
    case 'lhist': {
      const [min, max, step] = call.args.slice(1).map((a) => checker.constantInt(a));
      if (min === undefined || max === undefined || step === undefined) {
        return checker.fail(DiagnosticCode.NotConstant, 'lhist() bounds and step must be constants', call.span);
      }
      if (step <= 0n || max <= min) {
        return checker.fail(DiagnosticCode.WrongArgumentType, 'lhist() needs min < max and a positive step', call.span);
      }
      recordMapValue(checker, target, { kind: 'lhist', min, max, step });
      break;
    }
  }
  const info = checker.maps.get(target.kind === 'Map' ? target.name : target.map.name);
  return (info?.value && readType(info.value)) ?? noneType;
}
