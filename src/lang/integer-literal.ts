// Decodes integer literal text. bpftrace accepts decimal, octal (leading 0), hexadecimal (0x),
// binary (0b) and integer-only scientific notation (`2e3`, coefficient 1-9), `_` between digits, C
// suffixes (u, l, ul, ll, ull — accepted for C compatibility, they do not change the type) and
// duration suffixes that scale to nanoseconds (ns, us, ms, s, m, h, d).
import { DiagnosticCode } from './diagnostics.js';

export interface IntegerValue {
  readonly value: bigint;
  readonly suffix: string;
}

export interface IntegerProblem {
  readonly code: DiagnosticCode;
  readonly message: string;
}

const MAX_U64 = (1n << 64n) - 1n;

const C_SUFFIXES = new Set(['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu']);

const DURATION_NANOSECONDS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
  ['d', 86_400_000_000_000n],
]);

const HEX = /^0[xX]([0-9a-fA-F][0-9a-fA-F_]*)([uUlL]*)$/;
const BINARY = /^0[bB]([01][01_]*)([uUlL]*)$/;
const DECIMAL = /^([0-9][0-9_]*?)(?:[eE]([0-9]+))?([a-zA-Z]*)$/;

export function decodeInteger(text: string): IntegerValue | IntegerProblem {
  const radixMatch = HEX.exec(text) ?? BINARY.exec(text);
  if (radixMatch) {
    const [, digits, suffix] = radixMatch;
    if (digits.endsWith('_')) return invalid(text, 'digit separator must be between digits');
    if (!C_SUFFIXES.has(suffix.toLowerCase())) return invalid(text, `unknown suffix '${suffix}'`);
    return checked(text, BigInt(text.slice(0, 2).toLowerCase() + digits.replaceAll('_', '')), suffix);
  }

  if (/^0[xX]/.test(text)) return invalid(text, 'expected hexadecimal digits, optionally followed by u or l suffixes');
  if (/^0[bB]/.test(text)) return invalid(text, 'expected binary digits, optionally followed by u or l suffixes');
  const match = DECIMAL.exec(text);
  if (!match) return invalid(text, 'not a number');
  const [, rawDigits, exponent, suffix] = match;
  if (rawDigits.endsWith('_')) return invalid(text, 'digit separator must be between digits');
  const multiplier = suffixMultiplier(suffix);
  if (multiplier === undefined) return invalid(text, `unknown suffix '${suffix}'`);
  const digits = rawDigits.replaceAll('_', '');

  let value: bigint;
  if (exponent !== undefined) {
    if (digits.length !== 1 || digits === '0') {
      return invalid(text, 'the coefficient of a scientific literal must be a single digit from 1 to 9');
    }
    value = BigInt(digits) * 10n ** BigInt(exponent);
  } else if (digits.length > 1 && digits.startsWith('0')) {
    const bad = /[89]/.exec(digits);
    if (bad) return invalid(text, `digit '${bad[0]}' is not valid in an octal literal`);
    value = BigInt('0o' + digits.slice(1));
  } else {
    value = BigInt(digits);
  }
  return checked(text, value * multiplier, suffix);
}

export function isIntegerProblem(result: IntegerValue | IntegerProblem): result is IntegerProblem {
  return 'code' in result;
}

function suffixMultiplier(suffix: string): bigint | undefined {
  if (C_SUFFIXES.has(suffix.toLowerCase())) return 1n;
  return DURATION_NANOSECONDS.get(suffix);
}

function checked(text: string, value: bigint, suffix: string): IntegerValue | IntegerProblem {
  if (value > MAX_U64) {
    return { code: DiagnosticCode.IntegerOverflow, message: `integer literal '${text}' does not fit in 64 bits` };
  }
  return { value, suffix };
}

function invalid(text: string, reason: string): IntegerProblem {
  return { code: DiagnosticCode.InvalidInteger, message: `invalid integer literal '${text}': ${reason}` };
}
