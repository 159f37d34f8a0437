// Runs directives the way `cpp` would, keeping only what constants need: macro definitions,
// enumerators, conditional compilation and nested includes (with `#include_next`, `#pragma once`,
// a guard against include cycles and a depth limit). Output text is never produced.
import { parseHeaderText, type DefinitionSite, type HeaderFile, type HeaderLine, type MacroDefinition } from './header-file.js';
import type { FoundHeader, HeaderSearch } from './header-search.js';
import { ConstantError, evaluateConstant } from './constant-expression.js';
import { EnumCollector, type Enumerator } from './enum-collector.js';
import { ExpansionError, expandTokens, isDefined } from './macro-expander.js';
import { tokenize, type PpToken } from './pp-token.js';
import { dirname } from 'node:path';

export type IssueCode = 'header-not-found' | 'kernel-header-not-installed' | 'include-too-deep' | 'error-directive' | 'invalid-include';

export interface PreprocessorIssue {
  readonly severity: 'error' | 'warning';
  readonly code: IssueCode;
  /** The header named by the `#include` that failed, or the header holding the `#error`. */
  readonly header: string;
  readonly message: string;
}

export interface IncludeRequest {
  readonly path: string;
  /** `<path>` (the default) rather than `"path"`. */
  readonly system?: boolean;
}

/** A problem met while resolving, tied to the script's `#include` that led to it (the object passed in). */
export interface IncludeIssue extends PreprocessorIssue {
  readonly include?: IncludeRequest;
}

/** The macros, enumerators and simple typedefs a run leaves behind. */
export interface MacroScope {
  readonly macros: ReadonlyMap<string, MacroDefinition>;
  readonly enumerators: ReadonlyMap<string, Enumerator>;
  /** `typedef … name;` lines without braces or parentheses, expanded, name and `;` removed. */
  readonly typedefs: ReadonlyMap<string, readonly PpToken[]>;
}

// One-line typedefs of scalar types; glibc spells `typedef` as `__STD_TYPE` in <bits/types.h>.
const TYPEDEF_LINE = /^\s*(?:typedef|__STD_TYPE)\s[^;{}()[\]]*;\s*$/;

// GCC's own limit on nested #include depth.
const MAX_INCLUDE_DEPTH = 200;

// Kernel-internal header trees: a script names them to get kernel types, which come from BTF
// here, so their absence is no reason to reject the script.
const KERNEL_INTERNAL = /^(linux|net|asm|asm-generic|uapi|trace|kernel|generated|crypto|scsi|xen)\//;

interface Condition {
  readonly parentActive: boolean;
  active: boolean;
  /** Some branch of this #if chain has been taken, so later #elif/#else branches are off. */
  taken: boolean;
}

/** One file (or the script preamble) being run: its place in the search list and its #if stack. */
export interface Frame {
  readonly file: string;
  readonly dir: string | undefined;
  readonly searchIndex: number;
  readonly conditions: Condition[];
  readonly enums: EnumCollector;
}

export class Preprocessor implements MacroScope {
  readonly macros = new Map<string, MacroDefinition>();
  readonly enumerators = new Map<string, Enumerator>();
  readonly typedefs = new Map<string, readonly PpToken[]>();
  readonly issues: PreprocessorIssue[] = [];
  private readonly open: string[] = [];
  private readonly once = new Set<string>();

  constructor(private readonly search: HeaderSearch) {}

  /** Defines macros from `#define` text (predefined macros, built-in tables). */
  defineFromText(name: string, text: string): void {
    const frame = this.frame(name, undefined, -1);
    for (const line of parseHeaderText(name, text).lines) this.step(line, frame);
  }

  frame(file: string, dir: string | undefined, searchIndex: number): Frame {
    return { file, dir, searchIndex, conditions: [], enums: new EnumCollector((enumerator) => this.enumerators.set(enumerator.name, enumerator)) };
  }

  isActive(frame: Frame): boolean {
    return frame.conditions.at(-1)?.active ?? true;
  }

