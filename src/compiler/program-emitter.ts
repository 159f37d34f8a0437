// Pass 3: code generation for one probe group. This file owns the program's frame layout, its
// prologue and epilogue, and statements; expressions, memory values, maps and events are emitted by
// the sibling *-emitter.ts files, which all work on the `ProgramEmitter` state defined here.
//
// The siblings call the mutually recursive entry points — an integer expression (`emitScalar`), a
// value written into memory (`emitInto`), a statement — as methods of that state, not by importing
// the files that define them, so their imports point one way and form no cycle
// (test/architecture/import-cycles.test.ts).
//
// Scheme: R1 (the context) is saved at fp-8 on entry, a store dropped again when nothing loads it. Integer values live in R6–R9 (registers.ts);
// every other value (strings, tuples, buffers, stacks) is written straight into its destination —
// a frame slot, a map key or a ring-buffer record — by `emitInto`. Each `$variable` has a fixed,
// zero-initialised frame slot. Temporaries are released after each statement.
//
// A program is emitted with the stack alone first. When its slots overflow the stack it is emitted
// again with a per-CPU scratch area (frame.ts): the prologue looks the area up once and SCRATCH_BASE
// keeps its address, so the values that do not fit on the stack live there.
//
// A `for` loop's body and len()'s counter are callbacks: BPF functions placed after the program's
// code, each emitted by a ProgramEmitter of its own that shares the program's frame allocator and
// reaches the program's frame — its variables, its saved context — through PROGRAM_FRAME
// (place-emitter.ts, callback-emitter.ts).
import { Assembler, type Register, R0, R1, R10 } from '../asm/index.js';
import { type Diagnostic, type Expr, type Statement, DiagnosticCode, error } from '../lang/index.js';
import { applyCompound } from './arithmetic-emitter.js';
import { type Callback, type EmittedProgram, emitForMap, placeCallbacks } from './callback-emitter.js';
import type { GroupAnalysis } from './checker.js';
import { removeDeadCode } from './dead-code.js';
import { emitDispatchPrologue } from './dispatch-emitter.js';
import { emitCallStatement } from './event-emitter.js';
import { emitScalar } from './expression-emitter.js';
import { type Place, StackFrame } from './frame.js';
import { emitMapAssignment } from './map-emitter.js';
import {
  PROGRAM_FRAME, SCRATCH_BASE, lookupScratch, placeAddress, storeZeros, throughProgramFrame, valueSize,
} from './place-emitter.js';
import { RegisterPool } from './registers.js';
import type { ScriptBuilder } from './script-builder.js';
import type { TypeUniverse } from './type-universe.js';
import { emitInto } from './value-emitter.js';
import type { ValueType } from './value-types.js';

const CONTEXT_SLOT = -8;

/** Emits a group's program, with a scratch area only when its values do not fit on the stack. */
export function emitProgram(analysis: GroupAnalysis, script: ScriptBuilder, universe: TypeUniverse, diagnostics: Diagnostic[]): EmittedProgram {
  const problems: Diagnostic[] = [];
  const onStack = new ProgramEmitter(analysis, script, universe, problems, false);
  const emitted = onStack.emit();
  if (!onStack.frame.overflowed) {
    diagnostics.push(...problems);
    return emitted;
  }
  return new ProgramEmitter(analysis, script, universe, diagnostics, true).emit();
}

/**
 * Loops are unrolled by the verifier, iteration by iteration, so they must stay bounded. `top` is
 * where `continue` goes and `end` where `break` goes (in a loop body's callback: its two returns).
 */
export interface Loop {
  readonly top: string;
  readonly end: string;
}

export class ProgramEmitter {
  readonly asm = new Assembler();
  readonly regs: RegisterPool;
  readonly frame: StackFrame;
  readonly variables = new Map<string, Place>();
  readonly loops: Loop[] = [];
  /** The program's frame as this function reaches it: R10 in the program, PROGRAM_FRAME in callbacks. */
  readonly framePointer: Register;
  private labelCount = 0;
  private contextUsed = false;
  /** Where a dispatching program keeps the record it rebuilt; undefined when the context is the record. */
  private record: Place | undefined;
  readonly exitLabel: string;
  /** The program's emitter, which keeps what concerns the whole program: callbacks, the saved context. */
  private readonly program: ProgramEmitter;
  private readonly callbacks: Callback[] = [];
  private callbackCount = 0;

