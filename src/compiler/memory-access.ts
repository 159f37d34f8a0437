// Reading C objects: `args` fields straight from the program's context, struct members, array
// elements and dereferenced pointers from kernel or user memory through probe_read_kernel/_user, and
// members of a struct or array copied into a variable or map from that copy (`$s = *p; $s.x`).
// An object is first located (an address plus its C type), then loaded as an integer or copied.
import { type Register, Helper, R0, R1, R2, R3 } from '../asm/index.js';
import type { Expr } from '../lang/index.js';
import type { ArgField } from '../providers/provider.js';
import { type CField, type CType, cSizeOf } from './c-types.js';
import { truncate } from './arithmetic-emitter.js';
import { type Place, at } from './frame.js';
import { isAddressable, type ObjectExpr } from './object-places.js';
import { type Width, WIDTH_NAME, copyBytes, placeAddress, storeZeros, valueSize } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';
import { isUserAddress } from './value-types.js';

/**
 * Where an object is: at a fixed offset in the probe's record (its context, or the copy a dispatching
 * program rebuilds), at an address held in a register, or in a copy the program holds (a variable's
 * slot, or a map value copied into the frame), read with plain loads.
 */
type Address =
  | { readonly kind: 'ctx'; readonly offset: number }
  | { readonly kind: 'mem'; readonly reg: Register; readonly user: boolean }
  | { readonly kind: 'copy'; readonly place: Place };

interface Located {
  readonly address: Address;
  readonly ctype: CType;
  readonly field?: CField;
  /** A `__data_loc` tracepoint string: the context holds its location, not its bytes. */
  readonly dataLoc?: boolean;
}


function argField(e: ProgramEmitter, name: string): ArgField {
  const field = e.analysis.group.context.args.find((f) => f.name === name);
  if (field === undefined) throw new Error(`args has no field ${name}`);
  return field;
}

function argCType(e: ProgramEmitter, field: ArgField): CType {
  if (field.btfType !== undefined && e.universe.hasBtf) return e.universe.fromBtf(field.btfType);
  return e.universe.fromCText(field.cType, field.size, field.signed);
}

/** Moves an address into a register, turning a context offset or a copy's place into a pointer. */
function toMemory(e: ProgramEmitter, address: Address): Address & { kind: 'mem' } {
  if (address.kind === 'mem') return address;
  const reg = e.regs.acquire();
  if (address.kind === 'copy') {
    placeAddress(e, reg, address.place);
  } else {
    e.loadRecord(reg);
    e.asm.add64(reg, address.offset);
  }
  return { kind: 'mem', reg, user: false };
}

function offsetBy(e: ProgramEmitter, address: Address, delta: number): Address {
  if (address.kind === 'ctx') return { kind: 'ctx', offset: address.offset + delta };
  if (address.kind === 'copy') return { kind: 'copy', place: at(address.place, delta) };
  if (delta !== 0) e.asm.add64(address.reg, delta);
  return address;
}

/**
 * The struct or array whose member or element is read: located in memory, or the copy a variable or
 * map holds. A variable's slot is read in place; a map value is copied into the frame first (zeros
 * when the key is missing), as its pointer would not outlive the helper calls that follow.
 */
function locateObject(e: ProgramEmitter, object: Expr): Address {
  if (isAddressable(object)) return locate(e, object).address;
  if (object.kind === 'Variable') {
    const slot = e.variables.get(object.name);
    if (slot === undefined) throw new Error(`variable ${object.name} has no slot`);
    return { kind: 'copy', place: slot };
  }
  const type = e.typeOf(object);
  const copy = e.frame.allocate(valueSize(type));
  e.emitInto(object, copy, type);
  return { kind: 'copy', place: copy };
}

function locate(e: ProgramEmitter, expr: ObjectExpr): Located {
  if (expr.kind === 'Unary') {
    const pointerType = e.typeOf(expr.operand);
    const reg = e.emitScalar(expr.operand);
    const user = isUserAddress(pointerType, e.analysis.group.context.userSpace);
    const ctype: CType = pointerType.kind === 'pointer' ? pointerType.to : { kind: 'int', size: 8, signed: false, char: false };
    return { address: { kind: 'mem', reg, user }, ctype };
  }
  if (expr.kind === 'FieldAccess') {
    const objectType = e.typeOf(expr.object);
    if (objectType.kind === 'args') {
      const field = argField(e, expr.field);
      return { address: { kind: 'ctx', offset: field.offset }, ctype: argCType(e, field), dataLoc: field.dataLoc };
    }
    if (objectType.kind === 'pointer' && objectType.to.kind === 'record') {
      const field = objectType.to.record.field(expr.field);
      if (field === undefined) throw new Error(`no field ${expr.field}`);
      const reg = e.emitScalar(expr.object);
      return { address: offsetBy(e, { kind: 'mem', reg, user: objectType.user }, field.offset), ctype: field.type, field };
    }
    if (objectType.kind === 'record') {
      const field = objectType.ctype.record.field(expr.field);
      if (field === undefined) throw new Error(`no field ${expr.field}`);
      return { address: offsetBy(e, locateObject(e, expr.object), field.offset), ctype: field.type, field };
    }
    throw new Error(`cannot locate field ${expr.field} of ${objectType.kind}`);
  }
  const objectType = e.typeOf(expr.object);
  const constant = e.analysis.constants.get(expr.index);
  let base: Address;
  let element: CType;
  if (objectType.kind === 'pointer') {
    element = objectType.to;
    base = { kind: 'mem', reg: e.emitScalar(expr.object), user: objectType.user };
  } else if (objectType.kind === 'array') {
    element = objectType.ctype.element;
    base = locateObject(e, expr.object);
    // The checker lets a copy take only constant indices inside it (operator-checker.ts).
    if (base.kind === 'copy' && typeof constant !== 'bigint') throw new Error('a copied array indexed at run time');
  } else {
    throw new Error(`cannot index ${objectType.kind}`);
  }
  const size = cSizeOf(element);
  if (typeof constant === 'bigint') return { address: offsetBy(e, base, Number(constant) * size), ctype: element };
  const memory = toMemory(e, base);
  const index = e.emitScalar(expr.index);
  if (size !== 1) e.asm.mul64(index, size);
  e.asm.add64(memory.reg, index);
  e.regs.release(index);
  return { address: memory, ctype: element };
}

