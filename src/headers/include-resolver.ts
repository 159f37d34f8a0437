// `#include` lines of a script → a MacroTable. Sets up what a compiler driver would (predefined
// macros, search directories for the target) and caches per process: parsed header files in
// header-file.ts, and here the outcome of a whole include list, so compiling the same preamble
// twice only builds a fresh table around the cached definitions.
import { defaultIncludeDirs, HeaderSearch } from './header-search.js';
import { typeSet } from './integer-types.js';
import { kernelConstantTable } from './kernel-constants.js';
import { MacroTable, PREDEFINED_FILE, SCRIPT_FILE } from './macro-table.js';
import { Preprocessor, type IncludeIssue, type IncludeRequest, type MacroScope, type PreprocessorIssue } from './preprocessor.js';
import { predefinedMacroText, targetInfo, type TargetInfo } from './target.js';

export interface HeaderOptions {
  /** Node.js architecture name (`x64`, `arm64`, …) the headers are read for; default: this machine. */
  readonly arch?: string;
  /** Replaces the system include directories (/usr/local/include, multiarch, /usr/include). */
  readonly includeDirs?: readonly string[];
  /** Directory searched first for `#include "file"` (the script's own directory). */
  readonly quoteDir?: string;
  /** Extra predefined macros, name → replacement text, e.g. `{ BPFTRACE_HAVE_BTF: '1' }`. */
  readonly defines?: Readonly<Record<string, string>>;
}

export interface PreprocessorSetup {
  readonly target: TargetInfo;
  readonly preprocessor: Preprocessor;
}

export function createPreprocessor(options: HeaderOptions = {}): PreprocessorSetup {
  const target = targetInfo(options.arch);
  const preprocessor = new Preprocessor(new HeaderSearch(options.includeDirs ?? defaultIncludeDirs(target)));
  const extra = Object.entries(options.defines ?? {}).map(([name, value]) => `#define ${name} ${value}`);
  preprocessor.defineFromText(PREDEFINED_FILE, [predefinedMacroText(target), ...extra].join('\n'));
  return { target, preprocessor };
}

/** Runs one script-level `#include`, returning the issues it raised tagged with the request. */
export function includeRequest(preprocessor: Preprocessor, request: IncludeRequest, quoteDir: string | undefined): IncludeIssue[] {
  const before = preprocessor.issues.length;
  const system = request.system ?? true;
  const target = system ? `<${request.path}>` : `"${request.path}"`;
  preprocessor.include(target, false, preprocessor.frame(SCRIPT_FILE, quoteDir, -1), { file: SCRIPT_FILE, line: 0 });
  return preprocessor.issues.slice(before).map((issue) => ({ ...issue, include: request }));
}

export function tableFor(scope: MacroScope, target: TargetInfo, issues: readonly IncludeIssue[]): MacroTable {
  return new MacroTable(scope, typeSet(target), issues, kernelConstantTable(target));
}

interface CachedResolution {
  readonly target: TargetInfo;
  readonly scope: MacroScope;
  /** Issues with the index of the request that raised them. */
  readonly issues: readonly (PreprocessorIssue & { readonly request: number })[];
}

const resolutions = new Map<string, CachedResolution>();

/**
 * The macros and enumerators that the headers named by `includes` define, in order, over the
 * predefined macros of a default glibc build and with the built-in kernel constants as fallback.
 * A missing header is an issue, not an exception: `error` for an ordinary header, `warning` for a
 * kernel-internal one (types come from BTF). `table.issues[i].include` is the request object.
 */
export function resolveIncludes(includes: readonly IncludeRequest[], options: HeaderOptions = {}): MacroTable {
  const key = JSON.stringify([includes.map((include) => [include.path, include.system ?? true]), options]);
  let cached = resolutions.get(key);
  if (cached === undefined) {
    const { target, preprocessor } = createPreprocessor(options);
    const issues = includes.flatMap((include, request) =>
      includeRequest(preprocessor, include, options.quoteDir).map(({ include: _, ...issue }) => ({ ...issue, request })),
    );
    cached = { target, scope: preprocessor, issues };
    resolutions.set(key, cached);
  }
  const issues = cached.issues.map(({ request, ...issue }) => ({ ...issue, include: includes[request] }));
  return tableFor(cached.scope, cached.target, issues);
}
