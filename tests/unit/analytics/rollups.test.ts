import { readPeriod, type RollupSource } from '../../../server/analytics/rollups';
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
