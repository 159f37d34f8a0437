// printf() as bpftrace 0.17 prints it: it hands each conversion with one 64-bit argument to glibc's
// snprintf, so C's rules apply, including the length modifier deciding how many low bits are read:
// `%d` of 5000000000 prints 705032704, `%hhu` of 300 prints 44, `%lu` of -1 prints 2^64-1.
// Supported: flags `-+ #0`, width, precision, lengths hh h l ll j z t, conversions d i u o x X p c s and
// bpftrace's buffer conversions `%r` (printable ASCII kept, other bytes `\xNN`), `%rx` (all `\xNN`) and
// `%rh` (`61 62 63`). Symbols, addresses, stacks and timestamps print through `%s` as their text.
//
// Deliberate divergence: `%%` prints `%`. bpftrace 0.17 prints `%%` when it comes after the last
// conversion, because it copies the format's tail verbatim instead of passing it to snprintf.
import type { TimeZone } from './strftime.js';
import { formatBuffer, formatValueText, type BufferStyle } from './value-text.js';
import type { Value } from './value.js';

/** One conversion of a format, its flags decoded once when the format is planned. */
interface Conversion {
  readonly left: boolean;
  readonly zero: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly alternate: boolean;
  readonly width: number;
  readonly precision: number | undefined;
  readonly bits: 8 | 16 | 32 | 64;
  readonly conversion: string;
  /** %r, %rx, %rh. */
  readonly bufferStyle: BufferStyle | undefined;
}

