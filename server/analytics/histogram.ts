/**
 * Durations as sparse histograms over fixed logarithmic buckets, so that the median and p90 of
 * any set of rollup buckets (days, departments, cells) is the merge of their histograms: sums of
 * counts per bucket. Bucket i holds durations in [BASE·R^i, BASE·R^(i+1)) with R = 2^(1/4):
 * a percentile read from a bucket is its geometric middle, at most ~9% from the true value.
 * Bucket 0 also holds everything shorter than BASE.
 */
export type Histogram = Record<string, number>;

const BASE_MS = 1_000;
const STEPS_PER_DOUBLING = 4;
/** 2^(100/4) s ≈ 1 year: longer durations land in the last bucket. */
const LAST = 100;

export function bucketOf(ms: number): number {
  if (!(ms > BASE_MS)) return 0;
  return Math.min(LAST, Math.floor(Math.log2(ms / BASE_MS) * STEPS_PER_DOUBLING));
}

/** The representative duration of a bucket: its geometric middle. */
export function bucketValue(bucket: number): number {
  return BASE_MS * 2 ** ((bucket + 0.5) / STEPS_PER_DOUBLING);
}

/** Adds `from` into `into` (in place). */
export function mergeInto(into: Histogram, from: Histogram | undefined): Histogram {
  if (!from) return into;
  for (const [bucket, n] of Object.entries(from)) into[bucket] = (into[bucket] ?? 0) + n;
  return into;
}

export function countOf(h: Histogram): number {
  return Object.values(h).reduce((a, b) => a + b, 0);
}

/** The q-quantile (0 < q ≤ 1) of the durations counted in `h`; null when it is empty. */
export function quantile(h: Histogram, q: number): number | null {
  const buckets = Object.entries(h).map(([b, n]) => [Number(b), n] as const).filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= rank) return Math.round(bucketValue(bucket));
  }
  return Math.round(bucketValue(buckets[buckets.length - 1]![0]));
}
