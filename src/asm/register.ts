// Registers are objects rather than numbers so that an operand's type alone tells register from
// immediate: `b.add64(R1, R2)` adds a register, `b.add64(R1, 2)` adds the constant 2.

export class Register {
  private constructor(readonly index: number) {}

  /** The only constructor, so that every register is one of the eleven shared instances. */
  static readonly all: readonly Register[] = Array.from({ length: 11 }, (_, i) => new Register(i));

  toString(): string {
    return `r${this.index}`;
  }
}

/** Return value, and scratch between calls. */
export const R0 = Register.all[0];
/** Arguments of helper calls (R1–R5), clobbered by every call; R1 holds the context on entry. */
export const R1 = Register.all[1];
export const R2 = Register.all[2];
export const R3 = Register.all[3];
export const R4 = Register.all[4];
export const R5 = Register.all[5];
/** Callee-saved (R6–R9): survive helper calls. */
export const R6 = Register.all[6];
export const R7 = Register.all[7];
export const R8 = Register.all[8];
export const R9 = Register.all[9];
/** Read-only frame pointer; the stack is the 512 bytes below it. */
export const R10 = Register.all[10];

/** The register with this number, for code (such as a register allocator) that computes it. */
export function register(index: number): Register {
  const reg = Register.all[index];
  if (reg === undefined) throw new RangeError(`no eBPF register r${index} (r0–r10 exist)`);
  return reg;
}
