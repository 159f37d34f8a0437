// The machine the headers are read for: the Debian/Ubuntu multiarch directory, the C data model
// (how wide `long` and pointers are, whether plain `char` is signed) and the macros a C compiler
// predefines for it. There is no compiler to ask, so these facts are tabulated per Node.js arch.

export interface TargetInfo {
  readonly arch: string;
  /** GNU triplet naming the multiarch include directory, e.g. `x86_64-linux-gnu`. */
  readonly triplet: string;
  readonly longBits: 32 | 64;
  readonly charSigned: boolean;
  /** Architecture macros (`__x86_64__`, …) as `#define` text. */
  readonly archDefines: string;
}

const TARGETS: Readonly<Record<string, Omit<TargetInfo, 'arch'>>> = {
  x64: { triplet: 'x86_64-linux-gnu', longBits: 64, charSigned: true, archDefines: '__x86_64__ 1\n__x86_64 1\n__amd64__ 1\n__amd64 1\n__SSE__ 1\n__SSE2__ 1' },
  arm64: { triplet: 'aarch64-linux-gnu', longBits: 64, charSigned: false, archDefines: '__aarch64__ 1\n__ARM_64BIT_STATE 1\n__AARCH64EL__ 1' },
  ia32: { triplet: 'i386-linux-gnu', longBits: 32, charSigned: true, archDefines: '__i386__ 1\n__i386 1\ni386 1\n__i686__ 1' },
  arm: { triplet: 'arm-linux-gnueabihf', longBits: 32, charSigned: false, archDefines: '__arm__ 1\n__ARMEL__ 1\n__ARM_EABI__ 1\n__ARM_PCS_VFP 1' },
  riscv64: { triplet: 'riscv64-linux-gnu', longBits: 64, charSigned: false, archDefines: '__riscv 1\n__riscv_xlen 64' },
  ppc64: { triplet: 'powerpc64le-linux-gnu', longBits: 64, charSigned: false, archDefines: '__powerpc64__ 1\n__powerpc__ 1\n__PPC64__ 1\n_ARCH_PPC64 1\n__LITTLE_ENDIAN__ 1' },
  s390x: { triplet: 's390x-linux-gnu', longBits: 64, charSigned: false, archDefines: '__s390x__ 1\n__s390__ 1' },
  loong64: { triplet: 'loongarch64-linux-gnu', longBits: 64, charSigned: true, archDefines: '__loongarch__ 1\n__loongarch64 1\n__loongarch_grlen 64' },
};

/** An architecture missing from the table is assumed to be a 64-bit one named like Node names it. */
export function targetInfo(arch: string = process.arch): TargetInfo {
  const known = TARGETS[arch] ?? { triplet: `${arch}-linux-gnu`, longBits: 64, charSigned: true, archDefines: '' };
  return { arch, ...known };
}

/**
 * What `gcc -dM -E` would predefine, minus `__GNUC__`: glibc's <limits.h> then defines INT_MAX and
 * friends itself instead of deferring to the compiler's own <limits.h> through `#include_next`,
 * which a machine without a C compiler does not have. `_GNU_SOURCE` gives scripts the widest set of
 * constants (O_DIRECT, O_PATH, … are GNU-only); the values of the rest do not depend on it.
 */
export function predefinedMacroText(target: TargetInfo): string {
  const lp64 = target.longBits === 64;
  const big = target.arch === 's390x';
  const defines = [
    target.archDefines,
    '__linux__ 1\n__linux 1\n__gnu_linux__ 1\n__unix__ 1\n__unix 1\n__ELF__ 1',
    '__STDC__ 1\n__STDC_VERSION__ 201710L\n__STDC_HOSTED__ 1\n_GNU_SOURCE 1',
    lp64 ? '__LP64__ 1\n_LP64 1' : '_ILP32 1\n__ILP32__ 1',
    '__CHAR_BIT__ 8',
    '__SCHAR_MAX__ 0x7f\n__SHRT_MAX__ 0x7fff\n__INT_MAX__ 0x7fffffff',
    `__LONG_MAX__ ${lp64 ? '0x7fffffffffffffffL' : '0x7fffffffL'}`,
    '__LONG_LONG_MAX__ 0x7fffffffffffffffLL',
    target.charSigned ? '' : '__CHAR_UNSIGNED__ 1',
    // wchar_t is `unsigned int` in the Arm procedure-call standards and `int` elsewhere.
    target.arch === 'arm64' || target.arch === 'arm'
      ? '__WCHAR_MAX__ 0xffffffffU\n__WCHAR_MIN__ 0U'
      : '__WCHAR_MAX__ 0x7fffffff\n__WCHAR_MIN__ (-__WCHAR_MAX__ - 1)',
    '__SIZEOF_SHORT__ 2\n__SIZEOF_INT__ 4\n__SIZEOF_LONG_LONG__ 8\n__SIZEOF_WCHAR_T__ 4\n__SIZEOF_WINT_T__ 4',
    `__SIZEOF_LONG__ ${target.longBits / 8}\n__SIZEOF_POINTER__ ${target.longBits / 8}\n__SIZEOF_SIZE_T__ ${target.longBits / 8}\n__SIZEOF_PTRDIFF_T__ ${target.longBits / 8}`,
    '__SIZEOF_FLOAT__ 4\n__SIZEOF_DOUBLE__ 8',
    lp64 ? '__SIZEOF_INT128__ 16' : '',
    '__ORDER_LITTLE_ENDIAN__ 1234\n__ORDER_BIG_ENDIAN__ 4321\n__ORDER_PDP_ENDIAN__ 3412',
    `__BYTE_ORDER__ ${big ? '__ORDER_BIG_ENDIAN__' : '__ORDER_LITTLE_ENDIAN__'}`,
    `__INTMAX_MAX__ 0x7fffffffffffffff${lp64 ? 'L' : 'LL'}\n__UINTMAX_MAX__ 0xffffffffffffffffU${lp64 ? 'L' : 'LL'}`,
    `__SIZE_MAX__ ${lp64 ? '0xffffffffffffffffUL' : '0xffffffffU'}\n__PTRDIFF_MAX__ ${lp64 ? '0x7fffffffffffffffL' : '0x7fffffff'}`,
    `__INTPTR_MAX__ ${lp64 ? '0x7fffffffffffffffL' : '0x7fffffff'}\n__UINTPTR_MAX__ ${lp64 ? '0xffffffffffffffffUL' : '0xffffffffU'}`,
    '__INT8_MAX__ 0x7f\n__INT16_MAX__ 0x7fff\n__INT32_MAX__ 0x7fffffff',
    `__INT64_MAX__ 0x7fffffffffffffff${lp64 ? 'L' : 'LL'}`,
    '__UINT8_MAX__ 0xff\n__UINT16_MAX__ 0xffff\n__UINT32_MAX__ 0xffffffffU',
    `__UINT64_MAX__ 0xffffffffffffffffU${lp64 ? 'L' : 'LL'}`,
  ];
  return defines
    .filter((text) => text !== '')
    .join('\n')
    .split('\n')
    .map((line) => `#define ${line}`)
    .join('\n');
}
