// Macro expansion (C11 6.10.3): object-like and function-like macros, `#` and `##`, rescanning,
// and hide sets so recursive definitions stop. In `#if` lines it also answers `defined X` and
// `__has_include(<x.h>)` before the operand could be expanded.
import type { MacroDefinition } from './header-file.js';
import { tokenize, tokensToText, type PpToken } from './pp-token.js';

export class ExpansionError extends Error {
  override readonly name = 'ExpansionError';
}

export interface ExpansionContext {
  readonly macros: ReadonlyMap<string, MacroDefinition>;
  /** Present only while expanding an `#if`/`#elif` condition. */
  readonly hasInclude?: (name: string, system: boolean, next: boolean) => boolean;
}

// A runaway expansion (mutually recursive function-like macros building ever-longer argument
// lists) is cut off here rather than exhausting memory.
const MAX_TOKENS = 100_000;

export function expandTokens(input: readonly PpToken[], context: ExpansionContext): PpToken[] {
  const queue = [...input];
  const output: PpToken[] = [];
  let index = 0;
  while (index < queue.length) {
    if (queue.length > MAX_TOKENS) throw new ExpansionError('macro expansion is too large');
    const token = queue[index];
    if (token.kind !== 'identifier') {
      output.push(token);
      index++;
      continue;
    }
    if (context.hasInclude !== undefined && token.text === 'defined') {
      index = expandDefined(queue, index, context, output);
      continue;
    }
    if (context.hasInclude !== undefined && (token.text === '__has_include' || token.text === '__has_include_next')) {
      index = expandHasInclude(queue, index, context.hasInclude, output);
      continue;
    }
    const macro = context.macros.get(token.text);
    if (macro === undefined || token.hide?.has(token.text)) {
      output.push(token);
      index++;
      continue;
    }
    if (macro.params === null) {
      const hide = withName(token.hide, macro.name);
      queue.splice(index, 1, ...macro.body.map((part, at) => ({ ...part, spaced: at === 0 ? token.spaced : part.spaced, hide: union(part.hide, hide) })));
      continue;
    }
    if (queue[index + 1]?.text !== '(') {
      output.push(token);
      index++;
      continue;
    }
    const { args, end } = collectArguments(queue, index + 1, macro);
    const hide = withName(token.hide, macro.name);
    const replacement = substitute(macro, args, context).map((part, at) => ({
      ...part,
      spaced: at === 0 ? token.spaced : part.spaced,
      hide: union(part.hide, hide),
    }));
    queue.splice(index, end - index + 1, ...replacement);
  }
  return output;
}

/** `defined NAME`. `__has_include` is an operator we implement, so headers testing for it see it. */
export function isDefined(macros: ReadonlyMap<string, MacroDefinition>, name: string): boolean {
  return macros.has(name) || name === '__has_include' || name === '__has_include_next';
}

function expandDefined(queue: PpToken[], index: number, context: ExpansionContext, output: PpToken[]): number {
  let at = index + 1;
  const parenthesized = queue[at]?.text === '(';
  if (parenthesized) at++;
  const name = queue[at];
  if (name?.kind !== 'identifier') throw new ExpansionError("'defined' needs a macro name");
  if (parenthesized && queue[at + 1]?.text !== ')') throw new ExpansionError("missing ')' after 'defined'");
  output.push({ kind: 'number', text: isDefined(context.macros, name.text) ? '1' : '0', spaced: true });
  return at + (parenthesized ? 2 : 1);
}

function expandHasInclude(queue: PpToken[], index: number, hasInclude: NonNullable<ExpansionContext['hasInclude']>, output: PpToken[]): number {
  if (queue[index + 1]?.text !== '(') throw new ExpansionError(`'${queue[index].text}' needs a parenthesized header name`);
  const close = queue.findIndex((token, at) => at > index + 1 && token.text === ')');
  if (close < 0) throw new ExpansionError(`missing ')' after '${queue[index].text}'`);
  const inner = queue.slice(index + 2, close);
  const text = inner.map((token) => token.text).join('');
  const quoted = /^"(.*)"$/.exec(text);
  const angled = /^<(.*)>$/.exec(text);
  if (!quoted && !angled) throw new ExpansionError(`'${queue[index].text}' needs <header> or "header"`);
  const found = hasInclude((quoted ?? angled)?.[1] ?? '', angled !== null, queue[index].text === '__has_include_next');
  output.push({ kind: 'number', text: found ? '1' : '0', spaced: true });
  return close + 1;
}

