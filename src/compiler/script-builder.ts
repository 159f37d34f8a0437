// Script-wide parts of the output that every program contributes to: the maps (user maps from the
// map table, internal ones created when first needed) and the tables that give ring-buffer events
// their meaning (printf formats, time formats, printed value types, join delimiters).
import {
  CONTROL_SIZE, type MapValueKind, type Type, bucketType, sizeOf, tupleLayout, valueSize,
} from '../abi/index.js';
import { MapFlag, MapType } from '../sys/bpf-constants.js';
import { MAX_STACK_LIMIT } from './builtins.js';
import type { FormatSpec, JoinSpec, ScriptMap } from './compiled-script.js';
import type { MapInfo, MapTable, MapValue } from './map-table.js';
import { type ValueType, toAbi } from './value-types.js';

/** bpftrace's default limit on the number of keys of a map. */
export const MAP_KEYS_MAX = 4096;
/** Ring-buffer size: large enough to absorb bursts while user space is scheduled out. */
export const EVENTS_SIZE = 1 << 22;
/**
 * The ring buffer every compiled script sends its records through. It is the same in every script,
 * so a caller may create it before compiling (the kernel takes ~1 ms over its 4 MB).
 */
export const EVENTS_RING = { bpfName: 'events', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: EVENTS_SIZE, flags: 0 } as const;
/** hist() bucket indexes run from 0 to 65 (negative, zero, then 64 powers of two). */
const HIST_BUCKETS = 66;

export type InternalMap = 'events' | 'lost' | 'kstack' | 'ustack' | 'elapsed' | 'control';

export interface UserMap {
  readonly script: ScriptMap;
  readonly info: MapInfo;
  /** The stored key type (without a histogram's bucket), null for a map without keys. */
  readonly keyType: ValueType | null;
  readonly value: MapValue;
}

export class ScriptBuilder {
  readonly maps: ScriptMap[] = [];
  readonly printfs: FormatSpec[] = [];
  readonly commands: FormatSpec[] = [];
  readonly timeFormats: string[] = [];
  readonly printedValues: Type[] = [];
  readonly joins: JoinSpec[] = [];
  private readonly userMaps = new Map<string, UserMap>();
  private readonly formatIds = new Map<string, number>();

  constructor(table: MapTable) {
    for (const info of table.all()) {
      if (info.value === undefined) continue;
      const script = userScriptMap(info, info.value, this.maps.length);
      this.maps.push(script);
      this.userMaps.set(info.name, { script, info, keyType: info.keyType, value: info.value });
    }
  }

  userMap(name: string): UserMap {
    const map = this.userMaps.get(name);
    if (map === undefined) throw new Error(`map ${name} reached code generation without a type`);
    return map;
  }

