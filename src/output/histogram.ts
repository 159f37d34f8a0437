// Bucket geometry of hist() and lhist(), shared by the text and JSON formatters: which buckets are shown,
// their text labels and their numeric ranges.
//
// hist() bucket index i: 0 holds negative values, 1 holds 0, 2 holds 1, and i >= 3 holds
// [2^(i-2), 2^(i-1)). lhist(min, max, step) index i: 0 holds values below min, 1..n hold
// [min + (i-1)*step, min + i*step) with n = (max - min) / step, and n + 1 holds max and above.

export interface BucketRow {
  readonly index: number;
  readonly count: bigint;
}

/** Buckets from the first to the last non-zero one; leading and trailing zero buckets are not shown. */
function nonZeroSpan(buckets: readonly bigint[], length: number): BucketRow[] {
  let first = -1;
  let last = -1;
  for (let i = 0; i < Math.min(length, buckets.length); i++) {
    if (buckets[i] > 0n) {
      if (first === -1) first = i;
      last = i;
    }
  }
  if (first === -1) return [];
  return buckets.slice(first, last + 1).map((count, offset) => ({ index: first + offset, count }));
}

export function histRows(buckets: readonly bigint[]): BucketRow[] {
  return nonZeroSpan(buckets, buckets.length);
}

export interface LinearLayout {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** Number of in-range buckets, excluding the below-min and at-or-above-max ones. */
export function linearBucketCount(layout: LinearLayout): number {
  return Math.trunc((layout.max - layout.min) / layout.step);
}

export function lhistRows(buckets: readonly bigint[], layout: LinearLayout): BucketRow[] {
  return nonZeroSpan(buckets, linearBucketCount(layout) + 2);
}

// bpftrace 0.17 stops at 'T' (its hist() never produces a bucket past 2^32); the wider table follows
// bpftrace 0.20+, which labels the 64-bit range with P and E too.
const POWER_SUFFIXES = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

/** 2^power with a binary suffix: 1024 → "1K", 2^21 → "2M". */
function powerLabel(power: number): string {
  const decade = Math.floor(power / 10);
  return `${2 ** (power - decade * 10)}${POWER_SUFFIXES[decade]}`;
}

export function histLabel(index: number): string {
  if (index === 0) return '(..., 0)';
  if (index === 1) return '[0]';
  if (index === 2) return '[1]';
  return `[${powerLabel(index - 2)}, ${powerLabel(index - 1)})`;
}

const KIBI = 1024;
const MEBI = 1024 * 1024;

/** An lhist boundary: exact multiples of 1M or 1K are shortened ("2M", "3K"), others printed whole. */
function linearLabel(value: number): string {
  if (value === 0) return '0';
  if (value % MEBI === 0) return `${value / MEBI}M`;
  if (value % KIBI === 0) return `${value / KIBI}K`;
  return String(value);
}

export function lhistLabel(index: number, layout: LinearLayout): string {
  if (index === 0) return `(..., ${linearLabel(layout.min)})`;
  if (index === linearBucketCount(layout) + 1) return `[${linearLabel(layout.max)}, ...)`;
  const low = (index - 1) * layout.step + layout.min;
  return `[${linearLabel(low)}, ${linearLabel(low + layout.step)})`;
}

/** Inclusive value range of a bucket; an open end is absent. */
export interface BucketRange {
  readonly min?: bigint;
  readonly max?: bigint;
}

export function histRange(index: number): BucketRange {
  if (index === 0) return { max: -1n };
  if (index === 1) return { min: 0n, max: 0n };
  // bpftrace 0.17 computes these with 32-bit ints and prints garbage from 2^31 up; these are exact.
  return { min: 1n << BigInt(index - 2), max: (1n << BigInt(index - 1)) - 1n };
}

export function lhistRange(index: number, layout: LinearLayout): BucketRange {
  if (index === 0) return { max: BigInt(layout.min) - 1n };
  if (index === linearBucketCount(layout) + 1) return { min: BigInt(layout.max) };
  const low = BigInt((index - 1) * layout.step + layout.min);
  return { min: low, max: low + BigInt(layout.step) - 1n };
}
