// Callbacks of bpf_for_each_map_elem (Linux 5.13): `for ($kv : @map) { … }` and `len(@map)`.
//
// A callback is a BPF function of its own, placed after the program's code, with its own frame below
// its own R10; the helper calls it once per entry with (map, key, value, ctx) in R1–R4 and stops when
// it returns 1. ctx is the program's frame: every `$variable` lives there, so a loop body reads and
// writes the probe's variables through that pointer (PROGRAM_FRAME) and the probe sees what the body
// left in them. `$kv` is a tuple slot in the program's frame that each call fills from its entry: the
// key (a tuple for several keys) and the value. A count() or sum() value is added up over every CPU's
// slot, as bpftrace 0.21 reads them in a for loop and as the runtime merges them when it prints the
// map. A callback that uses scratch space looks the per-CPU area up again: it
// runs on the caller's CPU, so it finds the caller's.
//
// The body's end and `continue` return 0, `break` returns 1. exit() stops the loop too and raises a
// flag in the program's frame, after which the caller ends as well, as exit() ends a probe.
//
// The verifier runs a callback again and again until the states it starts from repeat. A counter the
// body keeps in a probe variable would differ on every pass once a comparison made it precise
// (`if (++$n == 3) { break; }`), and verification would never end. So before the call, each integer
// variable the body writes gets an atomic add of 0: its value is unchanged, but unknown to the
// verifier, and the passes repeat at once.
import { Assembler, Helper, type Instruction, type Register, R0, R1, R2, R3, R4, slots } from '../asm/index.js';
import { sizeOf, tupleLayout } from '../abi/index.js';
import type { Call, Expr, For, MapRef, Statement } from '../lang/index.js';
import { walkStatement } from './ast-walk.js';
import type { ProgramFunction } from './compiled-script.js';
import { removeDeadCode } from './dead-code.js';
import { type Place, at } from './frame.js';
import { PROGRAM_FRAME, copyBytes, lookupScratch, storeZeros, throughProgramFrame, valueSize } from './place-emitter.js';
import type { ProgramEmitter } from './program-emitter.js';
import type { UserMap } from './script-builder.js';
import { toAbi } from './value-types.js';

/** A callback waiting for the scratch map's name (known once the program is emitted) to be completed. */
export interface Callback {
  readonly name: string;
  /** Its entry: the label of its first instruction. */
  readonly label: string;
  readonly assemble: (scratchMap: string | undefined) => Instruction[];
}

/** A program's instructions, with its callbacks after its own code. */
export interface EmittedProgram {
  readonly instructions: Instruction[];
  /** The callbacks' functions, where they start; absent when the program has none. */
  readonly callbacks?: readonly ProgramFunction[];
}

/**
 * Where merging a per-CPU value gives up looking for more CPUs (the helper's NULL ends it first): the
 * verifier walks every pass of that loop, so its bound is what verification costs: ~28k instructions a loop.
 */
const CPU_LIMIT = 1024;

/** len()'s callback, which every len() of a program shares: it counts nothing, the helper does. */
const COUNTER = 'count_entries';

export function placeCallbacks(main: Instruction[], callbacks: readonly Callback[], scratchMap: string | undefined): EmittedProgram {
  if (callbacks.length === 0) return { instructions: main };
  const instructions = [...main];
  const functions: ProgramFunction[] = [];
  for (const callback of callbacks) {
    const offset = instructions.reduce((sum, insn) => sum + slots(insn), 0);
    functions.push({ name: callback.name, offset, signature: 'map-callback' });
    instructions.push(...removeDeadCode(callback.assemble(scratchMap)));
  }
  return { instructions, callbacks: functions };
}

/** `len(@map)`: bpf_for_each_map_elem returns how many entries it visited. */
export function emitMapLength(e: ProgramEmitter, call: Call): Register {
  const map = e.script.userMap((call.args[0] as MapRef).name);
  const counter = e.programCallbacks.find((c) => c.name === COUNTER)?.label ?? e.addCallback({
    name: COUNTER,
    label: COUNTER,
    assemble: () => new Assembler().label(COUNTER).mov64(R0, 0).exit().instructions(),
  });
  e.asm.ldMap(R1, map.script.bpfName).ldFunc(R2, counter).mov64(R3, 0).mov64(R4, 0).call(Helper.for_each_map_elem);
  const reg = e.regs.acquire();
  e.asm.mov64(reg, R0);
  return reg;
}

export function emitForMap(e: ProgramEmitter, statement: For): void {
  const map = e.script.userMap((statement.iterable as MapRef).name);
  const size = valueSize(e.typeOf(statement.variable));
  const pair = e.programSlot(size);
  // The bytes between key and value are never written by the callback; zeroed, the tuple prints and compares.
  storeZeros(e, pair, size);
  const stopped = callsExit(statement.body) ? e.programSlot(8) : undefined;
  if (stopped !== undefined) e.asm.st('dw', stopped.base, stopped.offset, 0);
  const entry = e.addCallback(emitLoopBody(e.callback('for'), statement, map, pair, stopped));
  for (const name of writtenVariables(statement.body)) {
    const place = e.variables.get(name);
    if (place !== undefined && e.analysis.variables.get(name)?.kind === 'int') e.asm.mov64(R1, 0).atomic('add', 'dw', place.base, place.offset, R1);
  }
  e.asm.ldMap(R1, map.script.bpfName).ldFunc(R2, entry).mov64(R3, e.framePointer).mov64(R4, 0).call(Helper.for_each_map_elem);
  if (stopped !== undefined) e.asm.ldx('dw', R1, stopped.base, stopped.offset).jmp('ne', R1, 0, e.exitLabel);
}

