import { historyRollups } from '../../../server/analytics/history';
import { forecastSeries } from '../../../server/analytics/forecast';
import { parseCell } from '../../../server/analytics/model';
import { eachDay, sumDoc } from '../../../server/analytics/rollups';

const options = { end: '2026-11-30', days: 365, perDay: 30, regions: ['Huangpu', 'Pudong'], engineers: [{ id: 'staff-001', outlet: 'outlet-01' }, { id: 'staff-002', outlet: null }] };

describe('the demo history', () => {
  const docs = historyRollups(options);
  const days = docs.filter((d) => d.grain === 'day' && d.dim === 'all');

  it('is the same every run and adds up across dimensions and grains', () => {
    expect(historyRollups(options)).toEqual(docs);
    const sum = (dim: string, grain: string) => docs.filter((d) => d.dim === dim && d.grain === grain).reduce((n, d) => n + sumDoc(d, {}).in, 0);
    const intake = sum('all', 'day');
    expect(intake).toBeGreaterThan(365 * 25);
    expect(intake).toBeLessThan(365 * 35);
    expect(sum('department', 'day')).toBe(intake);
    expect(sum('engineer', 'day')).toBe(intake);
    expect(sum('all', 'month')).toBe(intake);
    expect(days.every((d) => Object.keys(d.c).every((cell) => options.regions.includes(parseCell(cell).region)))).toBe(true);
  });

  it('has a weekly and a yearly season the forecast measures back', () => {
    const byDay = new Map(days.map((d) => [d.period, sumDoc(d, {}).in]));
    const series = eachDay('2025-12-01', '2026-11-30').map((day) => ({ day, count: byDay.get(day) ?? 0 }));
    const mean = (filter: (day: string) => boolean) => {
      const picked = series.filter((s) => filter(s.day));
      return picked.reduce((n, s) => n + s.count, 0) / picked.length;
    };
    const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    expect(mean((d) => weekday(d) === 0) / mean((d) => weekday(d) === 2)).toBeLessThan(0.65);
    const ac = (month: string) => docs.filter((d) => d.grain === 'month' && d.dim === 'all' && d.period === month).reduce((n, d) => n + sumDoc(d, { category: 'air-conditioning' }).in, 0);
    expect(ac('2026-07') / ac('2026-01')).toBeGreaterThan(2.5);
    const result = forecastSeries(series, 28);
    expect(result.holdout!.mape).toBeLessThan(0.35);
  });
});
