// C integer types and their rules, as far as constant expressions need them: the type a literal
// gets from its value and suffix (C11 6.4.4.1), integer promotion and the usual arithmetic
// conversions (6.3.1), and wrap-around to the type's width. `#if` arithmetic is done in
// intmax_t/uintmax_t instead (6.10.1p4), which `PREPROCESSOR_TYPES` models.

export interface IntegerType {
  /** C spelling, for messages: `int`, `unsigned long`. */
  readonly name: string;
  readonly bits: 8 | 16 | 32 | 64;
  readonly signed: boolean;
  /** Conversion rank (C11 6.3.1.1): char < short < int < long < long long. */
  readonly rank: number;
}

export interface IntegerConstant {
  readonly value: bigint;
  readonly type: IntegerType;
}

export interface DataModel {
  readonly longBits: 32 | 64;
  readonly charSigned: boolean;
}

export interface TypeSet {
  readonly char: IntegerType;
  readonly int: IntegerType;
  readonly uint: IntegerType;
  readonly long: IntegerType;
  readonly ulong: IntegerType;
  readonly llong: IntegerType;
  readonly ullong: IntegerType;
  /** Named integer types a cast may use: keyword spellings and the common fixed-width typedefs. */
  readonly named: ReadonlyMap<string, IntegerType>;
  readonly pointerBits: 32 | 64;
}

const type = (name: string, bits: IntegerType['bits'], signed: boolean, rank: number): IntegerType => ({ name, bits, signed, rank });

export function typeSet(model: DataModel): TypeSet {
  const lb = model.longBits;
  const schar = type('signed char', 8, true, 1);
  const uchar = type('unsigned char', 8, false, 1);
  const short = type('short', 16, true, 2);
  const ushort = type('unsigned short', 16, false, 2);
  const int = type('int', 32, true, 3);
  const uint = type('unsigned int', 32, false, 3);
  const long = type('long', lb, true, 4);
  const ulong = type('unsigned long', lb, false, 4);
  const llong = type('long long', 64, true, 5);
  const ullong = type('unsigned long long', 64, false, 5);
  const char = model.charSigned ? { ...schar, name: 'char' } : { ...uchar, name: 'char' };
  const bool = type('_Bool', 8, false, 0);
  const sized: [string[], IntegerType][] = [
    [['__s8', 's8', 'int8_t', '__int8_t'], schar],
    [['__u8', 'u8', 'uint8_t', '__uint8_t'], uchar],
    [['__s16', 's16', 'int16_t', '__int16_t'], short],
    [['__u16', 'u16', 'uint16_t', '__uint16_t', '__be16', '__le16'], ushort],
    [['__s32', 's32', 'int32_t', '__int32_t'], int],
    [['__u32', 'u32', 'uint32_t', '__uint32_t', '__be32', '__le32'], uint],
    [['__s64', 's64', 'int64_t', '__int64_t'], lb === 64 ? long : llong],
    [['__u64', 'u64', 'uint64_t', '__uint64_t', '__be64', '__le64'], lb === 64 ? ulong : ullong],
    [['size_t', '__size_t', 'uintptr_t', '__kernel_size_t', 'uintmax_t'], ulong],
    [['ssize_t', '__ssize_t', 'intptr_t', 'ptrdiff_t', '__kernel_ssize_t', 'intmax_t'], long],
    [['pid_t', '__pid_t', 'uid_t', 'gid_t', 'mode_t'], int],
  ];
  const named = new Map<string, IntegerType>([
    ['char', char], ['signed char', schar], ['unsigned char', uchar], ['_Bool', bool],
    ['short', short], ['unsigned short', ushort], ['int', int], ['unsigned int', uint],
    ['long', long], ['unsigned long', ulong], ['long long', llong], ['unsigned long long', ullong],
  ]);
  for (const [names, t] of sized) for (const name of names) named.set(name, t);
  return { char, int, uint, long, ulong, llong, ullong, named, pointerBits: lb };
}

/** `#if` arithmetic: every signed type acts as intmax_t, every unsigned one as uintmax_t. */
export const INTMAX = type('intmax_t', 64, true, 6);
export const UINTMAX = type('uintmax_t', 64, false, 6);

