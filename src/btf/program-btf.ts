// The BTF a program made of several BPF functions must be loaded with. The verifier refuses to take a
// callback's address (bpf_for_each_map_elem) unless every function of the program has a func_info
// record: its first instruction and the id of a FUNC, in a BTF object loaded beforehand, whose
// prototype gives its arguments. bpfscope's functions come in two shapes only, so one blob serves any
// number of programs: each shape's prototype is written once and each function adds a FUNC.
import { BtfWriter } from './btf-writer.js';

/**
 * `program`: a program's entry, `int f(void *ctx)`. `map-callback`: a bpf_for_each_map_elem callback,
 * `long f(void *map, void *key, void *value, void *ctx)`, returning 0 to go on and 1 to stop.
 */
export type FunctionSignature = 'program' | 'map-callback';

/** One record of BPF_PROG_LOAD's func_info (struct bpf_func_info). */
export interface FunctionInfo {
  /** The function's first instruction, counted in 8-byte slots from the program's start. */
  readonly insnOffset: number;
  readonly typeId: number;
}

export class ProgramBtfBuilder {
  private readonly writer = new BtfWriter();
  private readonly protos = new Map<FunctionSignature, number>();
  private voidPointer: number | undefined;

  /** Adds a function of this shape and returns the id of its FUNC. */
  func(name: string, signature: FunctionSignature): number {
    // Static: a callback is then verified in the context of each call, where its arguments are known.
    return this.writer.func(identifier(name), this.proto(signature), 'static');
  }

  build(): Uint8Array {
    return this.writer.build();
  }

  private proto(signature: FunctionSignature): number {
    const known = this.protos.get(signature);
    if (known !== undefined) return known;
    this.voidPointer ??= this.writer.ptr(0);
    const voidPtr = this.voidPointer;
    const proto = signature === 'program'
      ? this.writer.funcProto(this.writer.int('int', 4, { signed: true }), [['ctx', voidPtr]])
      : this.writer.funcProto(this.writer.int('long', 8, { signed: true }),
        [['map', voidPtr], ['key', voidPtr], ['value', voidPtr], ['ctx', voidPtr]]);
    this.protos.set(signature, proto);
    return proto;
  }
}

/** The kernel accepts only C identifiers as FUNC names. */
function identifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
