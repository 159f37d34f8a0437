// The compiler's view of the preamble: names that have values. Values are worked out on first
// lookup and remembered, so including a large header costs only the names a script actually uses.
// Header and script definitions come first; a name they do not define falls through to the
// fallback table (the built-in kernel constants).
import { ConstantError, evaluateConstant } from './constant-expression.js';
import type { Enumerator } from './enum-collector.js';
import { MacroDefinition, type DefinitionSite } from './header-file.js';
import { canonicalTypeName, fits, TYPE_KEYWORDS, wrap, type IntegerConstant, type IntegerType, type TypeSet } from './integer-types.js';
import { ExpansionError, expandTokens } from './macro-expander.js';
import type { IncludeIssue, MacroScope } from './preprocessor.js';
import { tokensToText, type PpToken } from './pp-token.js';

export type MacroSource = 'header' | 'script' | 'kernel' | 'compiler';

export interface MacroOrigin {
  readonly source: MacroSource;
  /** Header path, `<script>`, `<kernel>` or `<predefined>`. */
  readonly file: string;
  readonly line: number;
}

export type MacroValue =
  | { readonly kind: 'integer'; readonly name: string; readonly value: bigint; readonly type: IntegerType; readonly origin: MacroOrigin }
  | { readonly kind: 'string'; readonly name: string; readonly value: string; readonly origin: MacroOrigin }
  | { readonly kind: 'unsupported'; readonly name: string; readonly reason: string; readonly origin: MacroOrigin };

export const SCRIPT_FILE = '<script>';
export const KERNEL_FILE = '<kernel>';
export const PREDEFINED_FILE = '<predefined>';

export class MacroTable {
  private readonly values = new Map<string, MacroValue>();
  /** Enumerators apart from macros: glibc's `#define SOCK_STREAM SOCK_STREAM` names both. */
  private readonly enumeratorValues = new Map<string, MacroValue>();
  private readonly evaluating = new Set<string>();
  private readonly typedefTypes = new Map<string, IntegerType | null>();

  constructor(
    private readonly scope: MacroScope,
    readonly types: TypeSet,
    /** Problems met while reading the includes (missing headers, `#error`). */
    readonly issues: readonly IncludeIssue[] = [],
    private readonly fallback?: MacroTable,
  ) {}

  /** The value of `name`, or undefined if nothing defines it. */
  lookup(name: string): MacroValue | undefined {
    const macro = this.scope.macros.get(name);
    if (macro) return this.memoized(this.values, macro, () => this.evaluateMacro(macro));
    const enumerator = this.scope.enumerators.get(name);
    if (enumerator) return this.enumeratorValue(enumerator);
    return this.fallback?.lookup(name);
  }

  private enumeratorValue(enumerator: Enumerator): MacroValue {
    return this.memoized(this.enumeratorValues, enumerator, () => this.evaluateEnumerator(enumerator));
  }

  private memoized(cache: Map<string, MacroValue>, definition: MacroDefinition | Enumerator, evaluate: () => MacroValue): MacroValue {
    const { name, site } = definition;
    const known = cache.get(name);
    if (known) return known;
    // The key tells a macro from an enumerator of the same name, which is not a cycle.
    const key = `${cache === this.values ? 'macro' : 'enum'}:${name}`;
    if (this.evaluating.has(key)) return unsupported(name, `'${name}' is defined in terms of itself`, site);
    this.evaluating.add(key);
    try {
      const value = evaluate();
      cache.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(key);
    }
  }

  /** Every name this table (and its fallback) defines, unevaluated; for "did you mean" hints. */
  names(): Set<string> {
    const names = new Set(this.fallback?.names());
    for (const name of this.scope.macros.keys()) names.add(name);
    for (const name of this.scope.enumerators.keys()) names.add(name);
    return names;
  }

  /** A table that also has these definitions (later ones win), sharing this table's fallback. */
  extend(definitions: readonly MacroDefinition[]): MacroTable {
    const macros = new Map(this.scope.macros);
    for (const definition of definitions) macros.set(definition.name, definition);
    return new MacroTable({ ...this.scope, macros }, this.types, this.issues, this.fallback);
  }

  private evaluateMacro(macro: MacroDefinition): MacroValue {
    const { name, site } = macro;
    if (macro.params !== null) {
      return unsupported(name, `'${name}(${macro.params.join(', ')})' is a function-like macro; only macros with a constant value can be used`, site);
    }
    let tokens: PpToken[];
    try {
      tokens = expandTokens([{ kind: 'identifier', text: name, spaced: false }], { macros: this.scope.macros });
    } catch (error) {
      if (error instanceof ExpansionError) return unsupported(name, `'${name}' cannot be expanded: ${error.message}`, site);
      throw error;
    }
    if (tokens.length === 0) return unsupported(name, `'${name}' is defined as nothing`, site);
    const text = stringLiteral(tokens);
    if (text !== undefined) return { kind: 'string', name, value: text, origin: origin(site) };
    try {
      const constant = this.evaluate(tokens);
      return { kind: 'integer', name, value: constant.value, type: constant.type, origin: origin(site) };
    } catch (error) {
      if (!(error instanceof ConstantError)) throw error;
      const expansion = tokensToText(tokens);
      const shown = expansion === macro.bodyText ? `'${expansion}'` : `'${macro.bodyText}' (expanded: '${expansion}')`;
      return unsupported(name, `'${name}' is defined as ${shown}, which is not an integer constant: ${error.message}`, site);
    }
  }

