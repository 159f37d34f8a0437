// Values that live in memory rather than in a register — strings, tuples, buffers, stacks, inet
// addresses — and integers stored into memory. `emitInto` writes an expression's value, laid out as
// `target` (src/abi), at a place: a stack slot, a map key/value being built, or a ring-buffer record.
// It is built on place-emitter.ts's stores and copies, aligned as the verifier requires.
import { type Register, Helper, R0, R1, R2, R3 } from '../asm/index.js';
import { sizeOf, tupleLayout } from '../abi/index.js';
import type { Expr } from '../lang/index.js';
import { emitDispatchedProbe } from './dispatch-emitter.js';
import { type Place, at } from './frame.js';
import { emitAddressOf, emitCopyFromField } from './memory-access.js';
import { emitMapValuePointer } from './map-emitter.js';
import { isAddressable } from './object-places.js';
import { type Width, WIDTH_NAME, copyBytes, placeAddress, storeBytes, storeZeros, valueSize } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';
import { type ValueType, isUserAddress, toAbi } from './value-types.js';

/** Copies a value of `fromSize` bytes into `toSize`: truncated with a final NUL, or zero-padded. */
function copySized(e: ProgramEmitter, to: Place, from: Place, fromSize: number, toSize: number, text: boolean): void {
  copyBytes(e, to, from, Math.min(fromSize, toSize));
  if (toSize > fromSize) storeZeros(e, at(to, fromSize), toSize - fromSize);
  else if (text && toSize < fromSize) e.asm.st('b', to.base, to.offset + toSize - 1, 0);
}

export function emitInto(e: ProgramEmitter, expr: Expr, place: Place, target: ValueType): void {
  switch (target.kind) {
    case 'int': case 'pointer': case 'ksym': case 'usym': case 'username': case 'strerror': case 'timestamp': {
      const reg = e.emitScalar(expr);
      const width = target.kind === 'int' ? (target.bits / 8) as Width : 8;
      e.asm.stx(WIDTH_NAME[width], place.base, place.offset, reg);
      e.regs.release(reg);
      // A user address means something only in its process: the pid travels with it.
      if (target.kind === 'usym') e.asm.call(Helper.get_current_pid_tgid).rsh64(R0, 32).stx('dw', place.base, place.offset + 8, R0);
      return;
    }
    case 'string':
      emitString(e, expr, place, target.size);
      return;
    case 'tuple':
      if (expr.kind === 'Tuple') {
        const layout = tupleLayout(target.elements.map(toAbi));
        storeZeros(e, place, layout.size);
        expr.elements.forEach((element, i) => emitInto(e, element, at(place, layout.offsets[i]), target.elements[i]));
      } else {
        emitFromMemory(e, expr, place, target);
      }
      return;
    case 'kstack': case 'ustack':
      emitStack(e, target.kind, place);
      return;
    case 'buffer':
      emitBuffer(e, expr, place, target.size);
      return;
    case 'inet':
      emitInet(e, expr, place);
      return;
    case 'macaddr':
      emitMacaddr(e, expr, place);
      return;
    case 'record': case 'array':
      // A struct or array object is read whole from where it lives; a stored one is copied.
      if (isAddressable(expr)) emitCopyFromField(e, expr, place, valueSize(target));
      else emitFromMemory(e, expr, place, target);
      return;
    default:
      e.unsupported(`values of type ${target.kind} cannot be stored`, expr);
  }
}

function emitString(e: ProgramEmitter, expr: Expr, place: Place, size: number): void {
  const constant = e.analysis.constants.get(expr);
  if (typeof constant === 'string') {
    const bytes = new Uint8Array(size);
    bytes.set(Buffer.from(constant, 'utf8').subarray(0, size - 1));
    storeBytes(e, place, bytes);
    return;
  }
  // `probe` that is not a constant: the program serves many targets from one hook.
  if (expr.kind === 'Identifier' && expr.name === 'probe') {
    emitDispatchedProbe(e, place, size);
    return;
  }
  if (expr.kind === 'Identifier' && expr.name === 'comm') {
    const read = Math.min(size, 16);
    placeAddress(e, R1, place);
    e.asm.mov64(R2, read).call(Helper.get_current_comm);
    if (size > read) storeZeros(e, at(place, read), size - read);
    return;
  }
  if (expr.kind === 'Call' && expr.callee === 'str') {
    emitStr(e, expr, place, size);
    return;
  }
  if (isAddressable(expr)) {
    emitCopyFromField(e, expr, place, size);
    return;
  }
  emitFromMemory(e, expr, place, { kind: 'string', size });
}

