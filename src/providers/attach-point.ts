// Pieces every provider shares: part counts, wildcards, bpftrace's integer literals, typed access to
// a target's details, and share keys. Errors are ProbeErrors that name the attach point.
import type { AttachPoint } from '../lang/index.js';
import { globToRegExp } from '../kernel/elf.js';
import { ProbeError, type ArgField, type ProbeTarget } from './provider.js';

type Detail = ProbeTarget['detail'];

export function target(provider: string, name: string, detail: Detail): ProbeTarget {
  return { provider, name, detail };
}

/** Checks the number of parts after the provider; `usage` shows the accepted forms. */
export function expectParts(point: AttachPoint, min: number, max: number, usage: string): void {
  const count = point.parts.length;
  if (count >= min && count <= max) return;
  const wanted = min === max ? `${min}` : `${min} to ${max}`;
  throw new ProbeError(
    `${point.raw}: ${point.provider} probes take ${wanted} argument${max === 1 ? '' : 's'}, not ${count}`,
    `write it as ${usage}`,
  );
}

/**
 * Reads what an attach point is matched against (tracefs, BTF, kallsyms). When the machine cannot
 * provide it (tracefs not mountable without root, a kernel without BTF) the failure becomes a
 * ProbeError naming the attach point, so the compiler reports it at the probe like any other.
 */
export function readSource<T>(point: AttachPoint, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    const wrapped = new ProbeError(`${point.raw}: ${error instanceof Error ? error.message : String(error)}`);
    wrapped.cause = error;
    throw wrapped;
  }
}

/** `*` and `?` are the wildcards attach points and -l patterns accept. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Byte order, as bpftrace's sorted sets print wildcard matches (`localeCompare` would not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function globMatcher(glob: string): (name: string) => boolean {
  const regex = globToRegExp(glob);
  return (name) => regex.test(name);
}

const DURATION_NANOSECONDS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};
// C's integer suffixes, which bpftrace's literals accept and which change nothing here.
const TYPE_SUFFIXES = new Set(['', 'u', 'ul', 'ull', 'l', 'll']);
const LITERAL = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]+|[1-9][eE][1-9]\d*|0|[1-9]\d*)([a-z]*)$/;

export interface IntegerOptions {
  /** Accept `ns`/`us`/`ms`/`s`/`m`/`h`/`d` suffixes (`interval:1s`); the value is then nanoseconds. */
  readonly durations?: boolean;
}

/**
 * An unsigned integer as bpftrace writes them in attach points: decimal, `0x` hex, `0b` binary,
 * leading-zero octal, `1e6`, `_` separators, C type suffixes. Undefined when `text` is none of these.
 */
export function parseInteger(text: string, options: IntegerOptions = {}): bigint | undefined {
  const match = LITERAL.exec(text.replaceAll('_', ''));
  if (match === null) return undefined;
  const [, digits, suffix] = match;
  const value = literalValue(digits);
  if (TYPE_SUFFIXES.has(suffix)) return value;
  const scale = options.durations === true ? DURATION_NANOSECONDS[suffix] : undefined;
  return scale === undefined ? undefined : value * scale;
}

function literalValue(digits: string): bigint {
  const scientific = /^([1-9])[eE](\d+)$/.exec(digits);
  if (scientific !== null) return BigInt(scientific[1]) * 10n ** BigInt(scientific[2]);
  if (/^0[0-7]+$/.test(digits)) return BigInt(`0o${digits.slice(1)}`);
  return BigInt(digits);
}

/** A count or rate that must be a positive integer a perf event can take. */
export function parsePositive(point: AttachPoint, text: string, what: string, options: IntegerOptions = {}): bigint {
  const value = parseInteger(text, options);
  if (value === undefined || value === 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProbeError(`${point.raw}: invalid ${what} '${text}'`, `the ${what} is a positive whole number, e.g. 1000`);
  }
  return value;
}

export function detailString(probe: ProbeTarget, key: string): string {
  const value = probe.detail[key];
  if (typeof value !== 'string') throw missingDetail(probe, key, 'string');
  return value;
}

export function detailNumber(probe: ProbeTarget, key: string): number {
  const value = probe.detail[key];
  if (typeof value !== 'number') throw missingDetail(probe, key, 'number');
  return value;
}

export function detailBigint(probe: ProbeTarget, key: string): bigint {
  const value = probe.detail[key];
  if (typeof value !== 'bigint') throw missingDetail(probe, key, 'bigint');
  return value;
}

/** Targets come from `expand`; one built elsewhere without the expected details is a programming error. */
function missingDetail(probe: ProbeTarget, key: string, type: string): Error {
  return new Error(`probe target ${probe.name} has no ${type} detail '${key}'; was it made by its provider's expand()?`);
}

/**
 * A share key for targets whose programs read `args`: equal keys mean equal field layouts, so one
 * program compiled for either reads the other's fields correctly.
 */
export function argsKey(provider: string, args: readonly ArgField[]): string {
  return `${provider}:${JSON.stringify(args)}`;
}