const SPEC = /%([-+ #0]*)(\d*)(?:\.(\d*))?(hh|h|ll|l|j|z|t)?(rx|rh|[diuoxXpcsr%])/y;

const LENGTH_BITS: Readonly<Record<string, 8 | 16 | 32 | 64>> = {
  '': 32, hh: 8, h: 16, l: 64, ll: 64, j: 64, z: 64, t: 64,
};

const BUFFER_STYLES: Readonly<Record<string, BufferStyle>> = {
  r: 'escaped', rx: 'hex-escaped', rh: 'hex-spaced',
};

/** Integers in this range format through numbers, which is several times faster than through bigints. */
const SMALL = 2n ** 31n;

function pad(text: string, spec: Conversion): string {
  if (text.length >= spec.width) return text;
  return spec.left ? text.padEnd(spec.width) : text.padStart(spec.width);
}

/** Sign or `0x` prefix, then digits, then C's padding rules for integers. */
function padNumber(prefix: string, digits: string, spec: Conversion): string {
  if (!spec.left && spec.zero && spec.precision === undefined) {
    return prefix + digits.padStart(spec.width - prefix.length, '0');
  }
  return pad(prefix + digits, spec);
}

function signPrefix(negative: boolean, spec: Conversion): string {
  if (negative) return '-';
  if (spec.plus) return '+';
  return spec.space ? ' ' : '';
}

function withPrecision(magnitude: bigint | number, radix: number, precision: number | undefined): string {
  if (precision === 0 && (magnitude === 0n || magnitude === 0)) return '';
  const digits = magnitude.toString(radix);
  return precision === undefined ? digits : digits.padStart(precision, '0');
}

/**
 * `raw` truncated to the conversion's width, signed for %d and %i, as C's printf reads it: a number
 * when it is small (the common case), a bigint otherwise.
 */
function truncated(raw: bigint, spec: Conversion, signed: boolean): bigint | number {
  if (raw >= -SMALL && raw < SMALL) {
    const small = Number(raw);
    switch (spec.bits) {
      case 8: return signed ? (small << 24) >> 24 : small & 0xff;
      case 16: return signed ? (small << 16) >> 16 : small & 0xffff;
      case 32: return signed ? small : small >>> 0;
      case 64: if (signed || small >= 0) return small;
    }
  }
  return signed ? BigInt.asIntN(spec.bits, raw) : BigInt.asUintN(spec.bits, raw);
}

function formatInteger(raw: bigint, spec: Conversion): string {
  switch (spec.conversion) {
    case 'd':
    case 'i': {
      const value = truncated(raw, spec, true);
      const negative = value < 0;
      return padNumber(signPrefix(negative, spec), withPrecision(negative ? -value : value, 10, spec.precision), spec);
    }
    case 'u':
      return padNumber('', withPrecision(truncated(raw, spec, false), 10, spec.precision), spec);
    case 'o': {
      const digits = withPrecision(truncated(raw, spec, false), 8, spec.precision);
      const alternate = spec.alternate && !digits.startsWith('0');
      return padNumber('', alternate ? `0${digits}` : digits, spec);
    }
    case 'x':
    case 'X': {
      const value = truncated(raw, spec, false);
      const prefix = spec.alternate && value !== 0 && value !== 0n ? '0x' : '';
      const text = padNumber(prefix, withPrecision(value, 16, spec.precision), spec);
      return spec.conversion === 'X' ? text.toUpperCase() : text;
    }
    case 'p': {
      // glibc: a null pointer is "(nil)"; otherwise like %#lx, with sign flags honoured.
      const value = BigInt.asUintN(64, raw);
      if (value === 0n) return pad('(nil)', spec);
      return padNumber(`${signPrefix(false, spec)}0x`, withPrecision(value, 16, spec.precision), spec);
    }
    default: // 'c'
      return pad(String.fromCharCode(Number(BigInt.asUintN(8, raw))), spec);
  }
}

function integerArgument(value: Value, spec: Conversion): bigint {
  if (value.kind === 'int') return value.value;
  if (value.kind === 'pointer') return value.address;
  throw new TypeError(`printf: %${spec.conversion} needs an integer, got ${value.kind}`);
}

function formatString(text: string, spec: Conversion): string {
  return pad(spec.precision === undefined ? text : text.slice(0, spec.precision), spec);
}

function formatConversion(spec: Conversion, value: Value, zone?: TimeZone): string {
  if (spec.bufferStyle !== undefined) {
    if (value.kind !== 'buffer') throw new TypeError(`printf: %${spec.conversion} needs a buffer, got ${value.kind}`);
    return formatString(formatBuffer(value.bytes, spec.bufferStyle), spec);
  }
  if (spec.conversion === 's') return value.kind === 'string' ? formatString(value.value, spec) : formatString(formatValueText(value, zone), spec);
  return formatInteger(integerArgument(value, spec), spec);
}

/**
 * A format string parsed once: literal text (with `%%` and characters that start no conversion
 * already resolved) alternating with conversions, so printing a record is a walk over the pieces.
 */
class PrintfPlan {
  /** literals[i] comes before conversions[i]; the last literal ends the line. */
  private readonly literals: string[] = [];
  private readonly conversions: Conversion[] = [];

  constructor(private readonly format: string) {
    let literal = '';
    let position = 0;
    while (position < format.length) {
      const percent = format.indexOf('%', position);
      if (percent === -1) {
        literal += format.slice(position);
        break;
      }
      literal += format.slice(position, percent);
      SPEC.lastIndex = percent;
      const match = SPEC.exec(format);
      position = match === null ? percent + 1 : SPEC.lastIndex;
      // Not a conversion: glibc copies the % through.
      if (match === null || match[5] === '%') {
        literal += '%';
        continue;
      }
      const [, flags, width, precision, length, conversion] = match;
      this.literals.push(literal);
      literal = '';
      this.conversions.push({
        left: flags.includes('-'),
        zero: flags.includes('0'),
        plus: flags.includes('+'),
        space: flags.includes(' '),
        alternate: flags.includes('#'),
        width: width === '' ? 0 : Number(width),
        precision: precision === undefined ? undefined : Number(precision),
        bits: LENGTH_BITS[length ?? ''],
        conversion,
        bufferStyle: BUFFER_STYLES[conversion],
      });
    }
    this.literals.push(literal);
  }

  apply(args: readonly Value[], zone?: TimeZone): string {
    const { literals, conversions } = this;
    if (args.length < conversions.length) throw new RangeError(`printf: not enough arguments for "${this.format}"`);
    let out = literals[0];
    for (let i = 0; i < conversions.length; i++) out += formatConversion(conversions[i], args[i], zone) + literals[i + 1];
    return out;
  }
}

/** Plans by format. Scripts have a handful of formats; the bound only guards callers that make many. */
const plans = new Map<string, PrintfPlan>();
const MAX_PLANS = 1024;

function planOf(format: string): PrintfPlan {
  let plan = plans.get(format);
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) plans.clear();
    plan = new PrintfPlan(format);
    plans.set(format, plan);
  }
  return plan;
}

/** Formats a printf() call's output; `format` has its escapes already resolved by the lexer. */
export function formatPrintf(format: string, args: readonly Value[], zone?: TimeZone): string {
  return planOf(format).apply(args, zone);
}