/** str(p[, n]): a NUL-terminated read of at most `size` bytes from kernel or user memory. */
function emitStr(e: ProgramEmitter, call: Expr & { kind: 'Call' }, place: Place, size: number): void {
  const source = call.args[0];
  const sourceType = e.typeOf(source);
  if (sourceType.kind === 'string') {
    emitString(e, source, place, size);
    return;
  }
  storeZeros(e, place, size);
  const pointer = e.emitScalar(source);
  const length = variableLength(e, call, size);
  const user = isUserAddress(sourceType, e.analysis.group.context.userSpace);
  placeAddress(e, R1, place);
  if (length === undefined) e.asm.mov64(R2, size);
  else e.asm.mov64(R2, length);
  e.asm.mov64(R3, pointer).call(user ? Helper.probe_read_user_str : Helper.probe_read_kernel_str);
  e.regs.release(pointer);
  if (length !== undefined) e.regs.release(length);
}

/**
 * str(p, n) with an n known only at run time: n characters and the NUL, at most the string's size
 * (bpftrace's default 64). Compared unsigned as in bpftrace 0.17, so a negative n reads it all.
 */
function variableLength(e: ProgramEmitter, call: Expr & { kind: 'Call' }, size: number): Register | undefined {
  if (call.args.length < 2 || typeof e.analysis.constants.get(call.args[1]) === 'bigint') return undefined;
  const length = e.emitScalar(call.args[1]);
  const fits = e.label('strlen');
  e.asm.add64(length, 1).jmp('le', length, size, fits).mov64(length, size).label(fits);
  return length;
}

/** Values already in memory: variables, map values, tuple elements, and ternaries choosing one. */
function emitFromMemory(e: ProgramEmitter, expr: Expr, place: Place, target: ValueType): void {
  const size = valueSize(target);
  const text = target.kind === 'string';
  const sourceType = e.typeOf(expr);
  const sourceSize = valueSize(sourceType);
  switch (expr.kind) {
    case 'Variable': {
      const slot = e.variables.get(expr.name);
      if (slot === undefined) throw new Error(`variable ${expr.name} has no slot`);
      copySized(e, place, slot, sourceSize, size, text);
      return;
    }
    case 'Map': case 'MapAccess': {
      const missing = e.label('missing');
      const done = e.label('copied');
      emitMapValuePointer(e, expr);
      e.asm.jmp('eq', R0, 0, missing);
      copySized(e, place, { base: R0, offset: 0 }, sourceSize, size, text);
      e.asm.ja(done).label(missing);
      storeZeros(e, place, size);
      e.asm.label(done);
      return;
    }
    case 'TupleAccess': {
      const tupleType = e.typeOf(expr.tuple);
      if (tupleType.kind !== 'tuple') throw new Error('tuple access on a non-tuple');
      const temp = e.frame.allocate(valueSize(tupleType));
      emitInto(e, expr.tuple, temp, tupleType);
      const offset = tupleLayout(tupleType.elements.map(toAbi)).offsets[expr.index];
      copySized(e, place, at(temp, offset), sourceSize, size, text);
      return;
    }
    case 'Ternary': {
      const otherwise = e.label('else');
      const end = e.label('endternary');
      const cond = e.emitScalar(expr.condition);
      e.asm.jmp('eq', cond, 0, otherwise);
      e.regs.release(cond);
      emitInto(e, expr.then, place, target);
      e.asm.ja(end).label(otherwise);
      emitInto(e, expr.else, place, target);
      e.asm.label(end);
      return;
    }
    default:
      e.unsupported(`this ${sourceType.kind} value cannot be stored yet`, expr);
  }
}

