// Integer expressions: each is evaluated into a register from the pool and the register returned to
// the caller, who releases it. Arithmetic is 64-bit and wraps; division, modulo and `>>` are
// unsigned (arithmetic-emitter.ts) and comparisons signed only when both sides are signed, as in
// bpftrace 0.17.
import { type JmpOpName, type Register, Helper, R0, R1, R2 } from '../asm/index.js';
import { tupleLayout } from '../abi/index.js';
import type { Binary, Expr, Identifier, Ternary, Update } from '../lang/index.js';
import { ptRegsOffset } from '../syscalls/index.js';
import { arithmetic, truncate } from './arithmetic-emitter.js';
import { emitMapLength } from './callback-emitter.js';
import { cSizeOf } from './c-types.js';
import { type Place, at } from './frame.js';
import { emitAddressOf, emitFieldScalar } from './memory-access.js';
import { emitHasKey, emitMapRead, emitMapUpdate } from './map-emitter.js';
import { placeAddress, valueSize } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';
import { emitStringCompare, emitStringContains } from './value-emitter.js';
import { type ValueType, toAbi } from './value-types.js';

export function loadConstant(e: ProgramEmitter, reg: Register, value: bigint): void {
  const wrapped = BigInt.asIntN(64, value);
  if (wrapped >= -(1n << 31n) && wrapped < 1n << 31n) e.asm.mov64(reg, wrapped);
  else e.asm.ldImm64(reg, wrapped);
}

export function emitScalar(e: ProgramEmitter, expr: Expr): Register {
  const constant = e.analysis.constants.get(expr);
  if (typeof constant === 'bigint') {
    const reg = e.regs.acquire();
    loadConstant(e, reg, constant);
    return reg;
  }
  switch (expr.kind) {
    case 'Variable': {
      const reg = e.regs.acquire();
      const slot = slotOf(e, expr.name);
      e.asm.ldx('dw', reg, slot.base, slot.offset);
      return reg;
    }
    case 'Identifier':
      return emitBuiltin(e, expr);
    case 'Map': case 'MapAccess':
      return emitMapRead(e, expr);
    case 'Call':
      return emitValueCall(e, expr);
    case 'Unary':
      return emitUnary(e, expr);
    case 'Update':
      return emitUpdate(e, expr);
    case 'Binary':
      return emitBinary(e, expr);
    case 'Ternary':
      return emitTernary(e, expr);
    case 'Cast': {
      const reg = emitScalar(e, expr.operand);
      const target = e.typeOf(expr);
      if (target.kind === 'int') truncate(e, reg, target.bits, target.signed);
      return reg;
    }
    case 'FieldAccess': case 'Index':
      return emitFieldScalar(e, expr);
    case 'TupleAccess': {
      if (expr.tuple.kind === 'Tuple') return emitScalar(e, expr.tuple.elements[expr.index]);
      const tupleType = e.typeOf(expr.tuple);
      const temp = e.frame.allocate(valueSize(tupleType));
      e.emitInto(expr.tuple, temp, tupleType);
      const element = at(temp, tupleElementOffset(tupleType, expr.index));
      const reg = e.regs.acquire();
      e.asm.ldx('dw', reg, element.base, element.offset);
      return reg;
    }
    default:
      throw new Error(`${expr.kind} is not an integer expression`);
  }
}

function slotOf(e: ProgramEmitter, name: string): Place {
  const offset = e.variables.get(name);
  if (offset === undefined) throw new Error(`variable ${name} has no slot`);
  return offset;
}

/** Calls a helper without arguments and moves its result into a fresh register. */
function helperValue(e: ProgramEmitter, helper: number): Register {
  e.asm.call(helper);
  const reg = e.regs.acquire();
  e.asm.mov64(reg, R0);
  return reg;
}