/** The keywords a C integer type specifier is made of. */
export const TYPE_KEYWORDS: ReadonlySet<string> = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long', '_Bool']);

/** Canonical spelling of a keyword type specifier list: `long unsigned int` → `unsigned long`. */
export function canonicalTypeName(words: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const longs = counts.get('long') ?? 0;
  const unsigned = counts.has('unsigned');
  const signed = counts.has('signed');
  if (unsigned && signed) return undefined;
  if (counts.has('char')) return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  if (counts.has('_Bool')) return '_Bool';
  const base = counts.has('short') ? 'short' : longs === 2 ? 'long long' : longs === 1 ? 'long' : 'int';
  return unsigned ? `unsigned ${base}` : base;
}

export function fits(value: bigint, t: IntegerType): boolean {
  return t.signed ? BigInt.asIntN(t.bits, value) === value : value >= 0n && BigInt.asUintN(t.bits, value) === value;
}

export function wrap(value: bigint, t: IntegerType): IntegerConstant {
  return { value: t.signed ? BigInt.asIntN(t.bits, value) : BigInt.asUintN(t.bits, value), type: t };
}

const INTEGER_LITERAL = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/;

/** Decodes a pp-number as an integer constant; a string explains why it is not one. */
export function integerLiteral(text: string, types: TypeSet | 'preprocessor'): IntegerConstant | string {
  const match = INTEGER_LITERAL.exec(text);
  if (!match) {
    return /^[0-9.]/.test(text) && /[.eEpP]/.test(text) && !/^0[xX][0-9a-fA-F]+$/.test(text)
      ? `'${text}' is a floating-point constant`
      : `'${text}' is not a valid integer constant`;
  }
  const [, digits, rawSuffix] = match;
  const suffix = rawSuffix.toLowerCase();
  if (!['', 'u', 'l', 'ul', 'lu', 'll', 'ull', 'llu'].includes(suffix) || /lL|Ll/.test(rawSuffix)) {
    return `'${text}' has an invalid suffix`;
  }
  const value = digits.length > 1 && digits.startsWith('0') && !/^0[xXbB]/.test(digits) ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const unsigned = suffix.includes('u');
  if (types === 'preprocessor') {
    if (value > UINTMAX_LIMIT) return `'${text}' is too large for any integer type`;
    return { value, type: unsigned || !fits(value, INTMAX) ? UINTMAX : INTMAX };
  }
  const decimal = /^[1-9]/.test(digits) || digits === '0';
  const longs = suffix.replace('u', '').length;
  const candidates = [types.int, types.uint, types.long, types.ulong, types.llong, types.ullong].filter(
    (t) => t.rank >= 3 + longs && (unsigned ? !t.signed : t.signed || !decimal),
  );
  const chosen = candidates.find((t) => fits(value, t));
  // GCC gives a decimal constant too large for long long the type unsigned long long, with a warning.
  if (chosen === undefined) return fits(value, types.ullong) ? { value, type: types.ullong } : `'${text}' is too large for any integer type`;
  return { value, type: chosen };
}

const UINTMAX_LIMIT = (1n << 64n) - 1n;

/** Integer promotion: types narrower than int become int (int can hold all their values). */
export function promote(t: IntegerType, types: TypeSet | 'preprocessor'): IntegerType {
  if (types === 'preprocessor') return t.signed ? INTMAX : UINTMAX;
  return t.rank < types.int.rank ? types.int : t;
}

/** The usual arithmetic conversions (C11 6.3.1.8) for two already promoted types. */
export function commonType(a: IntegerType, b: IntegerType, types: TypeSet | 'preprocessor'): IntegerType {
  if (a === b) return a;
  if (a.signed === b.signed) return a.rank >= b.rank ? a : b;
  const [u, s] = a.signed ? [b, a] : [a, b];
  if (u.rank >= s.rank) return u;
  if (s.bits > u.bits) return s;
  if (types === 'preprocessor') return UINTMAX;
  return [types.uint, types.ulong, types.ullong].find((t) => t.rank === s.rank) ?? types.ullong;
}
