// The program's stack frame: the 512 bytes below R10. Slots are handed out like a stack — `mark()`
// before a statement's temporaries, `release(mark)` after — so temporaries of sibling expressions
// reuse the same bytes, and the deepest point reached is the frame size the verifier sees.
import { type Diagnostic, type Span, DiagnosticCode, error } from '../lang/index.js';

/** The verifier's limit on one BPF program's stack. */
export const STACK_LIMIT = 512;

export class StackFrame {
  private top = 0;
  private deepest = 0;

  constructor(private readonly diagnostics: Diagnostic[], private readonly probeSpan: Span) {}

  /**
   * Reserves `size` bytes aligned to 8 and returns their offset from R10 (negative). Overflowing the
   * verifier's limit is reported once; the returned slot then aliases others, but the program is
   * never loaded because compilation fails.
   */
  allocate(size: number): number {
    this.top += Math.ceil(size / 8) * 8;
    if (this.top > STACK_LIMIT && this.deepest <= STACK_LIMIT) {
      this.diagnostics.push(error(DiagnosticCode.StackLimit,
        `this probe needs more than ${STACK_LIMIT} bytes of BPF stack`, this.probeSpan,
        ['use fewer or shorter strings at once (str(p, n) limits a string to n bytes)']));
    }
    this.deepest = Math.max(this.deepest, this.top);
    return -Math.min(this.top, STACK_LIMIT);
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Bytes of stack used at the deepest point so far. */
  get size(): number {
    return this.deepest;
  }
}
