// headers: the values a script's C preamble makes available, without a C compiler. It finds and
// reads system headers named by `#include`, runs their directives (conditionals, nested includes)
// with the predefined macros of a default glibc build for the target, and evaluates object-like
// macros and enumerators to integer or string constants on demand; function-like and non-constant
// macros come back as "unsupported" with a reason. Kernel-internal constants that no installed
// header defines (TASK_RUNNING, TCP_ESTABLISHED, …) are a built-in fallback table.
// Reads files with node:fs only. Must not import lang, compiler or anything that touches the
// kernel (sys, kernel, providers, runtime): the compiler calls it, unprivileged.

export { resolveIncludes, type HeaderOptions } from './include-resolver.js';
export { evaluateDefine, preprocessPreamble, type DefineItem, type DirectiveItem, type IncludeItem, type PreambleResult } from './preamble.js';
export { MacroTable, type MacroOrigin, type MacroSource, type MacroValue } from './macro-table.js';
export { kernelConstants, kernelConstantTable } from './kernel-constants.js';
export type { IncludeIssue, IncludeRequest, IssueCode, PreprocessorIssue } from './preprocessor.js';
export type { IntegerType } from './integer-types.js';
export { targetInfo, type TargetInfo } from './target.js';
