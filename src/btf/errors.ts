// Errors raised while reading or querying BTF. Messages name the offending type, id or file.

export class BtfError extends Error {
  override name = 'BtfError';
}

/** A lookup by name or id found nothing; `subject` is what was asked for, e.g. `struct task_struct`. */
export class BtfNotFoundError extends BtfError {
  override name = 'BtfNotFoundError';

  constructor(
    readonly subject: string,
    hint?: string,
  ) {
    super(hint === undefined ? `BTF has no ${subject}` : `BTF has no ${subject} (${hint})`);
  }
}