/** Splits `( a, (b, c), d )` starting at the `(`; a variadic macro's extra arguments stay together. */
function collectArguments(queue: readonly PpToken[], open: number, macro: MacroDefinition): { args: PpToken[][]; end: number } {
  const params = macro.params ?? [];
  const variadic = params.at(-1) === '__VA_ARGS__';
  const args: PpToken[][] = [[]];
  let depth = 0;
  for (let at = open + 1; at < queue.length; at++) {
    const token = queue[at];
    if (token.text === '(') depth++;
    if (token.text === ')') {
      if (depth === 0) {
        // `F()` passes one empty argument, which is no argument at all for a macro without parameters.
        if (params.length === 0 && args.length === 1 && args[0].length === 0) args.pop();
        if (args.length === params.length || (variadic && args.length === params.length - 1)) return { args, end: at };
        throw new ExpansionError(`macro '${macro.name}' takes ${params.length} argument${params.length === 1 ? '' : 's'}, got ${args.length}`);
      }
      depth--;
    }
    if (token.text === ',' && depth === 0 && !(variadic && args.length === params.length)) {
      args.push([]);
      continue;
    }
    args[args.length - 1].push(token);
  }
  throw new ExpansionError(`unterminated argument list invoking macro '${macro.name}'`);
}

/** Replaces parameters in the body: `#p` stringized, `p` next to `##` raw, any other `p` fully expanded. */
function substitute(macro: MacroDefinition, args: readonly PpToken[][], context: ExpansionContext): PpToken[] {
  const params = macro.params ?? [];
  const argumentOf = (token: PpToken): readonly PpToken[] | undefined => {
    const at = token.kind === 'identifier' ? params.indexOf(token.text) : -1;
    return at < 0 ? undefined : (args[at] ?? []);
  };
  const body = macro.body;
  const result: PpToken[] = [];
  for (let at = 0; at < body.length; at++) {
    const token = body[at];
    if (token.text === '#' && body[at + 1] !== undefined && argumentOf(body[at + 1]) !== undefined) {
      const text = tokensToText(argumentOf(body[at + 1]) ?? []);
      result.push({ kind: 'string', text: JSON.stringify(text), spaced: token.spaced });
      at++;
      continue;
    }
    const arg = argumentOf(token);
    if (arg === undefined) {
      result.push(token);
      continue;
    }
    const pasted = body[at - 1]?.text === '##' || body[at + 1]?.text === '##';
    const replacement = pasted ? arg : expandTokens(arg, context);
    result.push(...replacement.map((part, index) => (index === 0 ? { ...part, spaced: token.spaced } : part)));
    // An empty argument next to `##` must still count as an operand (a "placemarker").
    if (replacement.length === 0 && pasted) result.push({ kind: 'other', text: '', spaced: false });
  }
  return paste(result);
}

function paste(tokens: PpToken[]): PpToken[] {
  const result: PpToken[] = [];
  for (let at = 0; at < tokens.length; at++) {
    const token = tokens[at];
    if (token.text === '##' && result.length > 0 && at + 1 < tokens.length) {
      const left = result.pop() as PpToken;
      const right = tokens[++at];
      const joined = tokenize(left.text + right.text);
      if (joined.length > 1) throw new ExpansionError(`pasting '${left.text}' and '${right.text}' does not give a valid token`);
      if (joined.length === 1) result.push({ ...joined[0], spaced: left.spaced });
      continue;
    }
    result.push(token);
  }
  return result.filter((token) => !(token.kind === 'other' && token.text === ''));
}

function withName(hide: ReadonlySet<string> | undefined, name: string): ReadonlySet<string> {
  const set = new Set(hide);
  set.add(name);
  return set;
}

function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (a === undefined || a.size === 0) return b;
  return new Set([...a, ...b]);
}
