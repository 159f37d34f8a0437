// The kernel's BTF for the compiler, read only when the compiler first asks for a type. Most
// one-liners (tracepoint args come from tracefs, builtins need no types) never do, and parsing the
// 5 MB vmlinux blob is a visible share of start-up time.
import { loadKernelBtf, type Btf, type BtfKind, type BtfTypeOfKind } from '../btf/index.js';
import type { BtfTypes } from '../compiler/index.js';

export class LazyBtf implements BtfTypes {
  constructor(private readonly load: () => Btf = () => loadKernelBtf()) {}

  /** Asked for only when a script names an identifier that may be an enumerator (`TCP_FIN_WAIT1`). */
  get typeCount(): number {
    return this.load().typeCount;
  }

  type(...args: Parameters<Btf['type']>): ReturnType<Btf['type']> {
    return this.load().type(...args);
  }

  findType<K extends BtfKind>(name: string, kind?: K): BtfTypeOfKind<K> | undefined {
    return this.load().findType(name, kind);
  }

  resolve(...args: Parameters<Btf['resolve']>): ReturnType<Btf['resolve']> {
    return this.load().resolve(...args);
  }

  sizeOf(...args: Parameters<Btf['sizeOf']>): ReturnType<Btf['sizeOf']> {
    return this.load().sizeOf(...args);
  }

  members(...args: Parameters<Btf['members']>): ReturnType<Btf['members']> {
    return this.load().members(...args);
  }

  typeName(...args: Parameters<Btf['typeName']>): ReturnType<Btf['typeName']> {
    return this.load().typeName(...args);
  }

  isSigned(...args: Parameters<Btf['isSigned']>): ReturnType<Btf['isSigned']> {
    return this.load().isSigned(...args);
  }

  arrayInfo(...args: Parameters<Btf['arrayInfo']>): ReturnType<Btf['arrayInfo']> {
    return this.load().arrayInfo(...args);
  }
}
