// Map operations: keys built on the stack, lookups, plain assignments, and the per-CPU aggregations
// (count, sum, min, max, avg, stats, hist, lhist) updated in place, inserting on a miss. Storage
// layouts follow src/abi/map-kinds.ts: min/max {value, set}, avg/stats {count, total}, histograms
// with a u64 bucket index appended to the key.
import { type Register, Helper, R0, R1, R2, R3, R4 } from '../asm/index.js';
import { sizeOf, tupleLayout } from '../abi/index.js';
import type { Assignment, Call, Expr, MapAccess, MapRef, Update } from '../lang/index.js';
import { applyCompound } from './arithmetic-emitter.js';
import { type Place, at } from './frame.js';
import { placeAddress, storeZeros } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';
import type { UserMap } from './script-builder.js';
import { toAbi } from './value-types.js';

const BPF_ANY = 0;

function mapName(access: MapRef | MapAccess): string {
  return access.kind === 'Map' ? access.name : access.map.name;
}

function keysOf(access: MapRef | MapAccess): readonly Expr[] {
  return access.kind === 'Map' ? [] : access.keys;
}

/** Bytes of the key before a histogram's bucket index. */
function baseKeySize(map: UserMap): number {
  return map.keyType === null ? 8 : sizeOf(toAbi(map.keyType));
}

/**
 * Builds the key in a frame slot and returns it. Every byte is written once: `emitInto` fills
 * a whole value, so only the padding between tuple elements (which must compare equal) and the
 * placeholder key of a map without keys are zeroed; a histogram's bucket is stored by the caller.
 */
function emitKey(e: ProgramEmitter, map: UserMap, keys: readonly Expr[]): Place {
  const place = e.frame.allocate(map.script.keySize);
  const keyType = map.keyType;
  if (keyType === null) {
    storeZeros(e, place, baseKeySize(map));
    return place;
  }
  if (keys.length === 1) {
    e.emitInto(keys[0], place, keyType);
  } else if (keyType.kind === 'tuple') {
    const elements = keyType.elements.map(toAbi);
    const layout = tupleLayout(elements);
    keys.forEach((key, i) => {
      const end = i + 1 < keys.length ? layout.offsets[i + 1] : layout.size;
      const filled = layout.offsets[i] + sizeOf(elements[i]);
      if (end > filled) storeZeros(e, at(place, filled), end - filled);
      e.emitInto(key, at(place, layout.offsets[i]), keyType.elements[i]);
    });
  }
  return place;
}

/** R0 = bpf_map_lookup_elem(map, key) */
function lookup(e: ProgramEmitter, map: UserMap, key: Place): void {
  e.asm.ldMap(R1, map.script.bpfName);
  placeAddress(e, R2, key);
  e.asm.call(Helper.map_lookup_elem);
}

function update(e: ProgramEmitter, map: UserMap, key: Place, value: Place): void {
  e.asm.ldMap(R1, map.script.bpfName);
  placeAddress(e, R2, key);
  placeAddress(e, R3, value);
  e.asm.mov64(R4, BPF_ANY).call(Helper.map_update_elem);
}

/** Leaves a pointer to the entry's value (or NULL) in R0. */
export function emitMapValuePointer(e: ProgramEmitter, access: MapRef | MapAccess): void {
  const map = e.script.userMap(mapName(access));
  const key = emitKey(e, map, keysOf(access));
  lookup(e, map, key);
}

/** The integer value of an entry as this CPU sees it; 0 when the key is absent. */
export function emitMapRead(e: ProgramEmitter, access: MapRef | MapAccess): Register {
  const map = e.script.userMap(mapName(access));
  const key = emitKey(e, map, keysOf(access));
  lookup(e, map, key);
  const reg = e.regs.acquire();
  const done = e.label('read');
  e.asm.mov64(reg, 0).jmp('eq', R0, 0, done);
  if (map.value.kind === 'avg') {
    const empty = e.label('empty');
    e.asm.ldx('dw', R1, R0, 0).jmp('eq', R1, 0, empty).ldx('dw', reg, R0, 8).div64(reg, R1).label(empty);
  } else {
    e.asm.ldx('dw', reg, R0, 0);
  }
  e.asm.label(done);
  return reg;
}