function emitBuiltin(e: ProgramEmitter, expr: Identifier): Register {
  const { group } = e.analysis;
  switch (expr.name) {
    case 'pid': case 'tid': {
      const reg = helperValue(e, Helper.get_current_pid_tgid);
      if (expr.name === 'pid') e.asm.rsh64(reg, 32);
      else e.asm.mov32(reg, reg);
      return reg;
    }
    case 'uid': case 'gid': case 'username': {
      const reg = helperValue(e, Helper.get_current_uid_gid);
      if (expr.name === 'gid') e.asm.rsh64(reg, 32);
      else e.asm.mov32(reg, reg);
      return reg;
    }
    case 'nsecs': return helperValue(e, Helper.ktime_get_ns);
    case 'elapsed': {
      const reg = helperValue(e, Helper.ktime_get_ns);
      const key = e.frame.allocate(8);
      const done = e.label('elapsed');
      e.asm.st('w', key.base, key.offset, 0).ldMap(R1, e.script.internal('elapsed'));
      placeAddress(e, R2, key);
      e.asm.call(Helper.map_lookup_elem).jmp('eq', R0, 0, done).ldx('dw', R0, R0, 0).sub64(reg, R0).label(done).mov64(R0, 0);
      return reg;
    }
    case 'cpu': return helperValue(e, Helper.get_smp_processor_id);
    case 'cgroup': return helperValue(e, Helper.get_current_cgroup_id);
    case 'numaid': return helperValue(e, Helper.get_numa_node_id);
    case 'rand': return helperValue(e, Helper.get_prandom_u32);
    case 'curtask': return helperValue(e, Helper.get_current_task);
    case 'func': {
      e.loadContext(R1);
      return helperValue(e, Helper.get_func_ip);
    }
    case 'retval': {
      const reg = contextWord(e, group.context.retvalOffset ?? 0);
      const type = e.typeOf(expr);
      if (type.kind === 'int') truncate(e, reg, type.bits, type.signed);
      return reg;
    }
  }
  const arg = /^arg(\d+)$/.exec(expr.name);
  if (arg !== null) return contextWord(e, group.context.argOffset?.(Number(arg[1])) ?? 0);
  throw new Error(`builtin ${expr.name} is not an integer`);
}

function contextWord(e: ProgramEmitter, offset: number): Register {
  const reg = e.regs.acquire();
  e.loadContext(reg);
  e.asm.ldx('dw', reg, reg, offset);
  return reg;
}

function emitValueCall(e: ProgramEmitter, call: Expr & { kind: 'Call' }): Register {
  switch (call.callee) {
    case 'ksym': case 'usym': case 'strerror': return emitScalar(e, call.args[0]);
    case 'strftime': return emitScalar(e, call.args[1]);
    case 'has_key': return emitHasKey(e, call);
    case 'len': return emitMapLength(e, call);
    case 'reg': return contextWord(e, ptRegsOffset(String(e.analysis.constants.get(call.args[0]))) ?? 0);
    case 'bswap': {
      const reg = emitScalar(e, call.args[0]);
      const type = e.typeOf(call);
      // On a little-endian host, converting to big endian reverses the bytes (and zero-extends).
      if (type.kind === 'int' && type.bits > 8) e.asm.endian('be', reg, type.bits as 16 | 32 | 64);
      return reg;
    }
    case 'strncmp': return emitStringCompare(e, call.args[0], call.args[1], Number(e.analysis.constants.get(call.args[2]) ?? 0n));
    case 'strcontains': return emitStringContains(e, call.args[0], call.args[1]);
    default: throw new Error(`${call.callee}() has no integer value`);
  }
}

function emitUnary(e: ProgramEmitter, expr: Expr & { kind: 'Unary' }): Register {
  if (expr.operator === '*') return emitFieldScalar(e, expr);
  if (expr.operator === '&') return emitAddressOf(e, expr.operand);
  const reg = emitScalar(e, expr.operand);
  switch (expr.operator) {
    case '-': e.asm.neg64(reg); break;
    case '~': e.asm.xor64(reg, -1); break;
    case '!': booleanOf(e, reg, 'eq', 0); break;
    default: break;
  }
  return reg;
}

/** reg = (reg op src) ? 1 : 0 */
function booleanOf(e: ProgramEmitter, reg: Register, op: JmpOpName, src: Register | number): void {
  const yes = e.label('true');
  const end = e.label('bool');
  e.asm.jmp(op, reg, src, yes).mov64(reg, 0).ja(end).label(yes).mov64(reg, 1).label(end);
}

function emitUpdate(e: ProgramEmitter, expr: Update): Register {
  if (expr.operand.kind !== 'Variable') return emitMapUpdate(e, expr);
  const slot = slotOf(e, expr.operand.name);
  const reg = e.regs.acquire();
  e.asm.ldx('dw', reg, slot.base, slot.offset);
  const delta = expr.operator === '++' ? 1 : -1;
  e.asm.add64(reg, delta).stx('dw', slot.base, slot.offset, reg);
  if (!expr.prefix) e.asm.sub64(reg, delta);
  return reg;
}