  /** The kernel name of an internal map, created on first use. */
  internal(kind: InternalMap): string {
    const name = `.${kind}`;
    const existing = this.maps.find((m) => m.name === name);
    if (existing !== undefined) return existing.bpfName;
    const base = { name, bpfName: kind, flags: 0, keyType: null, value: null };
    switch (kind) {
      case 'events':
        this.maps.push({ ...base, ...EVENTS_RING });
        break;
      case 'lost':
        this.maps.push({ ...base, type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
        break;
      case 'kstack': case 'ustack':
        this.maps.push({ ...base, type: MapType.STACK_TRACE, keySize: 4, valueSize: MAX_STACK_LIMIT * 8, maxEntries: MAP_KEYS_MAX });
        break;
      case 'elapsed':
        this.maps.push({ ...base, type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
        break;
      case 'control':
        // One entry, so programs reach the words by address (no lookup); mmapable for the runtime.
        this.maps.push({ ...base, type: MapType.ARRAY, keySize: 4, valueSize: CONTROL_SIZE, maxEntries: 1, flags: MapFlag.MMAPABLE });
        break;
    }
    return kind;
  }

  /** The id of a printf()/system()/cat() call site; identical layouts share one id. */
  format(table: 'printf' | 'command', callKey: string, format: string, args: readonly ValueType[]): number {
    const types = args.map(toAbi);
    const key = `${table}\0${callKey}\0${JSON.stringify(types)}`;
    const known = this.formatIds.get(key);
    if (known !== undefined) return known;
    const list = table === 'printf' ? this.printfs : this.commands;
    list.push({ format, args: types, layout: tupleLayout(types) });
    this.formatIds.set(key, list.length - 1);
    return list.length - 1;
  }

  timeFormat(format: string): number {
    const known = this.timeFormats.indexOf(format);
    if (known !== -1) return known;
    this.timeFormats.push(format);
    return this.timeFormats.length - 1;
  }

  // A program may be emitted twice (see emitProgram), so equal entries share one id.
  printedValue(type: ValueType): number {
    const abi = toAbi(type);
    const known = this.printedValues.findIndex((t) => JSON.stringify(t) === JSON.stringify(abi));
    if (known !== -1) return known;
    this.printedValues.push(abi);
    return this.printedValues.length - 1;
  }

  join(spec: JoinSpec): number {
    const known = this.joins.findIndex((j) => j.delimiter === spec.delimiter && j.count === spec.count && j.size === spec.size);
    if (known !== -1) return known;
    this.joins.push(spec);
    return this.joins.length - 1;
  }

  /** A new per-CPU scratch area of `size` bytes for one program; returns its kernel name. */
  scratch(size: number): string {
    const bpfName = `scratch${this.maps.filter((m) => m.name.startsWith('.scratch')).length}`;
    this.maps.push({
      name: `.${bpfName}`, bpfName, type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: size, maxEntries: 1, flags: 0,
      keyType: null, value: null,
    });
    return bpfName;
  }

  eventsMap(): string {
    return this.internal('events');
  }

  /**
   * A map whose one entry is `value`, a table that programs index and never write (a dispatching
   * program's probe names). Equal tables share a map. Returns its kernel name.
   */
  constantTable(value: Uint8Array): string {
    const tables = this.maps.filter((m) => m.initial !== undefined);
    const known = tables.find((m) => m.initial !== undefined && Buffer.compare(m.initial[0].value, value) === 0);
    if (known !== undefined) return known.bpfName;
    const bpfName = `table${tables.length}`;
    this.maps.push({
      name: `.${bpfName}`, bpfName, type: MapType.ARRAY, keySize: 4, valueSize: value.length, maxEntries: 1,
      flags: MapFlag.RDONLY_PROG, keyType: null, value: null, initial: [{ key: new Uint8Array(4), value }],
    });
    return bpfName;
  }
}

function toValueKind(value: MapValue): MapValueKind {
  return value.kind === 'scalar' ? { kind: 'scalar', type: toAbi(value.type) } : value;
}

function userScriptMap(info: MapInfo, value: MapValue, index: number): ScriptMap {
  const kind = toValueKind(value);
  const keyType = info.keyType === null ? null : toAbi(info.keyType);
  const histogram = value.kind === 'hist' || value.kind === 'lhist';
  const keySize = (keyType === null ? 8 : sizeOf(keyType)) + (histogram ? sizeOf(bucketType) : 0);
  const buckets = value.kind === 'hist' ? HIST_BUCKETS : value.kind === 'lhist' ? Number((value.max - value.min) / value.step) + 2 : 1;
  const maxEntries = keyType === null ? buckets : MAP_KEYS_MAX * (histogram ? 16 : 1);
  return {
    name: info.name,
    bpfName: kernelName(info.name, index),
    type: value.kind === 'scalar' ? MapType.HASH : MapType.PERCPU_HASH,
    keySize,
    valueSize: Math.max(1, valueSize(kind, sizeOf)),
    maxEntries,
    flags: 0,
    keyType,
    value: kind,
  };
}

/** `@name` → `m3_name`: unique by index, at most 15 characters of [A-Za-z0-9_]. */
function kernelName(name: string, index: number): string {
  const prefix = `m${index}_`;
  const body = name.slice(1).replace(/[^A-Za-z0-9_]/g, '_') || 'anon';
  return (prefix + body).slice(0, 15);
}