/** kstack/ustack: the stack id from the stack map, and the pid for user stacks. */
function emitStack(e: ProgramEmitter, kind: 'kstack' | 'ustack', place: Place): void {
  const USER_STACK = 1 << 8;
  // The flags' low byte is a number of innermost frames to skip.
  const flags = kind === 'ustack' ? USER_STACK : e.analysis.group.dispatch?.hookFrames ?? 0;
  e.loadContext(R1);
  e.asm.ldMap(R2, e.script.internal(kind)).mov64(R3, flags).call(Helper.get_stackid);
  e.asm.stx('dw', place.base, place.offset, R0);
  if (kind === 'ustack') {
    e.asm.call(Helper.get_current_pid_tgid).rsh64(R0, 32).stx('dw', place.base, place.offset + 8, R0);
  } else {
    e.asm.st('dw', place.base, place.offset + 8, 0);
  }
}

/** buf(p, n): u32 length, then the bytes read. */
function emitBuffer(e: ProgramEmitter, expr: Expr, place: Place, size: number): void {
  if (expr.kind !== 'Call' || expr.callee !== 'buf') {
    emitFromMemory(e, expr, place, { kind: 'buffer', size });
    return;
  }
  storeZeros(e, place, 4 + size);
  const source = expr.args[0];
  const sourceType = e.typeOf(source);
  if (sourceType.kind === 'string' || sourceType.kind === 'array') {
    const length = Math.min(size, valueSizeOfSource(sourceType));
    e.asm.st('w', place.base, place.offset, length);
    if (sourceType.kind === 'array') emitCopyFromField(e, source, at(place, 4), length);
    else if (length === sourceType.size) emitString(e, source, at(place, 4), length);
    else emitStringPrefix(e, source, at(place, 4), sourceType.size, length);
    return;
  }
  const pointer = e.emitScalar(source);
  const length = e.emitScalar(expr.args[1]);
  const fits = e.label('fits');
  e.asm.jmp('le', length, size, fits).mov64(length, size).label(fits);
  e.asm.stx('w', place.base, place.offset, length);
  const user = isUserAddress(sourceType, e.analysis.group.context.userSpace);
  placeAddress(e, R1, at(place, 4));
  e.asm.mov64(R2, length).mov64(R3, pointer).call(user ? Helper.probe_read_user : Helper.probe_read_kernel);
  e.regs.release(length);
  e.regs.release(pointer);
}

/**
 * The first `length` bytes of a string, as they are: a string written at a smaller size ends in a
 * NUL in place of its last byte, so the whole string is built first and its prefix copied.
 */
function emitStringPrefix(e: ProgramEmitter, source: Expr, place: Place, sourceSize: number, length: number): void {
  const whole = e.frame.allocate(sourceSize);
  emitString(e, source, whole, sourceSize);
  copyBytes(e, place, whole, length);
}

function valueSizeOfSource(type: ValueType): number {
  return type.kind === 'array' ? type.ctype.length * sizeOfElement(type) : valueSize(type);
}

function sizeOfElement(type: ValueType & { kind: 'array' }): number {
  const element = type.ctype.element;
  return element.kind === 'int' ? element.size : 1;
}

/** ntop([af,] addr): u32 address family, then 16 bytes of address (IPv4 in the first 4). */
function emitInet(e: ProgramEmitter, expr: Expr, place: Place): void {
  if (expr.kind !== 'Call' || expr.callee !== 'ntop') {
    emitFromMemory(e, expr, place, { kind: 'inet' });
    return;
  }
  const AF_INET = 2;
  const AF_INET6 = 10;
  const address = expr.args[expr.args.length - 1];
  const type = e.typeOf(address);
  storeZeros(e, place, 20);
  if (type.kind === 'array') {
    const bytes = Math.min(16, type.ctype.length * sizeOfElement(type));
    e.asm.st('w', place.base, place.offset, bytes === 16 ? AF_INET6 : AF_INET);
    emitCopyFromField(e, address, at(place, 4), bytes);
  } else {
    const value = e.emitScalar(address);
    e.asm.stx('w', place.base, place.offset + 4, value);
    e.regs.release(value);
    e.asm.st('w', place.base, place.offset, AF_INET);
  }
  if (expr.args.length === 2) {
    const family = e.emitScalar(expr.args[0]);
    e.asm.stx('w', place.base, place.offset, family);
    e.regs.release(family);
  }
}

