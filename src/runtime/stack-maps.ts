// Stack ids → return addresses, through the script's STACK_TRACE maps (key: u32 stack id; value:
// u64 addresses, innermost first, zero after the last frame). A script that uses both kstack and
// ustack may keep them in separate maps; one whose name says which kind it holds is preferred.
import type { ScriptMap } from '../compiler/compiled-script.js';
import type { BpfMap } from '../kernel/index.js';
import { MapType } from '../sys/index.js';
import type { StackKind, StackSource } from './decode.js';

export class StackMaps implements StackSource {
  private readonly byKind: ReadonlyMap<StackKind, BpfMap>;

  constructor(specs: readonly ScriptMap[], live: (spec: ScriptMap) => BpfMap) {
    const stackSpecs = specs.filter((spec) => spec.type === MapType.STACK_TRACE);
    const pick = (kind: StackKind): ScriptMap | undefined =>
      stackSpecs.find((spec) => spec.name.includes(kind) || spec.bpfName.includes(kind)) ?? stackSpecs[0];
    const byKind = new Map<StackKind, BpfMap>();
    for (const kind of ['kstack', 'ustack'] as const) {
      const spec = pick(kind);
      if (spec) byKind.set(kind, live(spec));
    }
    this.byKind = byKind;
  }

  addresses(kind: StackKind, stackId: number): readonly bigint[] | undefined {
    const map = this.byKind.get(kind);
    if (map === undefined) return undefined;
    const key = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, stackId, true);
    const value = map.lookup(key);
    if (value === undefined) return undefined;
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const addresses: bigint[] = [];
    for (let offset = 0; offset + 8 <= value.byteLength; offset += 8) {
      const address = view.getBigUint64(offset, true);
      if (address === 0n) break;
      addresses.push(address);
    }
    return addresses;
  }
}
