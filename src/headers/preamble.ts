// The script's own preamble run in order, as cpp would run it: `#define`s before an `#include` are
// seen by the header, `#ifndef BPFTRACE_HAVE_BTF … #else … #endif` picks a branch, and struct or
// enum definitions inside an inactive branch drop out. Item shapes match the parser's AST
// (src/lang/ast.ts) structurally, so this module does not depend on the front end.
import { MacroDefinition, parseDirectiveLine } from './header-file.js';
import { createPreprocessor, includeRequest, tableFor, type HeaderOptions } from './include-resolver.js';
import type { IncludeIssue } from './preprocessor.js';
import { SCRIPT_FILE, type MacroTable, type MacroValue } from './macro-table.js';
import { stripComments } from './pp-token.js';

export interface DefineItem {
  readonly kind: 'Define';
  readonly name: string;
  /** Null for an object-like macro. */
  readonly params: readonly string[] | null;
  readonly value: string;
}

export interface IncludeItem {
  readonly kind: 'Include';
  readonly path: string;
  readonly system: boolean;
}

/** Any other preprocessor line, verbatim (`#ifndef X`, `#undef Y`, `#pragma …`). */
export interface DirectiveItem {
  readonly kind: 'Directive';
  readonly text: string;
}

export interface PreambleResult<T> {
  readonly table: MacroTable;
  /** The items outside inactive `#if` branches, in order: the ones the compiler should use. */
  readonly active: readonly T[];
}

type PreambleInput = DefineItem | IncludeItem | DirectiveItem | { readonly kind: string };

/**
 * Runs a script's preamble. Includes, defines and conditionals take effect in order; any other
 * item (struct, enum definitions) is only filtered by the conditionals. Issues are attached to the
 * Include item that caused them (`table.issues[i].include`).
 */
export function preprocessPreamble<T extends PreambleInput>(items: readonly T[], options: HeaderOptions = {}): PreambleResult<T> {
  const { target, preprocessor } = createPreprocessor(options);
  const frame = preprocessor.frame(SCRIPT_FILE, options.quoteDir, -1);
  const issues: IncludeIssue[] = [];
  const active: T[] = [];
  for (const item of items) {
    const site = { file: SCRIPT_FILE, line: 0 };
    if (isDirective(item)) {
      const line = parseDirectiveLine(item.text, site);
      // A non-directive line cannot come from the parser; a script line is never enum text.
      if (line && line.kind !== 'text') preprocessor.step(line, frame);
    }
    if (!preprocessor.isActive(frame)) continue;
    if (isDefine(item)) {
      preprocessor.step({ kind: 'define', line: 0, definition: scriptDefinition(item) }, frame);
    } else if (isInclude(item)) {
      issues.push(...includeRequest(preprocessor, item, options.quoteDir));
    }
    if (!isDirective(item)) active.push(item);
  }
  return { table: tableFor(preprocessor, target, issues), active };
}

/**
 * The value of one of the script's `#define` lines against a table (from resolveIncludes or
 * preprocessPreamble): an integer, a string, or unsupported with the reason (function-like
 * macros, expressions that are not constant).
 */
export function evaluateDefine(define: DefineItem, table: MacroTable): MacroValue {
  return table.extend([scriptDefinition(define)]).lookup(define.name) as MacroValue;
}

function scriptDefinition(define: DefineItem): MacroDefinition {
  const params = define.params?.map((param) => (param === '...' ? '__VA_ARGS__' : param)) ?? null;
  return new MacroDefinition(define.name, params, stripComments(define.value).trim(), { file: SCRIPT_FILE, line: 0 });
}

function isDefine(item: PreambleInput): item is DefineItem {
  return item.kind === 'Define';
}

function isInclude(item: PreambleInput): item is IncludeItem {
  return item.kind === 'Include';
}

function isDirective(item: PreambleInput): item is DirectiveItem {
  return item.kind === 'Directive';
}
