import { errnoHint, errnoName } from './errno.js';

/** A system call that failed: which call (with its command), the errno and its name, and a hint. */
export class SyscallError extends Error {
  readonly syscall: string;
  readonly errno: number;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(syscall: string, errno: number, hint?: string, options?: ErrorOptions) {
    const code = errnoName(errno);
    const why = hint ?? errnoHint(errno);
    super(`${syscall} failed: ${code}${why ? ` (${why})` : ''}`, options);
    this.name = 'SyscallError';
    this.syscall = syscall;
    this.errno = errno;
    this.code = code;
    this.hint = why;
  }

  /** A copy with a more precise hint, for callers that know why this call fails. */
  withHint(hint: string): SyscallError {
    return new SyscallError(this.syscall, this.errno, hint, { cause: this });
  }
}

export function isErrno(error: unknown, name: string): error is SyscallError {
  return error instanceof SyscallError && error.code === name;
}