  /** `caller` and `name` make a callback's emitter, which sees the caller's variables. */
  constructor(
    readonly analysis: GroupAnalysis,
    readonly script: ScriptBuilder,
    readonly universe: TypeUniverse,
    readonly diagnostics: Diagnostic[],
    readonly withScratch: boolean,
    caller?: ProgramEmitter,
    /** Empty for the program's own code; a callback's function name, which prefixes its labels. */
    readonly name = '',
  ) {
    const scratch = withScratch ? [SCRATCH_BASE] : [];
    this.program = caller?.program ?? this;
    this.frame = caller?.frame ?? new StackFrame(diagnostics, analysis.group.probe.span, scratch[0]);
    this.framePointer = caller === undefined ? R10 : PROGRAM_FRAME;
    this.regs = new RegisterPool(caller === undefined ? scratch : [...scratch, PROGRAM_FRAME]);
    for (const [variable, place] of caller?.variables ?? []) this.variables.set(variable, throughProgramFrame(place));
    this.exitLabel = this.label('exit');
  }

  label(hint: string): string {
    return `${this.name === '' ? '' : `${this.name}_`}${hint}_${this.labelCount++}`;
  }

  /** An emitter for a new callback of this program, called from this function. */
  callback(hint: string): ProgramEmitter {
    const name = `${hint}${this.program.callbackCount++}`;
    return new ProgramEmitter(this.analysis, this.script, this.universe, this.diagnostics, this.withScratch, this, name);
  }

  /** Places a callback's code after the program's; returns its entry label. */
  addCallback(callback: Callback): string {
    this.program.callbacks.push(callback);
    return callback.label;
  }

  /** The callbacks added so far, for those shared by every caller in the program (len()'s counter). */
  get programCallbacks(): readonly Callback[] {
    return this.program.callbacks;
  }

  /** A slot in the program's frame, as this function reaches it: for values callbacks share with their caller. */
  programSlot(size: number): Place {
    const place = this.frame.allocateInProgram(size);
    return this.program === this ? place : throughProgramFrame(place);
  }

  /** Evaluates an integer expression into a register, which the caller releases (expression-emitter.ts). */
  emitScalar(expr: Expr): Register {
    return emitScalar(this, expr);
  }

  /** Writes an expression's value, laid out as `type`, at `place` (value-emitter.ts). */
  emitInto(expr: Expr, place: Place, type: ValueType): void {
    emitInto(this, expr, place, type);
  }

  typeOf(expr: Expr): ValueType {
    const type = this.analysis.types.get(expr);
    if (type === undefined) throw new Error(`no type for ${expr.kind} at ${expr.span.start}`);
    return type;
  }

  /** Loads the program's context pointer (saved on entry) into `reg`. */
  loadContext(reg: Register): void {
    this.program.contextUsed = true;
    this.asm.ldx('dw', reg, this.framePointer, CONTEXT_SLOT);
  }

  /**
   * Loads the address of the record the probe's `args` are read from: the context itself, or the
   * copy a dispatching program rebuilds in its frame (dispatch-emitter.ts).
   */
  loadRecord(reg: Register): void {
    const { record } = this.program;
    if (record === undefined) {
      this.loadContext(reg);
      return;
    }
    placeAddress(this, reg, this.program === this ? record : throughProgramFrame(record));
  }

  /** Reserves the rebuilt record's place in the program's frame, for the whole program. */
  allocateRecord(size: number): Place {
    if (this.program !== this || this.record !== undefined) throw new Error('a program rebuilds its record once, on entry');
    this.record = this.frame.allocateInProgram(size);
    return this.record;
  }

  unsupported(message: string, expr: { span: Expr['span'] }): void {
    this.diagnostics.push(error(DiagnosticCode.Unsupported, message, expr.span));
  }

