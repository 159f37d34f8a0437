// Finding a header the way `gcc -E` would: the compiler's own headers first, then /usr/local/include,
// the multiarch directory and /usr/include. The compiler's own headers (<stddef.h>, <stdbool.h>, …)
// live in GCC's private directory, absent on a machine without a compiler, yet glibc headers include
// them; small stand-ins carrying their macros are built in here.
import { join } from 'node:path';
import { loadHeaderFile, parseHeaderText, type HeaderFile } from './header-file.js';
import type { TargetInfo } from './target.js';

export const BUILTIN_HEADER_DIR = '<built-in>';

const COMPILER_HEADERS: Readonly<Record<string, string>> = {
  'stddef.h': `
#if !defined __need_size_t && !defined __need_wchar_t && !defined __need_ptrdiff_t && !defined __need_NULL && !defined __need_wint_t
#define _STDDEF_H 1
#endif
#define NULL ((void *)0)
#define offsetof(TYPE, MEMBER) __builtin_offsetof (TYPE, MEMBER)
#undef __need_size_t
#undef __need_wchar_t
#undef __need_ptrdiff_t
#undef __need_NULL
#undef __need_wint_t`,
  'stdarg.h': `
#undef __need___va_list
#define _STDARG_H 1`,
  'stdbool.h': `
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1`,
  'stdalign.h': `
#define alignas _Alignas
#define alignof _Alignof
#define __alignas_is_defined 1
#define __alignof_is_defined 1`,
  'stdnoreturn.h': `
#define noreturn _Noreturn`,
  // Only the integer-valued limits: floating-point ones cannot be script constants anyway.
  'float.h': `
#define FLT_RADIX 2
#define FLT_MANT_DIG 24
#define DBL_MANT_DIG 53
#define FLT_DIG 6
#define DBL_DIG 15
#define FLT_MIN_EXP (-125)
#define DBL_MIN_EXP (-1021)
#define FLT_MIN_10_EXP (-37)
#define DBL_MIN_10_EXP (-307)
#define FLT_MAX_EXP 128
#define DBL_MAX_EXP 1024
#define FLT_MAX_10_EXP 38
#define DBL_MAX_10_EXP 308
#define FLT_DECIMAL_DIG 9
#define DBL_DECIMAL_DIG 17
#define FLT_EVAL_METHOD 0`,
};

const builtinCache = new Map<string, HeaderFile>();

export interface FoundHeader {
  readonly file: HeaderFile;
  /** Position in the search list, so `#include_next` can continue after it. */
  readonly searchIndex: number;
}

export function defaultIncludeDirs(target: TargetInfo): string[] {
  return ['/usr/local/include', `/usr/include/${target.triplet}`, '/usr/include'];
}

export class HeaderSearch {
  /** BUILTIN_HEADER_DIR stands for the compiler's own headers. */
  readonly dirs: readonly string[];

  constructor(includeDirs: readonly string[]) {
    this.dirs = [BUILTIN_HEADER_DIR, ...includeDirs];
  }

  /** Searches the list from position `start` (0 for `#include <…>`; after the current file's for `#include_next`). */
  find(name: string, start = 0): FoundHeader | undefined {
    for (let index = start; index < this.dirs.length; index++) {
      const file = this.load(this.dirs[index], name);
      if (file) return { file, searchIndex: index };
    }
    return undefined;
  }

  /** `#include "…"`: the including file's directory first, then the system list. */
  findQuoted(name: string, fromDir: string | undefined): FoundHeader | undefined {
    if (fromDir !== undefined && !name.startsWith('/')) {
      const file = loadHeaderFile(join(fromDir, name));
      if (file) return { file, searchIndex: -1 };
    }
    if (name.startsWith('/')) {
      const file = loadHeaderFile(name);
      return file ? { file, searchIndex: -1 } : undefined;
    }
    return this.find(name);
  }

  /** The directories a user would recognise, for "not found" messages. */
  get searchedDirs(): string[] {
    return this.dirs.filter((dir) => dir !== BUILTIN_HEADER_DIR);
  }

  private load(dir: string, name: string): HeaderFile | null {
    if (dir !== BUILTIN_HEADER_DIR) return loadHeaderFile(join(dir, name));
    const text = COMPILER_HEADERS[name];
    if (text === undefined) return null;
    let file = builtinCache.get(name);
    if (file === undefined) {
      file = parseHeaderText(`${BUILTIN_HEADER_DIR}/${name}`, text);
      builtinCache.set(name, file);
    }
    return file;
  }
}
