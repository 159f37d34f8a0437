// Typed arguments from BTF, shared by rawtracepoint (the `btf_trace_<name>` prototype) and
// fentry/fexit (the kernel function's prototype). Both programs receive their arguments as an array
// of u64 slots, one per argument (two for a struct of 9–16 bytes passed by value).
import type { Btf, BtfParam } from '../btf/index.js';
import type { ArgField } from './provider.js';

const SLOT = 8;

export interface SlotArgs {
  readonly args: readonly ArgField[];
  /** Slots the arguments fill; fexit's return value sits in the slot after them. */
  readonly slots: number;
}

export function slotArgs(btf: Btf, params: readonly BtfParam[]): SlotArgs {
  const args: ArgField[] = [];
  let slot = 0;
  for (const param of params) {
    const field = btfField(btf, param.name, param.type, slot * SLOT);
    args.push(field);
    slot += Math.max(1, Math.ceil(field.size / SLOT));
  }
  return { args, slots: slot };
}

/** A kernel value of BTF type `type` at `offset` in the context. */
export function btfField(btf: Btf, name: string, type: number, offset: number): ArgField {
  return {
    name,
    cType: btf.typeName(type),
    offset,
    size: btf.sizeOf(type),
    signed: btf.isSigned(type),
    dataLoc: false,
    userPointer: false,
    btfType: type,
  };
}

/** A parameter as `-lv` prints it: `struct task_struct * prev`. */
export function paramDeclaration(btf: Btf, name: string, type: number): string {
  return `${btf.typeName(type)} ${name}`;
}

const namesByKind = new WeakMap<Btf, Map<string, string[]>>();

/**
 * Names of every type of one kind, in id order. Wildcards and listings need the whole set; reading
 * all ~126k vmlinux types takes a moment, so each kind is collected once per BTF.
 */
export function btfNamesOfKind(btf: Btf, kind: 'func' | 'typedef'): readonly string[] {
  let byKind = namesByKind.get(btf);
  if (byKind === undefined) {
    byKind = new Map();
    namesByKind.set(btf, byKind);
  }
  let names = byKind.get(kind);
  if (names === undefined) {
    names = [];
    for (let id = 1; id < btf.typeCount; id++) {
      const type = btf.type(id);
      if (type.kind === kind && type.name !== '') names.push(type.name);
    }
    byKind.set(kind, names);
  }
  return names;
}
