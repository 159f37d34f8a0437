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

interface Conversion {
  readonly flags: string;
  readonly width: number;
  readonly precision: number | undefined;
  readonly bits: 8 | 16 | 32 | 64;
  readonly conversion: string;
}

const SPEC = /%([-+ #0]*)(\d*)(?:\.(\d*))?(hh|h|ll|l|j|z|t)?(rx|rh|[diuoxXpcsr%])/y;

const LENGTH_BITS: Readonly<Record<string, 8 | 16 | 32 | 64>> = {
  '': 32, hh: 8, h: 16, l: 64, ll: 64, j: 64, z: 64, t: 64,
};

const BUFFER_STYLES: Readonly<Record<string, BufferStyle>> = {
  r: 'escaped', rx: 'hex-escaped', rh: 'hex-spaced',
};

function pad(text: string, spec: Conversion): string {
  return spec.flags.includes('-') ? text.padEnd(spec.width) : text.padStart(spec.width);
}

/** Sign or `0x` prefix, then digits, then C's padding rules for integers. */
function padNumber(prefix: string, digits: string, spec: Conversion): string {
  if (!spec.flags.includes('-') && spec.flags.includes('0') && spec.precision === undefined) {
    return prefix + digits.padStart(spec.width - prefix.length, '0');
  }
  return pad(prefix + digits, spec);
}

function signPrefix(negative: boolean, spec: Conversion): string {
  if (negative) return '-';
  if (spec.flags.includes('+')) return '+';
  return spec.flags.includes(' ') ? ' ' : '';
}

function withPrecision(magnitude: bigint, radix: number, precision: number | undefined): string {
  if (precision === 0 && magnitude === 0n) return '';
  return magnitude.toString(radix).padStart(precision ?? 1, '0');
}

function formatInteger(raw: bigint, spec: Conversion): string {
  switch (spec.conversion) {
    case 'd':
    case 'i': {
      const value = BigInt.asIntN(spec.bits, raw);
      const magnitude = value < 0n ? -value : value;
      return padNumber(signPrefix(value < 0n, spec), withPrecision(magnitude, 10, spec.precision), spec);
    }
    case 'u':
      return padNumber('', withPrecision(BigInt.asUintN(spec.bits, raw), 10, spec.precision), spec);
    case 'o': {
      const digits = withPrecision(BigInt.asUintN(spec.bits, raw), 8, spec.precision);
      const alternate = spec.flags.includes('#') && !digits.startsWith('0');
      return padNumber('', alternate ? `0${digits}` : digits, spec);
    }
    case 'x':
    case 'X': {
      const value = BigInt.asUintN(spec.bits, raw);
      const prefix = spec.flags.includes('#') && value !== 0n ? '0x' : '';
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
  const style = BUFFER_STYLES[spec.conversion];
  if (style !== undefined) {
    if (value.kind !== 'buffer') throw new TypeError(`printf: %${spec.conversion} needs a buffer, got ${value.kind}`);
    return formatString(formatBuffer(value.bytes, style), spec);
  }
  if (spec.conversion === 's') return formatString(formatValueText(value, zone), spec);
  return formatInteger(integerArgument(value, spec), spec);
}

/** Formats a printf() call's output; `format` has its escapes already resolved by the lexer. */
export function formatPrintf(format: string, args: readonly Value[], zone?: TimeZone): string {
  let out = '';
  let next = 0;
  let position = 0;
  while (position < format.length) {
    const percent = format.indexOf('%', position);
    if (percent === -1) {
      out += format.slice(position);
      break;
    }
    out += format.slice(position, percent);
    SPEC.lastIndex = percent;
    const match = SPEC.exec(format);
    if (match === null) {
      // Not a conversion: glibc copies it through.
      out += '%';
      position = percent + 1;
      continue;
    }
    position = SPEC.lastIndex;
    const [, flags, width, precision, length, conversion] = match;
    if (conversion === '%') {
      out += '%';
      continue;
    }
    const value = args[next++];
    if (value === undefined) throw new RangeError(`printf: not enough arguments for "${format}"`);
    const spec: Conversion = {
      flags,
      width: width === '' ? 0 : Number(width),
      precision: precision === undefined ? undefined : Number(precision),
      bits: LENGTH_BITS[length ?? ''],
      conversion,
    };
    out += formatConversion(spec, value, zone);
  }
  return out;
}