/** macaddr(p): six bytes read from the address p, or from the 6-byte array or string p itself. */
function emitMacaddr(e: ProgramEmitter, expr: Expr, place: Place): void {
  const size = sizeOf({ kind: 'macaddr' });
  if (expr.kind !== 'Call' || expr.callee !== 'macaddr') {
    emitFromMemory(e, expr, place, { kind: 'macaddr' });
    return;
  }
  const source = expr.args[0];
  const type = e.typeOf(source);
  if (type.kind === 'string') {
    emitString(e, source, place, size);
    return;
  }
  // Read through the array's address rather than copied as a field: a full char array would get a NUL.
  const address = type.kind === 'array' ? emitAddressOf(e, source) : e.emitScalar(source);
  storeZeros(e, place, size);
  placeAddress(e, R1, place);
  e.asm.mov64(R2, size).mov64(R3, address)
    .call(isUserAddress(type, e.analysis.group.context.userSpace) ? Helper.probe_read_user : Helper.probe_read_kernel);
  e.regs.release(address);
}

/**
 * Compares two strings byte by byte, as strncmp() does up to `limit` bytes (all of both when
 * undefined). The result register holds 0 when they are equal, 1 when not.
 */
export function emitStringCompare(e: ProgramEmitter, a: Expr, b: Expr, limit: number | undefined): Register {
  const aType = e.typeOf(a);
  const bType = e.typeOf(b);
  const aSize = aType.kind === 'string' ? aType.size : 0;
  const bSize = bType.kind === 'string' ? bType.size : 0;
  const aSlot = e.frame.allocate(aSize);
  const bSlot = e.frame.allocate(bSize);
  emitInto(e, a, aSlot, { kind: 'string', size: aSize });
  emitInto(e, b, bSlot, { kind: 'string', size: bSize });
  const equal = e.label('streq');
  const differ = e.label('strne');
  const end = e.label('strcmp');
  const count = Math.min(limit ?? Infinity, Math.max(aSize, bSize));
  for (let i = 0; i < count; i++) {
    if (i < aSize) e.asm.ldx('b', R1, aSlot.base, aSlot.offset + i);
    else e.asm.mov64(R1, 0);
    if (i < bSize) e.asm.ldx('b', R2, bSlot.base, bSlot.offset + i);
    else e.asm.mov64(R2, 0);
    e.asm.jmp('ne', R1, R2, differ).jmp('eq', R1, 0, equal);
  }
  const result = e.regs.acquire();
  e.asm.label(equal).mov64(result, 0).ja(end).label(differ).mov64(result, 1).label(end);
  return result;
}

/** strcontains(haystack, needle): 1 when needle occurs in haystack, with bounded loops (Linux 5.3). */
export function emitStringContains(e: ProgramEmitter, haystack: Expr, needle: Expr): Register {
  const hType = e.typeOf(haystack);
  const nType = e.typeOf(needle);
  const hSize = hType.kind === 'string' ? hType.size : 1;
  const nSize = nType.kind === 'string' ? nType.size : 1;
  const hSlot = e.frame.allocate(hSize + nSize);
  const nSlot = at(hSlot, hSize);
  storeZeros(e, hSlot, hSize + nSize);
  emitInto(e, haystack, hSlot, { kind: 'string', size: hSize });
  emitInto(e, needle, nSlot, { kind: 'string', size: nSize });
  const found = e.label('found');
  const notFound = e.label('notfound');
  const end = e.label('contains');
  // Unrolled over every start position and needle byte: sizes are small and fixed at compile time.
  for (let start = 0; start < hSize; start++) {
    const next = e.label('next');
    for (let j = 0; j < nSize; j++) {
      e.asm.ldx('b', R2, nSlot.base, nSlot.offset + j).jmp('eq', R2, 0, found);
      if (start + j >= hSize) {
        e.asm.ja(notFound);
        break;
      }
      e.asm.ldx('b', R1, hSlot.base, hSlot.offset + start + j).jmp('ne', R1, R2, next);
    }
    e.asm.ja(found).label(next).ldx('b', R1, hSlot.base, hSlot.offset + start).jmp('eq', R1, 0, notFound);
  }
  const result = e.regs.acquire();
  e.asm.label(notFound).mov64(result, 0).ja(end).label(found).mov64(result, 1).label(end);
  return result;
}