/** `&obj`: the object's address in a register, without reading the object. */
export function emitAddressOf(e: ProgramEmitter, expr: Expr): Register {
  if (!isAddressable(expr)) throw new Error(`${expr.kind} has no address`);
  const { address } = locate(e, expr);
  if (address.kind === 'copy') {
    // The checker refuses `&` of a copy's member; macaddr() reads its array through the address too.
    e.unsupported('macaddr() cannot read an array copied into a variable or map; pass the original, e.g. macaddr($p->field)', expr);
    return e.regs.acquire();
  }
  return toMemory(e, address).reg;
}

/** Loads an integer or pointer object: a direct context load, or a probe read via a stack slot. */
export function emitFieldScalar(e: ProgramEmitter, expr: ObjectExpr): Register {
  const located = locate(e, expr);
  const bitfield = located.field !== undefined && located.field.bitWidth > 0 ? located.field : undefined;
  const size = bitfield !== undefined ? 8 : located.ctype.kind === 'int' ? located.ctype.size : 8;
  const width = WIDTH_NAME[size as Width];
  let { address } = located;
  // A packed struct's member can sit off its natural alignment, where the verifier refuses a stack load.
  if (address.kind === 'copy' && address.place.offset % size !== 0) address = toMemory(e, address);
  let reg: Register;
  if (address.kind === 'ctx') {
    reg = e.regs.acquire();
    e.loadRecord(reg);
    e.asm.ldx(width, reg, reg, address.offset);
  } else if (address.kind === 'copy') {
    reg = e.regs.acquire();
    e.asm.ldx(width, reg, address.place.base, address.place.offset);
  } else {
    reg = address.reg;
    const slot = e.frame.allocate(8);
    placeAddress(e, R1, slot);
    e.asm.mov64(R2, size).mov64(R3, reg)
      .call(address.user ? Helper.probe_read_user : Helper.probe_read_kernel)
      .ldx(width, reg, slot.base, slot.offset);
  }
  if (bitfield !== undefined) {
    e.asm.rsh64(reg, bitfield.bitShift);
    truncate(e, reg, bitfield.bitWidth, false);
  } else if (located.ctype.kind === 'int' && located.ctype.signed) {
    truncate(e, reg, size * 8, true);
  }
  return reg;
}

/**
 * Copies a char array (or other array) object into a place: from the context directly, from memory
 * with one probe read. `__data_loc` strings are read with probe_read_kernel_str.
 */
export function emitCopyFromField(e: ProgramEmitter, expr: Expr, place: Place, size: number): void {
  if (!isAddressable(expr)) throw new Error(`${expr.kind} is not a memory object`);
  const located = locate(e, expr);
  storeZeros(e, place, size);
  if (located.dataLoc === true && located.address.kind === 'ctx') {
    // The u32 holds (length << 16 | offset of the bytes from the start of the record).
    const pointer = e.regs.acquire();
    e.loadRecord(R1);
    e.asm.ldx('w', pointer, R1, located.address.offset).and64(pointer, 0xffff).add64(pointer, R1);
    placeAddress(e, R1, place);
    e.asm.mov64(R2, size).mov64(R3, pointer).call(Helper.probe_read_kernel_str);
    e.regs.release(pointer);
    return;
  }
  const objectSize = Math.min(cSizeOf(located.ctype), size);
  if (located.address.kind === 'ctx') {
    e.loadRecord(R0);
    copyBytes(e, place, { base: R0, offset: located.address.offset }, objectSize);
  } else if (located.address.kind === 'copy') {
    copyBytes(e, place, located.address.place, objectSize);
  } else {
    placeAddress(e, R1, place);
    e.asm.mov64(R2, objectSize).mov64(R3, located.address.reg)
      .call(located.address.user ? Helper.probe_read_user : Helper.probe_read_kernel);
    e.regs.release(located.address.reg);
  }
  if (objectSize === size && located.ctype.kind === 'array' && located.ctype.element.kind === 'int' && located.ctype.element.char) {
    // A full char array may lack its NUL; the last byte of the string slot must hold one.
    e.asm.st('b', place.base, place.offset + size - 1, 0);
  }
}
