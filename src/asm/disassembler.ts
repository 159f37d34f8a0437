// Prints programs in the notation of the kernel verifier's log ("0: (b7) r1 = 0"), so that our
// dumps (`-d`) and the verifier's complaints about the same program read alike and line up by slot.

import { decode } from './encoder.js';
import { helperName } from './helpers.js';
import { type Instruction, highS32, isWideLoad, slots } from './instruction.js';
import { resolveLabels } from './labels.js';
import {
  AluOp,
  AtomicOp,
  Class,
  JmpOp,
  Mode,
  PseudoCall,
  PseudoLoad,
  Size,
  Source,
  isAluClass,
  isJumpClass,
  opClass,
  opCode,
  opMode,
  opSize,
  opSource,
} from './opcodes.js';

export interface DisassembleOptions {
  /** Names the map behind an fd, for bytecode that only carries fds. */
  readonly mapName?: (fd: number) => string | undefined;
}

const aluSymbol = new Map<number, string>([
  [AluOp.ADD, '+='], [AluOp.SUB, '-='], [AluOp.MUL, '*='], [AluOp.DIV, '/='],
  [AluOp.OR, '|='], [AluOp.AND, '&='], [AluOp.LSH, '<<='], [AluOp.RSH, '>>='],
  [AluOp.MOD, '%='], [AluOp.XOR, '^='], [AluOp.MOV, '='], [AluOp.ARSH, 's>>='],
]);

const jmpSymbol = new Map<number, string>([
  [JmpOp.JEQ, '=='], [JmpOp.JGT, '>'], [JmpOp.JGE, '>='], [JmpOp.JSET, '&'],
  [JmpOp.JNE, '!='], [JmpOp.JSGT, 's>'], [JmpOp.JSGE, 's>='], [JmpOp.JLT, '<'],
  [JmpOp.JLE, '<='], [JmpOp.JSLT, 's<'], [JmpOp.JSLE, 's<='],
]);

const atomicName = new Map<number, string>([
  [AtomicOp.ADD, 'add'], [AtomicOp.OR, 'or'], [AtomicOp.AND, 'and'], [AtomicOp.XOR, 'xor'],
]);

const sizeBits = new Map<number, number>([[Size.B, 8], [Size.H, 16], [Size.W, 32], [Size.DW, 64]]);

function memType(opcode: number, signed = false): string {
  return `${signed ? 's' : 'u'}${sizeBits.get(opSize(opcode))}`;
}

/** "(r1 +8)": the kernel always shows the offset's sign. */
function address(base: number, off: number): string {
  return `(r${base} ${off >= 0 ? '+' : ''}${off})`;
}

function pcOffset(delta: number): string {
  return `pc${delta >= 0 ? '+' : ''}${delta}`;
}

/** Conditional-jump immediates are shown as the unsigned 32-bit pattern in hex. */
function hex32(imm: number): string {
  return `0x${(imm >>> 0).toString(16)}`;
}

function formatAlu(insn: Instruction): string {
  const reg = opClass(insn.opcode) === Class.ALU64 ? 'r' : 'w';
  const op = opCode(insn.opcode);
  const dst = `${reg}${insn.dst}`;
  if (op === AluOp.NEG) return `${dst} = -${dst}`;
  if (op === AluOp.END) {
    if (reg === 'r') return `r${insn.dst} = bswap${insn.imm} r${insn.dst}`;
    return `r${insn.dst} = ${opSource(insn.opcode) === Source.X ? 'be' : 'le'}${insn.imm} r${insn.dst}`;
  }
  const symbol = aluSymbol.get(op);
  if (symbol === undefined) return 'invalid alu op';
  const signed = (op === AluOp.DIV || op === AluOp.MOD) && insn.off === 1 ? 's' : '';
  if (opSource(insn.opcode) === Source.K) return `${dst} ${signed}${symbol} ${insn.imm}`;
  if (op === AluOp.MOV && insn.off !== 0) return `${dst} = (s${insn.off})${reg}${insn.src}`;
  return `${dst} ${signed}${symbol} ${reg}${insn.src}`;
}

/** The kernel names registers r even in 32-bit atomics; the width shows in the suffix and type. */
function formatAtomic(insn: Instruction): string {
  const place = `(${memType(insn.opcode)} *)${address(insn.dst, insn.off)}`;
  const src = `r${insn.src}`;
  const suffix = opSize(insn.opcode) === Size.DW ? '64' : '';
  if (insn.imm === AtomicOp.XCHG) return `${src} = atomic${suffix}_xchg(${place}, ${src})`;
  if (insn.imm === AtomicOp.CMPXCHG) return `r0 = atomic${suffix}_cmpxchg(${place}, r0, ${src})`;
  const name = atomicName.get(insn.imm & ~AtomicOp.FETCH);
  if (name === undefined) return `invalid atomic op ${hex32(insn.imm)}`;
  if ((insn.imm & AtomicOp.FETCH) !== 0) return `${src} = atomic${suffix}_fetch_${name}(${place}, ${src})`;
  return `lock *${place} ${aluSymbol.get(insn.imm)} ${src}`;
}