  emit(): EmittedProgram {
    const { probe } = this.analysis.group;
    this.frame.allocate(8);
    const scratchKey = this.withScratch ? this.frame.allocate(8) : undefined;
    emitDispatchPrologue(this);
    for (const [name, type] of this.analysis.variables) {
      const size = valueSize(type);
      const slot = this.frame.allocate(size);
      this.variables.set(name, slot);
      storeZeros(this, slot, size);
    }
    if (probe.predicate !== null) {
      const mark = this.frame.mark();
      const reg = this.emitScalar(probe.predicate);
      this.asm.jmp('eq', reg, 0, this.exitLabel);
      this.regs.release(reg);
      this.frame.release(mark);
    }
    this.statement(probe.body);
    this.asm.label(this.exitLabel).mov64(R0, 0).exit();
    this.frame.finish();
    // The prologue is written last, when the scratch area's size is known; jumps are still symbolic.
    const prologue = new Assembler();
    if (this.contextUsed) prologue.stx('dw', R10, CONTEXT_SLOT, R1);
    const scratchMap = scratchKey === undefined ? undefined : this.script.scratch(this.frame.scratchSize);
    if (scratchKey !== undefined && scratchMap !== undefined) lookupScratch(prologue, scratchMap, scratchKey, this.exitLabel);
    const main = removeDeadCode([...prologue.instructions(), ...this.asm.instructions()]);
    return placeCallbacks(main, this.callbacks, scratchMap);
  }

  statement(statement: Statement): void {
    const mark = this.frame.mark();
    this.statementBody(statement);
    this.frame.release(mark);
  }

  private statementBody(statement: Statement): void {
    switch (statement.kind) {
      case 'Block':
        for (const inner of statement.statements) this.statement(inner);
        return;
      case 'ExprStatement':
        if (statement.expr.kind === 'Call') emitCallStatement(this, statement.expr);
        else this.regs.release(this.emitScalar(statement.expr));
        return;
      case 'Assignment':
        if (statement.target.kind === 'Variable') this.assignVariable(statement.target.name, statement.operator, statement.value);
        else emitMapAssignment(this, statement);
        return;
      case 'VarDecl':
        if (statement.value !== null) this.assignVariable(statement.variable.name, '=', statement.value);
        return;
      case 'If': {
        const otherwise = this.label('else');
        const end = this.label('endif');
        const cond = this.emitScalar(statement.condition);
        this.asm.jmp('eq', cond, 0, otherwise);
        this.regs.release(cond);
        this.statement(statement.then);
        if (statement.else !== null) {
          this.asm.ja(end);
          this.asm.label(otherwise);
          this.statement(statement.else);
          this.asm.label(end);
        } else {
          this.asm.label(otherwise);
        }
        return;
      }
      case 'Unroll': {
        const count = this.analysis.constants.get(statement.count);
        for (let i = 0n; typeof count === 'bigint' && i < count; i++) this.statement(statement.body);
        return;
      }
      case 'While': {
        const loop = { top: this.label('while'), end: this.label('endwhile') };
        this.asm.label(loop.top);
        const cond = this.emitScalar(statement.condition);
        this.asm.jmp('eq', cond, 0, loop.end);
        this.regs.release(cond);
        this.loops.push(loop);
        this.statement(statement.body);
        this.loops.pop();
        this.asm.ja(loop.top);
        this.asm.label(loop.end);
        return;
      }
      case 'Break': case 'Continue': {
        const loop = this.loops[this.loops.length - 1];
        this.asm.ja(statement.kind === 'Break' ? loop.end : loop.top);
        return;
      }
      case 'Return':
        this.asm.ja(this.exitLabel);
        return;
      case 'For':
        emitForMap(this, statement);
        return;
    }
  }

  /** `$x = v` writes v into the variable's slot; `$x op= v` computes in a register. */
  private assignVariable(name: string, operator: string, value: Expr): void {
    const place = this.variables.get(name);
    const type = this.analysis.variables.get(name);
    if (place === undefined || type === undefined) throw new Error(`variable ${name} has no slot`);
    if (operator === '=') {
      this.emitInto(value, place, type);
      return;
    }
    const reg = this.regs.acquire();
    this.asm.ldx('dw', reg, place.base, place.offset);
    const result = applyCompound(this, reg, operator.slice(0, -1), value);
    this.asm.stx('dw', place.base, place.offset, result);
    this.regs.release(result);
  }
}
