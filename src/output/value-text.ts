// Text forms of single values, as bpftrace 0.17 prints them: once for a value (`print()`, map values,
// tuple elements) and once, slightly differently, for a map key. The JSON formatter quotes these same
// strings, so both formats share them.
import { strftime, type TimeZone } from './strftime.js';
import type { IntValue, PrintMapOptions, StackValue, Value } from './value.js';

/** How `%r`, `%rx` and `%rh` show a buffer: printable ASCII kept, everything as `\xNN`, or `61 62`. */
export type BufferStyle = 'escaped' | 'hex-escaped' | 'hex-spaced';

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

export function formatBuffer(bytes: Uint8Array, style: BufferStyle = 'escaped'): string {
  if (style === 'hex-spaced') return Array.from(bytes, hexByte).join(' ');
  let out = '';
  for (const byte of bytes) {
    const printable = style === 'escaped' && byte >= 32 && byte <= 126;
    out += printable ? String.fromCharCode(byte) : `\\x${hexByte(byte)}`;
  }
  return out;
}

// A value's frames are indented by 8, a key's by 4; both start with a newline so the frames sit under
// the `@m[...]:` line.
const VALUE_STACK_INDENT = 8;
const KEY_STACK_INDENT = 4;

export function formatStack(stack: StackValue, indent: number = VALUE_STACK_INDENT): string {
  // No frames means the stack id did not resolve; bpftrace then prints nothing at all.
  if (stack.frames.length === 0) return '';
  const lines = stack.frames.map((frame) =>
    stack.mode === 'perf'
      ? `\t${BigInt.asUintN(64, frame.address).toString(16)} ${frame.symbol}\n`
      : `${' '.repeat(indent)}${frame.symbol}\n`,
  );
  return `\n${lines.join('')}`;
}

/** The divisor of `print(@m, top, div)`: 0 (or absent) means 1, as in bpftrace. */
export function divisor(options: PrintMapOptions): bigint {
  return BigInt(options.div !== undefined && options.div > 0 ? options.div : 1);
}

/** `print(@m, top, div)` divides integer values; the division truncates toward zero as in C. */
export function divideInt(value: IntValue, div: bigint): IntValue {
  return div === 1n ? value : { ...value, value: value.value / div };
}

export function formatValueText(value: Value, zone?: TimeZone): string {
  switch (value.kind) {
    case 'int':
      return value.value.toString();
    case 'string':
      return value.value;
    case 'buffer':
      return formatBuffer(value.bytes);
    case 'tuple':
      return `(${value.elements.map((element) => formatValueText(element, zone)).join(', ')})`;
    case 'array':
      return `[${value.elements.map((element) => formatValueText(element, zone)).join(',')}]`;
    case 'record':
      return `{ ${value.fields.map((field) => `.${field.name} = ${formatValueText(field.value, zone)}`).join(', ')} }`;
    case 'symbol':
    case 'inet':
      return value.text;
    case 'pointer':
      return BigInt.asIntN(64, value.address).toString();
    case 'timestamp':
      return strftime(value.format, value.epochNanos, zone);
    case 'stack':
      return formatStack(value);
  }
}

/** A map key's text: where it differs from a value's, bpftrace 0.17's MapKey decoding decides. */
export function formatKeyText(value: Value, zone?: TimeZone): string {
  switch (value.kind) {
    case 'int':
      // Keys are decoded as signed whatever their type, so a u64 key of 2^64-1 prints as -1.
      return BigInt.asIntN(value.bits, value.value).toString();
    case 'pointer':
      return `0x${BigInt.asUintN(64, value.address).toString(16)}`;
    case 'stack':
      return formatStack(value, KEY_STACK_INDENT);
    case 'array':
      return `[${value.elements.map((element) => formatKeyText(element, zone)).join(',')}]`;
    case 'record':
      return `{${value.fields.map((field) => `.${field.name}=${formatKeyText(field.value, zone)}`).join(',')}}`;
    default:
      return formatValueText(value, zone);
  }
}
