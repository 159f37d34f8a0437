// Where a program keeps the values it builds: the 512 bytes of BPF stack below R10 and, for a program
// whose values do not fit there, a per-CPU scratch area (one array map entry) whose address is kept
// in a register for the whole program. Slots are handed out like a stack — `mark()` before a
// statement's temporaries, `release(mark)` after — so temporaries of sibling expressions reuse the
// same bytes, and the deepest point reached is the size the verifier sees.
//
// With a scratch area, values wider than a word (strings, tuples, keys, buffers) go there, and words —
// integer variables, spilled registers, helper arguments — stay on the stack while it has room: the
// verifier tracks the exact value of a word on the stack but forgets what a map value holds, so a
// loop counter kept in scratch space would make a bounded loop look endless to it.
//
// A callback (callback-emitter.ts) is a BPF function with a frame of its own below its own R10:
// `beginFunction()`/`endFunction()` bracket its emission. The verifier bounds the frames of a call
// chain together, so a program with callbacks must fit its own frame plus its deepest chain of
// callback frames, each rounded up as the kernel rounds them, in the 512 bytes; `finish()` checks.
import { type Register, R10 } from '../asm/index.js';
import { type Diagnostic, type Span, DiagnosticCode, error } from '../lang/index.js';

/** The verifier's limit on one BPF program's stack. */
export const STACK_LIMIT = 512;
/** The largest value of a per-CPU array (the kernel's PCPU_MIN_UNIT_SIZE). */
export const SCRATCH_LIMIT = 32768;
const WORD = 8;
/** The kernel rounds each frame of a call chain up to this before adding them (the interpreter's granularity). */
const FRAME_ROUNDING = 32;

/** A value's address: a base register (R10, the scratch pointer, a map value or record) and offset. */
export interface Place {
  readonly base: Register;
  readonly offset: number;
}

export function at(place: Place, delta: number): Place {
  return { base: place.base, offset: place.offset + delta };
}

export interface FrameMark {
  readonly stack: number;
  readonly scratch: number;
}

/** The stack of one BPF function: where its next slot goes, its deepest point, and its callees' deepest chain. */
interface FunctionStack {
  top: number;
  deepest: number;
  callees: number;
}

function rounded(depth: number): number {
  return Math.ceil(Math.max(depth, 1) / FRAME_ROUNDING) * FRAME_ROUNDING;
}

export class StackFrame {
  /** The program's own function first, then the callbacks being emitted, innermost last. */
  private readonly functions: FunctionStack[] = [{ top: 0, deepest: 0, callees: 0 }];
  private scratchTop = 0;
  private deepestScratch = 0;
  private reported = false;

  /**
   * @param scratch the register holding the scratch area's address, or undefined when the program
   *   has none: then overflowing the stack is reported once, the returned slot aliases others, and
   *   the program is never loaded because compilation fails.
   */
  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly probeSpan: Span,
    private readonly scratch: Register | undefined,
  ) {}

  /** Reserves `size` bytes aligned to 8 in the function being emitted. */
  allocate(size: number): Place {
    return this.allocateIn(this.current, size);
  }

  /**
   * Reserves `size` bytes in the program's own frame (R10-relative there), even while a callback is
   * emitted: callbacks reach that frame through the pointer they are called with.
   */
  allocateInProgram(size: number): Place {
    return this.allocateIn(this.functions[0], size);
  }

  /** Starts a callback's frame; scratch space stays shared, as caller and callback use it at once. */
  beginFunction(): void {
    this.functions.push({ top: 0, deepest: 0, callees: 0 });
  }

  endFunction(): void {
    const done = this.functions.pop();
    if (done === undefined || this.functions.length === 0) throw new Error('endFunction() without beginFunction()');
    this.current.callees = Math.max(this.current.callees, rounded(done.deepest) + done.callees);
  }

  /** Reports a program whose frame and deepest chain of callback frames exceed the stack together. */
  finish(): void {
    const [program] = this.functions;
    if (program.callees > 0 && rounded(program.deepest) + program.callees > STACK_LIMIT) {
      this.report(`this probe and the loop bodies it calls need more than ${STACK_LIMIT} bytes of BPF stack together`);
    }
  }

  private get current(): FunctionStack {
    return this.functions[this.functions.length - 1];
  }

  private allocateIn(stack: FunctionStack, size: number): Place {
    const aligned = Math.ceil(size / 8) * 8;
    if (this.scratch === undefined || (aligned <= WORD && stack.top + aligned <= STACK_LIMIT)) {
      stack.top += aligned;
      stack.deepest = Math.max(stack.deepest, stack.top);
      if (stack.top > STACK_LIMIT) {
        this.report(`this probe needs more than ${STACK_LIMIT} bytes of BPF stack`);
      }
      return { base: R10, offset: -Math.min(stack.top, STACK_LIMIT) };
    }
    const offset = this.scratchTop;
    this.scratchTop += aligned;
    this.deepestScratch = Math.max(this.deepestScratch, this.scratchTop);
    if (this.scratchTop > SCRATCH_LIMIT) {
      this.report(`this probe needs more than ${STACK_LIMIT} bytes of BPF stack and ${SCRATCH_LIMIT} bytes of scratch space`);
      return { base: this.scratch, offset: 0 };
    }
    return { base: this.scratch, offset };
  }

  mark(): FrameMark {
    return { stack: this.current.top, scratch: this.scratchTop };
  }

  release(mark: FrameMark): void {
    this.current.top = mark.stack;
    this.scratchTop = mark.scratch;
  }

  /** Whether some slot did not fit: the program cannot be loaded as emitted. */
  get overflowed(): boolean {
    return this.reported;
  }

  /** Bytes of scratch space used at the deepest point (0 when everything fit on the stack). */
  get scratchSize(): number {
    return this.deepestScratch;
  }

  private report(message: string): void {
    if (this.reported) return;
    this.reported = true;
    this.diagnostics.push(error(DiagnosticCode.StackLimit, message, this.probeSpan,
      ['use fewer or shorter strings at once (str(p, n) limits a string to n bytes)']));
  }
}
