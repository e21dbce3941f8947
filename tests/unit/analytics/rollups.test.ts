import { readPeriod, rollupSource, type RollupSource } from '../../../server/analytics/rollups';
import type { AnalyticsModels } from '../../../server/analytics/model';
import type { RollupRecord } from '../../../server/analytics/model';

/** A source that records what is asked and answers one document per day or month asked for. */
function source(today: string): RollupSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    today: () => today,
    find(field, value) {
      asked.push(`${field}=${value}`);
      const [grain, bucket] = value.split('|') as [string, string];
      const days = grain === 'day' ? Array.from({ length: 28 }, (_, i) => `${bucket}-${String(i + 1).padStart(2, '0')}`) : [bucket];
      return Promise.resolve(days.map((period) => ({ _id: `${grain}|${period}`, q: value, grain: grain === 'month' ? 'month' : 'day', period, dim: 'all', key: 'all', c: {} }) as RollupRecord));
    },
  };
}

describe('reading a period of rollups', () => {
  it('reads settled whole months as month documents, settled edges as day documents and the last days one by one', async () => {
    const s = source('2026-12-05');
    const docs = await readPeriod(s, 'engineer', '2026-09-15', '2026-12-05');
    expect(s.asked).toEqual([
      'q=day|2026-09|engineer', 'q=month|2026-10|engineer', 'q=month|2026-11|engineer',
      ...['01', '02', '03', '04', '05'].map((d) => `qd=dd|2026-12-${d}|engineer`),
    ]);
    // September's day documents are cut to the period
    expect(docs.filter((d) => d.period.startsWith('2026-09')).map((d) => d.period)).toEqual(Array.from({ length: 14 }, (_, i) => `2026-09-${String(i + 15)}`));
  });

  it('reads a month that ended less than two days ago day by day, and nothing after today', async () => {
    const s = source('2026-12-02');
    await readPeriod(s, 'all', '2026-11-29', '2027-01-10', true);
    expect(s.asked).toEqual(['qd=dd|2026-11-29|all', 'qd=dd|2026-11-30|all', 'qd=dd|2026-12-01|all', 'qd=dd|2026-12-02|all']);
  });
});

describe('the rollup source', () => {
  it('keeps settled documents in memory, reads live and empty ones every time', async () => {
    const reads: string[] = [];
    const stored = new Map<string, RollupRecord[]>([['day|2026-10|all', [{ _id: 'x', q: 'day|2026-10|all', grain: 'day', period: '2026-10-03', dim: 'all', key: 'all', c: {} }]]]);
    const models = { rollups: { find: (filter: Record<string, string>) => ({ lean: () => {
      const value = Object.values(filter)[0]!;
      reads.push(value);
      return Promise.resolve(stored.get(value) ?? []);
    } }) } } as unknown as AnalyticsModels;
    const source = rollupSource(models, () => '2026-12-05');
    for (let i = 0; i < 2; i++) {
      await source.find('q', 'day|2026-10|all'); // settled, stored: read once
      await source.find('q', 'day|2026-09|all'); // settled, empty: read each time
      await source.find('qd', 'dd|2026-12-04|all'); // not settled: read each time
      await source.find('qd', 'dd|2026-12-01|all'); // settled day, empty
    }
    expect(reads).toEqual(['day|2026-10|all', 'day|2026-09|all', 'dd|2026-12-04|all', 'dd|2026-12-01|all', 'day|2026-09|all', 'dd|2026-12-04|all', 'dd|2026-12-01|all']);
    expect(await source.find('q', 'day|2026-10|all')).toEqual(stored.get('day|2026-10|all'));
  });
});