export function emitHasKey(e: ProgramEmitter, call: Call): Register {
  const first = call.args[0];
  const map = e.script.userMap(mapName(first as MapRef));
  const key = emitKey(e, map, call.args.slice(1));
  lookup(e, map, key);
  const reg = e.regs.acquire();
  const done = e.label('haskey');
  e.asm.mov64(reg, 0).jmp('eq', R0, 0, done).mov64(reg, 1).label(done);
  return reg;
}

export function emitDelete(e: ProgramEmitter, call: Call): void {
  const first = call.args[0] as MapRef | MapAccess;
  const map = e.script.userMap(mapName(first));
  const keys = first.kind === 'MapAccess' ? first.keys : call.args.slice(1);
  const key = emitKey(e, map, keys);
  e.asm.ldMap(R1, map.script.bpfName);
  placeAddress(e, R2, key);
  e.asm.call(Helper.map_delete_elem);
}

/** Writes an integer held in `reg` as the entry's value. */
function storeScalar(e: ProgramEmitter, access: MapRef | MapAccess, reg: Register): void {
  const map = e.script.userMap(mapName(access));
  const key = emitKey(e, map, keysOf(access));
  const value = e.frame.allocate(8);
  e.asm.stx('dw', value.base, value.offset, reg);
  update(e, map, key, value);
}

export function emitMapUpdate(e: ProgramEmitter, expr: Update): Register {
  const access = expr.operand as MapRef | MapAccess;
  const reg = emitMapRead(e, access);
  const delta = expr.operator === '++' ? 1 : -1;
  e.asm.add64(reg, delta);
  storeScalar(e, access, reg);
  if (!expr.prefix) e.asm.sub64(reg, delta);
  return reg;
}

export function emitMapAssignment(e: ProgramEmitter, statement: Assignment): void {
  const access = statement.target as MapRef | MapAccess;
  const map = e.script.userMap(mapName(access));
  if (statement.operator !== '=') {
    const old = emitMapRead(e, access);
    const result = applyCompound(e, old, statement.operator.slice(0, -1), statement.value);
    storeScalar(e, access, result);
    e.regs.release(result);
    return;
  }
  const value = statement.value;
  if (map.value.kind !== 'scalar') {
    if (value.kind !== 'Call') throw new Error('aggregation without a call');
    emitAggregation(e, map, access, value);
    return;
  }
  const key = emitKey(e, map, keysOf(access));
  const slot = e.frame.allocate(map.script.valueSize);
  e.emitInto(value, slot, map.value.type);
  update(e, map, key, slot);
}

