// Typing of `@map` uses: the key types a map is used with, the value it is assigned, what reading it
// gives, and what `for ($kv : @map)` iterates over. The map table (map-table.ts) keeps each map's
// shape across the script and says when a use disagrees with it.
import { type MapAccess, type MapRef, DiagnosticCode } from '../lang/index.js';
import type { Checker } from './checker.js';
import { type MapTable, mapValueName, readType } from './map-table.js';
import { suggest } from './member-access.js';
import { type ValueType, isStorable, valueTypeName } from './value-types.js';

/** The calls that are assigned to a map rather than give a value (call-checker.ts types them). */
export const AGGREGATIONS: ReadonlySet<string> = new Set(['count', 'sum', 'min', 'max', 'avg', 'stats', 'hist', 'lhist']);

function mapName(access: MapRef | MapAccess): string {
  return access.kind === 'Map' ? access.name : access.map.name;
}

export function useMapKeys(checker: Checker, access: MapRef | MapAccess): void {
  const keys = access.kind === 'Map' ? [] : access.keys.map((k) => checker.check(k));
  if (keys.some((k) => k.kind === 'none')) return;
  const bad = keys.findIndex((k) => !isStorable(k));
  if (bad !== -1 && access.kind === 'MapAccess') {
    checker.fail(DiagnosticCode.TypeMismatch, `${valueTypeName(keys[bad])} cannot be a map key`, access.keys[bad].span);
    return;
  }
  const problem = checker.maps.useKeys(mapName(access), keys, access.span);
  if (problem !== undefined) checker.fail(DiagnosticCode.TypeMismatch, problem, access.span);
}

export function recordMapValue(checker: Checker, target: MapRef | MapAccess, value: Parameters<MapTable['useValue']>[1]): void {
  const problem = checker.maps.useValue(mapName(target), value, target.span);
  if (problem !== undefined) checker.fail(DiagnosticCode.TypeMismatch, problem, target.span);
}

export function checkMapRead(checker: Checker, access: MapRef | MapAccess): ValueType {
  useMapKeys(checker, access);
  const name = mapName(access);
  const info = checker.maps.get(name);
  if (info?.value === undefined) {
    return checker.fail(DiagnosticCode.UnknownMap, `map ${name} is used but never assigned`, access.span,
      suggest(name, checker.maps.all().filter((m) => m.value !== undefined).map((m) => m.name)));
  }
  const type = readType(info.value);
  if (type === undefined) {
    return checker.fail(DiagnosticCode.InvalidOperation, `the value of ${info.value.kind}() map ${name} cannot be read in a probe`, access.span);
  }
  return type;
}

/** What `$kv` holds when iterating over a map, or none after reporting why the map cannot be iterated. */
export function checkMapIteration(checker: Checker, map: MapRef): ValueType {
  const info = checker.maps.get(map.name);
  if (info?.value === undefined) {
    return checker.fail(DiagnosticCode.UnknownMap, `map ${map.name} is used but never assigned`, map.span);
  }
  if (info.keyType === null) {
    return checker.fail(DiagnosticCode.InvalidOperation, `a for loop needs a map with keys to iterate over; ${map.name} has none`, map.span);
  }
  // count() and sum() are added up over the CPUs in the loop body (callback-emitter.ts); the others
  // have no value a probe could read whole.
  const value = readType(info.value);
  const kind = info.value.kind;
  if (value === undefined || kind === 'avg' || kind === 'min' || kind === 'max') {
    return checker.fail(DiagnosticCode.InvalidOperation, `a for loop cannot iterate over ${mapValueName(info.value)} map ${map.name}`, map.span,
      kind === 'min' || kind === 'max' ? ['its value is kept per CPU; store it with @x[k] = … to iterate over it'] : []);
  }
  return { kind: 'tuple', elements: [info.keyType, value] };
}
