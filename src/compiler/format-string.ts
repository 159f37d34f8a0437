// printf()-style format strings: which conversions they hold, so the checker can match them with the
// arguments. The formatting itself happens in user space (src/output/printf.ts) with the same grammar.
import type { ValueType } from './value-types.js';

export interface Conversion {
  /** The whole specifier, e.g. `%-8lu`. */
  readonly text: string;
  /** The conversion letters: `d`, `s`, `rx`, … */
  readonly conversion: string;
}

const SPEC = /%([-+ #0]*)(\d*)(?:\.(\d*))?(hh|h|ll|l|j|z|t)?(rx|rh|[diuoxXpcsr%])/y;

/** The conversions of a format, `%%` excluded; a string naming the problem when one is malformed. */
export function parseFormat(format: string): Conversion[] | string {
  const conversions: Conversion[] = [];
  for (let i = format.indexOf('%'); i !== -1; i = format.indexOf('%', i)) {
    SPEC.lastIndex = i;
    const match = SPEC.exec(format);
    if (match === null) return `invalid conversion '${format.slice(i, i + 2)}' in the format string`;
    if (match[5] !== '%') conversions.push({ text: match[0], conversion: match[5] });
    i = SPEC.lastIndex;
  }
  return conversions;
}

const TEXT_KINDS: ReadonlySet<string> = new Set([
  'string', 'ksym', 'usym', 'kstack', 'ustack', 'inet', 'macaddr', 'username', 'strerror', 'timestamp', 'buffer', 'tuple',
]);

/** Whether a value of this type can be printed by this conversion; a message when not. */
export function conversionAccepts(conversion: Conversion, type: ValueType): string | undefined {
  const letter = conversion.conversion;
  if (letter === 's') {
    return TEXT_KINDS.has(type.kind) || type.kind === 'int' || type.kind === 'pointer'
      ? undefined
      : `${conversion.text} cannot print a ${type.kind}`;
  }
  if (letter.startsWith('r')) {
    return type.kind === 'buffer' || type.kind === 'string' ? undefined : `${conversion.text} expects a buffer or string`;
  }
  return type.kind === 'int' || type.kind === 'pointer' || type.kind === 'ksym' || type.kind === 'usym' ||
    type.kind === 'username' || type.kind === 'timestamp'
    ? undefined
    : `${conversion.text} expects an integer, got a ${type.kind}`;
}