function emitAggregation(e: ProgramEmitter, map: UserMap, access: MapRef | MapAccess, call: Call): void {
  const input = call.args.length > 0 ? e.emitScalar(call.args[0]) : undefined;
  const kind = map.value.kind;
  let key: Place;
  if (kind === 'hist' || kind === 'lhist') {
    if (input === undefined) throw new Error(`${kind}() without a value`);
    key = emitKey(e, map, keysOf(access));
    const bucket = kind === 'hist' ? log2Bucket(e, input) : linearBucket(e, input, map);
    storeU64(e, at(key, baseKeySize(map)), bucket);
    e.regs.release(bucket);
  } else {
    key = emitKey(e, map, keysOf(access));
  }
  lookup(e, map, key);
  const insert = e.label('insert');
  const done = e.label('aggregated');
  e.asm.jmp('eq', R0, 0, insert);
  const slot = e.frame.allocate(16);
  switch (kind) {
    case 'count': case 'hist': case 'lhist': case 'sum': {
      const amount = input !== undefined && kind === 'sum' ? input : 1;
      e.asm.ldx('dw', R1, R0, 0).add64(R1, amount).stx('dw', R0, 0, R1).ja(done);
      e.asm.label(insert);
      if (typeof amount === 'number') e.asm.st('dw', slot.base, slot.offset, amount);
      else e.asm.stx('dw', slot.base, slot.offset, amount);
      break;
    }
    case 'min': case 'max': {
      if (input === undefined) throw new Error(`${kind}() without a value`);
      const store = e.label('store');
      const signed = map.value.kind === kind && 'signed' in map.value && map.value.signed;
      const better = kind === 'min' ? (signed ? 'slt' : 'lt') : (signed ? 'sgt' : 'gt');
      e.asm.ldx('dw', R1, R0, 8).jmp('eq', R1, 0, store).ldx('dw', R1, R0, 0).jmp(better, input, R1, store).ja(done);
      e.asm.label(store).stx('dw', R0, 0, input).st('dw', R0, 8, 1).ja(done);
      e.asm.label(insert).stx('dw', slot.base, slot.offset, input).st('dw', slot.base, slot.offset + 8, 1);
      break;
    }
    case 'avg': case 'stats': {
      if (input === undefined) throw new Error(`${kind}() without a value`);
      e.asm.ldx('dw', R1, R0, 0).add64(R1, 1).stx('dw', R0, 0, R1);
      e.asm.ldx('dw', R1, R0, 8).add64(R1, input).stx('dw', R0, 8, R1).ja(done);
      e.asm.label(insert).st('dw', slot.base, slot.offset, 1).stx('dw', slot.base, slot.offset + 8, input);
      break;
    }
  }
  update(e, map, key, slot);
  e.asm.label(done);
  if (input !== undefined) e.regs.release(input);
}

/** Stores a u64 at a place that may not be 8-byte aligned (after a string key), byte by byte. */
function storeU64(e: ProgramEmitter, place: Place, reg: Register): void {
  if (place.offset % 8 === 0) {
    e.asm.stx('dw', place.base, place.offset, reg);
    return;
  }
  for (let i = 0; i < 8; i++) {
    e.asm.mov64(R1, reg).rsh64(R1, i * 8).stx('b', place.base, place.offset + i, R1);
  }
}

/**
 * The hist() bucket: 0 for negative values, 1 for zero, else 2 + floor(log2(n)) found by a binary
 * search over shifts of 32, 16, 8, 4, 2 and 1 bits, so values up to 2^63 - 1 reach bucket 64.
 * (bpftrace 0.17 starts at 16 bits and puts everything from 2^32 up into [2G, 4G); newer releases
 * search all 64 bits, as here.) An immediate holds only 32 bits, so each step tests `n >> shift`.
 */
function log2Bucket(e: ProgramEmitter, input: Register): Register {
  const n = e.regs.acquire();
  const bucket = e.regs.acquire();
  const done = e.label('log2');
  e.asm.mov64(n, input).mov64(bucket, 0).jmp('slt', n, 0, done);
  e.asm.mov64(bucket, 1).jmp('eq', n, 0, done).mov64(bucket, 2);
  for (let i = 5; i >= 0; i--) {
    const shift = 1 << i;
    const skip = e.label('log2skip');
    e.asm.mov64(R1, n).rsh64(R1, shift).jmp('eq', R1, 0, skip).mov64(n, R1).add64(bucket, shift).label(skip);
  }
  e.asm.label(done);
  e.regs.release(n);
  return bucket;
}

/** lhist() bucket: 0 below min, 1 + (v - min) / step inside, 1 + (max - min) / step above max. */
function linearBucket(e: ProgramEmitter, input: Register, map: UserMap): Register {
  if (map.value.kind !== 'lhist') throw new Error('linear bucket of a non-lhist map');
  const { min, max, step } = map.value;
  const bucket = e.regs.acquire();
  const done = e.label('linear');
  e.asm.ldImm64(R1, min).mov64(bucket, 0).jmp('slt', input, R1, done);
  e.asm.ldImm64(R1, max).mov64(bucket, 1n + (max - min) / step).jmp('sgt', input, R1, done);
  e.asm.mov64(bucket, input).ldImm64(R1, min).sub64(bucket, R1).ldImm64(R1, step).div64(bucket, R1).add64(bucket, 1);
  e.asm.label(done);
  return bucket;
}