  private evaluateEnumerator(enumerator: Enumerator): MacroValue {
    const { name, site } = enumerator;
    try {
      let value: IntegerConstant;
      if (enumerator.expression !== null) {
        value = this.evaluate(expandTokens(enumerator.expression, { macros: this.scope.macros }));
      } else if (enumerator.previous === null) {
        value = { value: 0n, type: this.types.int };
      } else {
        const before = this.scope.enumerators.get(enumerator.previous);
        const previous = before ? this.enumeratorValue(before) : undefined;
        if (previous?.kind !== 'integer') throw new ConstantError(`the enumerator before it, '${enumerator.previous}', has no value`);
        value = wrap(previous.value + 1n, previous.type);
      }
      // Enumeration constants have type int (C11 6.7.2.2); GCC keeps the value's own type for
      // those that do not fit.
      const type = fits(value.value, this.types.int) ? this.types.int : value.type;
      return { kind: 'integer', name, value: value.value, type, origin: origin(site) };
    } catch (error) {
      if (error instanceof ConstantError || error instanceof ExpansionError) {
        return unsupported(name, `the enumerator '${name}' has no constant value: ${error.message}`, site);
      }
      throw error;
    }
  }

  private evaluate(tokens: readonly PpToken[]): IntegerConstant {
    return evaluateConstant(tokens, {
      types: this.types,
      identifier: (id) => {
        // An identifier left after expansion is an enumerator (maybe behind a self-referential
        // macro such as glibc's `#define SOCK_STREAM SOCK_STREAM`) or a built-in constant.
        const enumerator = this.scope.enumerators.get(id);
        const value = enumerator ? this.enumeratorValue(enumerator) : this.fallback?.lookup(id);
        return value?.kind === 'integer' ? { value: value.value, type: value.type } : undefined;
      },
      typedef: (name) => this.typedefType(name),
    });
  }

  /** The integer type a header typedef names (`in_addr_t` → `unsigned int`), if it is one. */
  private typedefType(name: string): IntegerType | undefined {
    const known = this.typedefTypes.get(name);
    if (known !== undefined) return known ?? undefined;
    const tokens = this.scope.typedefs.get(name);
    this.typedefTypes.set(name, null);
    if (tokens === undefined) return undefined;
    const words = tokens.map((token) => token.text).filter((word) => !['const', 'volatile', '__extension__'].includes(word));
    if (words[0] !== 'typedef') return undefined;
    const specifiers = words.slice(1);
    const type =
      specifiers.length === 1 && !TYPE_KEYWORDS.has(specifiers[0])
        ? (this.types.named.get(specifiers[0]) ?? this.typedefType(specifiers[0]))
        : specifiers.every((word) => TYPE_KEYWORDS.has(word))
          ? this.types.named.get(canonicalTypeName(specifiers) ?? '')
          : undefined;
    this.typedefTypes.set(name, type ?? null);
    return type;
  }
}

function origin(site: DefinitionSite | undefined): MacroOrigin {
  const file = site?.file ?? PREDEFINED_FILE;
  const source: MacroSource =
    file === SCRIPT_FILE ? 'script' : file === KERNEL_FILE ? 'kernel' : file === PREDEFINED_FILE || file.startsWith('<built-in>') ? 'compiler' : 'header';
  return { source, file, line: site?.line ?? 0 };
}

function unsupported(name: string, reason: string, site: DefinitionSite | undefined): MacroValue {
  return { kind: 'unsupported', name, reason, origin: origin(site) };
}

/** A macro made only of string literals, optionally parenthesized: adjacent literals concatenate. */
function stringLiteral(tokens: readonly PpToken[]): string | undefined {
  let inner = tokens;
  while (inner.length >= 2 && inner[0].text === '(' && inner.at(-1)?.text === ')') inner = inner.slice(1, -1);
  if (inner.length === 0 || !inner.every((token) => token.kind === 'string' && token.text.startsWith('"'))) return undefined;
  return inner.map((token) => decodeString(token.text.slice(1, -1))).join('');
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '\\': '\\', "'": "'", '"': '"', '?': '?' };

function decodeString(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (_match, escape: string) => {
    if (escape.startsWith('x')) return String.fromCharCode(parseInt(escape.slice(1), 16) & 0xff);
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8) & 0xff);
    return ESCAPES[escape] ?? escape;
  });
}