  step(line: HeaderLine, frame: Frame): void {
    const conditions = frame.conditions;
    const top = conditions.at(-1);
    switch (line.kind) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const parentActive = this.isActive(frame);
        const value = parentActive && this.test(line, frame);
        conditions.push({ parentActive, active: value, taken: value });
        return;
      }
      case 'elif':
        if (top) {
          top.active = top.parentActive && !top.taken && this.test(line, frame);
          top.taken ||= top.active;
        }
        return;
      case 'else':
        if (top) {
          top.active = top.parentActive && !top.taken;
          top.taken = true;
        }
        return;
      case 'endif':
        conditions.pop();
        return;
    }
    if (!this.isActive(frame)) return;
    const site: DefinitionSite = { file: frame.file, line: line.line };
    switch (line.kind) {
      case 'define':
        this.macros.set(line.definition.name, line.definition);
        return;
      case 'undef':
        this.macros.delete(line.name);
        return;
      case 'include':
        this.include(line.target, line.next, frame, site);
        return;
      case 'once':
        this.once.add(frame.file);
        return;
      case 'error':
        this.issues.push({ severity: 'warning', code: 'error-directive', header: frame.file, message: `${frame.file}:${line.line}: #error ${line.message}` });
        return;
      case 'text':
        if (TYPEDEF_LINE.test(line.text)) this.typedef(line.text);
        frame.enums.feed(line.text, site);
        return;
    }
  }

  /** Expanded now, as cpp would: glibc #undefs `__STD_TYPE` at the end of <bits/types.h>. */
  private typedef(text: string): void {
    const tokens = tokenize(text);
    const name = tokens.at(-2);
    if (name?.kind !== 'identifier') return;
    try {
      this.typedefs.set(name.text, expandTokens(tokens.slice(0, -2), { macros: this.macros }));
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
    }
  }

  /** Processes `#include <name>` / `#include "name"` (target text as written after the keyword). */
  include(target: string, next: boolean, from: Frame, site: DefinitionSite): void {
    const parsed = this.parseTarget(target);
    if (parsed === undefined) {
      this.issues.push({ severity: 'warning', code: 'invalid-include', header: target, message: `${site.file}:${site.line}: cannot understand #include ${target}` });
      return;
    }
    const { name, system } = parsed;
    const found = this.find(name, system, next, from);
    if (found === undefined) {
      this.reportMissing(name, system, from.file === '<script>' ? undefined : site);
      return;
    }
    const path = found.file.path;
    // An include cycle can only close through an unguarded header; `cpp` would recurse until its
    // depth limit, we stop at once. `#pragma once` files are likewise read a single time.
    if (this.open.includes(path) || this.once.has(path)) return;
    if (this.open.length >= MAX_INCLUDE_DEPTH) {
      this.issues.push({ severity: 'error', code: 'include-too-deep', header: name, message: `#include nested more than ${MAX_INCLUDE_DEPTH} levels deep at ${site.file}:${site.line}` });
      return;
    }
    this.run(found);
  }

  private run(found: FoundHeader): void {
    const file: HeaderFile = found.file;
    this.open.push(file.path);
    const frame = this.frame(file.path, dirname(file.path), found.searchIndex);
    for (const line of file.lines) this.step(line, frame);
    this.open.pop();
  }

  private find(name: string, system: boolean, next: boolean, from: Frame): FoundHeader | undefined {
    if (next) return this.search.find(name, from.searchIndex + 1);
    return system ? this.search.find(name) : this.search.findQuoted(name, from.dir);
  }

  private reportMissing(name: string, system: boolean, includedFrom: DefinitionSite | undefined): void {
    const spelled = system ? `<${name}>` : `"${name}"`;
    const where = includedFrom ? ` (included from ${includedFrom.file}:${includedFrom.line})` : '';
    if (KERNEL_INTERNAL.test(name)) {
      this.issues.push({
        severity: 'warning',
        code: 'kernel-header-not-installed',
        header: name,
        message: `${spelled} is a kernel-internal header that is not installed${where}; types come from kernel BTF and well-known constants from the built-in table`,
      });
      return;
    }
    this.issues.push({
      severity: includedFrom ? 'warning' : 'error',
      code: 'header-not-found',
      header: name,
      message: `cannot find ${spelled}${where}; searched ${this.search.searchedDirs.join(', ')}`,
    });
  }

  private parseTarget(target: string): { name: string; system: boolean } | undefined {
    const direct = /^(?:<([^>]*)>|"([^"]*)")/.exec(target);
    if (direct) return { name: direct[1] ?? direct[2], system: direct[1] !== undefined };
    // A computed include (`#include MACRO`): expand, then read the result the same way.
    try {
      const expanded = expandTokens(tokenize(target), { macros: this.macros });
      const text = expanded.map((token) => token.text).join('');
      const match = /^(?:<([^>]*)>|"([^"]*)")$/.exec(text);
      return match ? { name: match[1] ?? match[2], system: match[1] !== undefined } : undefined;
    } catch {
      return undefined;
    }
  }

  /** An `#if`/`#elif`/`#ifdef`/`#ifndef` test. A condition we cannot evaluate counts as false. */
  private test(line: HeaderLine, frame: Frame): boolean {
    if (line.kind === 'ifdef') return isDefined(this.macros, line.name);
    if (line.kind === 'ifndef') return !isDefined(this.macros, line.name);
    if (line.kind !== 'if' && line.kind !== 'elif') return false;
    const hasInclude = (name: string, system: boolean, next: boolean): boolean => this.find(name, system, next, frame) !== undefined;
    try {
      const tokens = expandTokens(tokenize(line.condition), { macros: this.macros, hasInclude });
      return evaluateConstant(tokens, { types: 'preprocessor' }).value !== 0n;
    } catch (error) {
      if (error instanceof ConstantError || error instanceof ExpansionError) return false;
      throw error;
    }
  }
}