/**
 * The loop body as a callback: fills `$kv` from the entry, runs the statements, returns 0 or 1. `pair`
 * and `stopped` are slots of the program's frame as the caller reaches them.
 */
function emitLoopBody(body: ProgramEmitter, statement: For, map: UserMap, pair: Place, stopped: Place | undefined): Callback {
  const pairType = body.typeOf(statement.variable);
  if (pairType.kind !== 'tuple') throw new Error(`for loop variable ${statement.variable.name} is not a (key, value) tuple`);
  const [keyType, valueType] = pairType.elements.map(toAbi);
  body.frame.beginFunction();
  const entry = body.label('entry');
  const loop = { top: body.label('continue'), end: body.label('break') };
  const scratchKey = body.withScratch ? body.frame.allocate(8) : undefined;
  const key = body.regs.acquire();
  const value = body.regs.acquire();
  const layout = tupleLayout([keyType, valueType]);
  const pairInBody = throughProgramFrame(pair);
  body.variables.set(statement.variable.name, pairInBody);
  copyBytes(body, at(pairInBody, layout.offsets[0]), { base: key, offset: 0 }, sizeOf(keyType));
  if (map.value.kind === 'scalar') copyBytes(body, at(pairInBody, layout.offsets[1]), { base: value, offset: 0 }, sizeOf(valueType));
  body.regs.release(value);
  if (map.value.kind !== 'scalar') emitMergedValue(body, map, key, at(pairInBody, layout.offsets[1]));
  body.regs.release(key);
  body.loops.push(loop);
  body.statement(statement.body);
  body.asm.label(loop.top).mov64(R0, 0).exit();
  // exit() and the few jumps that end a probe early (a dispatched probe's bounds check) stop the loop.
  body.asm.label(body.exitLabel);
  if (stopped !== undefined) {
    const flag = throughProgramFrame(stopped);
    body.asm.st('dw', flag.base, flag.offset, 1);
  }
  body.asm.label(loop.end).mov64(R0, 1).exit();
  body.frame.endFunction();
  const code = body.asm.instructions();
  return {
    name: body.name,
    label: entry,
    assemble: (scratchMap) => [...callbackPrologue(entry, key, value, scratchMap, scratchKey, loop.end), ...code],
  };
}

/**
 * Stores at `to` the count() or sum() of the entry whose key `key` points to, added up over the CPUs:
 * bpf_map_lookup_percpu_elem (5.19) finds each CPU's slot until it reports no such CPU. The CPU number
 * stays on the stack, where the verifier tracks it and sees the loop end.
 */
function emitMergedValue(e: ProgramEmitter, map: UserMap, key: Register, to: Place): void {
  const [cpu, total] = [e.frame.allocate(8), e.frame.allocate(8)];
  const [top, done] = [e.label('cpu'), e.label('cpus_done')];
  e.asm.st('dw', total.base, total.offset, 0).st('dw', cpu.base, cpu.offset, 0);
  e.asm.label(top).ldMap(R1, map.script.bpfName).mov64(R2, key).ldx('dw', R3, cpu.base, cpu.offset)
    .call(Helper.map_lookup_percpu_elem).jmp('eq', R0, 0, done)
    .ldx('dw', R1, R0, 0).ldx('dw', R2, total.base, total.offset).add64(R2, R1).stx('dw', total.base, total.offset, R2)
    .ldx('dw', R1, cpu.base, cpu.offset).add64(R1, 1).stx('dw', cpu.base, cpu.offset, R1).jmp('lt', R1, CPU_LIMIT, top);
  e.asm.label(done).ldx('dw', R1, total.base, total.offset).stx('dw', to.base, to.offset, R1);
}

/**
 * Keeps the entry's key and value pointers and the program's frame in callee-saved registers (helper
 * calls clobber R1–R5), then finds the scratch area when the program has one.
 */
function callbackPrologue(
  entry: string, key: Register, value: Register, scratchMap: string | undefined, scratchKey: Place | undefined, fail: string,
): Instruction[] {
  const asm = new Assembler().label(entry).mov64(key, R2).mov64(value, R3).mov64(PROGRAM_FRAME, R4);
  if (scratchMap !== undefined && scratchKey !== undefined) lookupScratch(asm, scratchMap, scratchKey, fail);
  return asm.instructions();
}

/** The `$variables` a statement assigns, declares or increments, nested statements included. */
function writtenVariables(statement: Statement): Set<string> {
  const names = new Set<string>();
  const visit = (expr: Expr): void => {
    if (expr.kind === 'Update' && expr.operand.kind === 'Variable') names.add(expr.operand.name);
  };
  const walk = (inner: Statement): void => {
    if (inner.kind === 'Assignment' && inner.target.kind === 'Variable') names.add(inner.target.name);
    if (inner.kind === 'VarDecl') names.add(inner.variable.name);
    if (inner.kind === 'Block') inner.statements.forEach(walk);
    else if (inner.kind === 'If') [inner.then, inner.else].forEach((branch) => branch !== null && walk(branch));
    else if (inner.kind === 'Unroll' || inner.kind === 'While' || inner.kind === 'For') walk(inner.body);
  };
  walk(statement);
  walkStatement(statement, visit);
  return names;
}

function callsExit(body: Statement): boolean {
  let found = false;
  walkStatement(body, (expr) => {
    if (expr.kind === 'Call' && expr.callee === 'exit') found = true;
  });
  return found;
}
