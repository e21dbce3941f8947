import { bucketOf, bucketValue, countOf, mergeInto, quantile, type Histogram } from '../../../server/analytics/histogram';

function histogramOf(durations: number[]): Histogram {
  const h: Histogram = {};
  for (const ms of durations) h[bucketOf(ms)] = (h[bucketOf(ms)] ?? 0) + 1;
  return h;
}
const exact = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

describe('duration histograms', () => {
  it('reads the median and p90 within the bucket width of the exact values', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 60_000 * (1 + ((i * 7919) % 1000) / 10)); // 1 min .. 101 min
    const sorted = [...durations].sort((a, b) => a - b);
    const h = histogramOf(durations);
    for (const q of [0.5, 0.9]) {
      const read = quantile(h, q)!;
      expect(Math.abs(read - exact(sorted, q)) / exact(sorted, q)).toBeLessThan(0.1);
    }
  });

  it('merges two buckets to the same percentiles as one histogram of both', () => {
    const a = [5_000, 20_000, 3_600_000, 7_200_000];
    const b = [50_000, 90_000, 86_400_000];
    const merged = mergeInto(histogramOf(a), histogramOf(b));
    expect(merged).toEqual(histogramOf([...a, ...b]));
    expect(countOf(merged)).toBe(7);
    expect(quantile(merged, 0.5)).toBe(quantile(histogramOf([...a, ...b]), 0.5));
  });

  it('puts short durations in bucket 0 and says nothing for an empty histogram', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(999)).toBe(0);
    expect(bucketOf(2_000)).toBe(4);
    expect(bucketValue(4)).toBeGreaterThan(2_000);
    expect(bucketValue(4)).toBeLessThan(2_400);
    expect(quantile({}, 0.5)).toBeNull();
  });
});
