// One error class for everything this module rejects (bad labels, out-of-range fields, malformed
// bytecode), so callers can tell a compiler bug in the emitted program from a kernel refusal.

export class AsmError extends Error {
  override readonly name = 'AsmError';
}