function formatWideLoad(insn: Instruction, options: DisassembleOptions): string {
  const value = insn.imm64 ?? BigInt(insn.imm >>> 0);
  const dst = `r${insn.dst}`;
  if (insn.src === PseudoLoad.FUNC) return `${dst} = func ${pcOffset(insn.imm)}`;
  if (insn.src !== PseudoLoad.MAP_FD && insn.src !== PseudoLoad.MAP_VALUE) return `${dst} = 0x${value.toString(16)}`;
  const fd = Number(value & 0xffffffffn);
  const name = insn.mapRef ?? options.mapName?.(fd);
  const map = name === undefined ? `map[fd:${fd}]` : `map[${name}]`;
  if (insn.src === PseudoLoad.MAP_FD) return `${dst} = ${map}`;
  return `${dst} = ${map}[0]+${highS32(value)}`;
}

function formatLoadStore(insn: Instruction): string {
  const cls = opClass(insn.opcode);
  const mode = opMode(insn.opcode);
  if (cls === Class.LDX && (mode === Mode.MEM || mode === Mode.MEMSX)) {
    return `r${insn.dst} = *(${memType(insn.opcode, mode === Mode.MEMSX)} *)${address(insn.src, insn.off)}`;
  }
  if (cls === Class.STX && mode === Mode.MEM) {
    return `*(${memType(insn.opcode)} *)${address(insn.dst, insn.off)} = r${insn.src}`;
  }
  if (cls === Class.STX && mode === Mode.ATOMIC) return formatAtomic(insn);
  if (cls === Class.ST && mode === Mode.MEM) {
    return `*(${memType(insn.opcode)} *)${address(insn.dst, insn.off)} = ${insn.imm}`;
  }
  if (cls === Class.LD && mode === Mode.ABS) return `r0 = *(${memType(insn.opcode)} *)skb[${insn.imm}]`;
  if (cls === Class.LD && mode === Mode.IND) return `r0 = *(${memType(insn.opcode)} *)skb[r${insn.src} + ${insn.imm}]`;
  return 'invalid load/store';
}

function formatCall(insn: Instruction): string {
  if (insn.src === PseudoCall.CALL) return `call ${pcOffset(insn.imm)}`;
  if (insn.src === PseudoCall.KFUNC_CALL) return `call kfunc#${insn.imm}`;
  const name = helperName(insn.imm);
  return `call ${name === undefined ? 'unknown' : `bpf_${name}`}#${insn.imm}`;
}

function formatJump(insn: Instruction): string {
  const op = opCode(insn.opcode);
  const wide = opClass(insn.opcode) === Class.JMP;
  if (op === JmpOp.CALL) return formatCall(insn);
  if (op === JmpOp.EXIT) return 'exit';
  if (op === JmpOp.JA) return wide ? `goto ${pcOffset(insn.off)}` : `gotol ${pcOffset(insn.imm)}`;
  const symbol = jmpSymbol.get(op);
  if (symbol === undefined) return 'invalid jump op';
  const reg = wide ? 'r' : 'w';
  const right = opSource(insn.opcode) === Source.X ? `${reg}${insn.src}` : hex32(insn.imm);
  return `if ${reg}${insn.dst} ${symbol} ${right} goto ${pcOffset(insn.off)}`;
}

/** One instruction without its slot index, e.g. "(07) r1 += -8". */
export function formatInstruction(insn: Instruction, options: DisassembleOptions = {}): string {
  const opcode = `(${insn.opcode.toString(16).padStart(2, '0')})`;
  if (isWideLoad(insn)) return `${opcode} ${formatWideLoad(insn, options)}`;
  if (isAluClass(insn.opcode)) return `${opcode} ${formatAlu(insn)}`;
  if (isJumpClass(insn.opcode)) return `${opcode} ${formatJump(insn)}`;
  return `${opcode} ${formatLoadStore(insn)}`;
}

/**
 * The whole program, one line per instruction prefixed with its slot index (a wide load takes two
 * slots, so the index after it skips one). Symbolic jumps are shown resolved.
 */
export function disassemble(program: readonly Instruction[] | Uint8Array, options: DisassembleOptions = {}): string {
  const insns = program instanceof Uint8Array ? decode(program) : resolveLabels(program);
  const lines: string[] = [];
  let slot = 0;
  for (const insn of insns) {
    lines.push(`${slot}: ${formatInstruction(insn, options)}`);
    slot += slots(insn);
  }
  return lines.join('\n');
}