const COMPARISONS: Record<string, { unsigned: JmpOpName; signed: JmpOpName }> = {
  '==': { unsigned: 'eq', signed: 'eq' },
  '!=': { unsigned: 'ne', signed: 'ne' },
  '<': { unsigned: 'lt', signed: 'slt' },
  '<=': { unsigned: 'le', signed: 'sle' },
  '>': { unsigned: 'gt', signed: 'sgt' },
  '>=': { unsigned: 'ge', signed: 'sge' },
};

function isSigned(type: ValueType): boolean {
  return type.kind === 'int' && type.signed;
}

function emitBinary(e: ProgramEmitter, expr: Binary): Register {
  if (expr.operator === '&&' || expr.operator === '||') return emitLogical(e, expr);
  const leftType = e.typeOf(expr.left);
  if (leftType.kind === 'string') {
    const equal = emitStringCompare(e, expr.left, expr.right, undefined);
    // emitStringCompare gives 0 when equal, like strcmp.
    booleanOf(e, equal, expr.operator === '==' ? 'eq' : 'ne', 0);
    return equal;
  }
  const left = emitScalar(e, expr.left);
  const right = emitOperand(e, left, expr.right);
  const comparison = COMPARISONS[expr.operator];
  if (comparison !== undefined) {
    const signed = isSigned(leftType) && isSigned(e.typeOf(expr.right));
    booleanOf(e, right.left, signed ? comparison.signed : comparison.unsigned, right.value);
  } else {
    if (leftType.kind === 'pointer' && (expr.operator === '+' || expr.operator === '-')) {
      scale(e, right.value, cSizeOf(leftType.to));
    }
    arithmetic(e, expr.operator, right.left, right.value);
  }
  if (typeof right.value !== 'number') e.regs.release(right.value);
  return right.left;
}

function scale(e: ProgramEmitter, value: Register | number, size: number): void {
  if (size !== 1 && typeof value !== 'number') e.asm.mul64(value, size);
}

/**
 * Evaluates a right operand while `left` is live. A small constant becomes an immediate; otherwise,
 * when fewer than two registers are free, `left` waits in a stack slot so the right side has room.
 */
function emitOperand(e: ProgramEmitter, left: Register, right: Expr): { left: Register; value: Register | number } {
  const constant = e.analysis.constants.get(right);
  if (typeof constant === 'bigint' && constant >= -(1n << 31n) && constant < 1n << 31n) {
    return { left, value: Number(constant) };
  }
  if (e.regs.available >= 2) return { left, value: emitScalar(e, right) };
  const spill = e.frame.allocate(8);
  e.asm.stx('dw', spill.base, spill.offset, left);
  e.regs.release(left);
  const value = emitScalar(e, right);
  const reloaded = e.regs.acquire();
  e.asm.ldx('dw', reloaded, spill.base, spill.offset);
  return { left: reloaded, value };
}

function emitLogical(e: ProgramEmitter, expr: Binary): Register {
  const decided = e.label(expr.operator === '&&' ? 'false' : 'true');
  const end = e.label('logical');
  const shortCircuit: JmpOpName = expr.operator === '&&' ? 'eq' : 'ne';
  const left = emitScalar(e, expr.left);
  e.asm.jmp(shortCircuit, left, 0, decided);
  e.regs.release(left);
  const right = emitScalar(e, expr.right);
  e.asm.jmp(shortCircuit, right, 0, decided);
  e.regs.release(right);
  const result = e.regs.acquire();
  const outcome = expr.operator === '&&' ? 1 : 0;
  e.asm.mov64(result, outcome).ja(end).label(decided).mov64(result, 1 - outcome).label(end);
  return result;
}

/** Both branches leave their value in one stack slot, so no register is held across them. */
function emitTernary(e: ProgramEmitter, expr: Ternary): Register {
  const slot = e.frame.allocate(8);
  const otherwise = e.label('else');
  const end = e.label('endternary');
  const cond = emitScalar(e, expr.condition);
  e.asm.jmp('eq', cond, 0, otherwise);
  e.regs.release(cond);
  for (const branch of [expr.then, expr.else]) {
    if (branch === expr.else) e.asm.ja(end).label(otherwise);
    const value = emitScalar(e, branch);
    e.asm.stx('dw', slot.base, slot.offset, value);
    e.regs.release(value);
  }
  e.asm.label(end);
  const result = e.regs.acquire();
  e.asm.ldx('dw', result, slot.base, slot.offset);
  return result;
}

function tupleElementOffset(type: ValueType, index: number): number {
  if (type.kind !== 'tuple') throw new Error('tuple access on a non-tuple');
  return tupleLayout(type.elements.map(toAbi)).offsets[index];
}
