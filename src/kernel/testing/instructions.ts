// Hand-encoded eBPF instructions for tests of loading, independent of src/asm so a fault there cannot
// hide or fake one here. Layout per instruction: opcode, dst | src << 4, s16 offset, s32 immediate.

export function instruction(opcode: number, dst: number, src: number, offset: number, imm: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, opcode);
  view.setUint8(1, (src << 4) | dst);
  view.setInt16(2, offset, true);
  view.setInt32(4, imm, true);
  return bytes;
}

export function encode(...instructions: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(instructions.length * 8);
  instructions.forEach((insn, i) => bytes.set(insn, i * 8));
  return bytes;
}

/** dst = imm (BPF_ALU64 | BPF_MOV | BPF_K). */
export const movImm = (dst: number, imm: number): Uint8Array => instruction(0xb7, dst, 0, 0, imm);
/** dst = *(u64 *)(src + offset) (BPF_LDX | BPF_MEM | BPF_DW). */
export const loadU64 = (dst: number, src: number, offset: number): Uint8Array => instruction(0x79, dst, src, offset, 0);
export const exit = (): Uint8Array => instruction(0x95, 0, 0, 0, 0);

/** `r0 = 0; exit`: the smallest program every type accepts. */
export const RETURN_ZERO = encode(movImm(0, 0), exit());
