/** The SLA dashboard's pure helpers: stacked-bar shares, ranking, breach order, the trend chart's geometry. */
import { breachOrder, medianOfDays, periodOfDays, rankRows, rowTotal, shares, trendChart } from '../../../web/src/pages/sla/aggregate';
import type { BreachingNext, TrendDay } from '../../../web/src/pages/sla/client';

const clock = (clockKey: string, dueAt: string, remainingMs: number): BreachingNext => ({
  clockKey, instanceId: `pi-${clockKey}`, complaintId: null, policyId: 'p', metric: 'resolution', elementId: null, taskId: null,
  department: null, severity: null, engineerId: null, dueAt, remainingMs, state: 'at_risk',
});

const day = (d: string, started: number, breachRate: number | null, first: number | null = null, resolution: number | null = null): TrendDay => ({
  day: d, started, met: 0, breached: 0, breachRate, medianFirstResponseMs: first, medianResolutionMs: resolution,
});

describe('SLA dashboard helpers', () => {
  it('splits a row into shares that add up to 100, and an empty row into zeros', () => {
    const row = { ok: 6, at_risk: 2, breached: 1, met: 1 };
    expect(rowTotal(row)).toBe(10);
    expect(shares(row)).toEqual({ breached: 10, at_risk: 20, ok: 60, met: 10 });
    expect(shares({ ok: 1, at_risk: 1, breached: 1, met: 0 })).toEqual({ breached: 33.3, at_risk: 33.3, ok: 33.3, met: 0 });
    expect(shares({ ok: 0, at_risk: 0, breached: 0, met: 0 })).toEqual({ breached: 0, at_risk: 0, ok: 0, met: 0 });
  });

  it('ranks the worst rows first: breached, then at risk, then by name', () => {
    const rows = [
      { key: 'b', ok: 9, at_risk: 0, breached: 0, met: 0 },
      { key: 'a', ok: 0, at_risk: 3, breached: 1, met: 0 },
      { key: 'c', ok: 0, at_risk: 5, breached: 1, met: 0 },
      { key: 'd', ok: 1, at_risk: 0, breached: 0, met: 0 },
    ];
    expect(rankRows(rows).map((r) => r.key)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('puts the clocks without a key (null: department not set, whole complaint, unassigned) after the named ones on a tie', () => {
    const rows = [
      { key: null, ok: 1, at_risk: 0, breached: 2, met: 0 },
      { key: 'b', ok: 0, at_risk: 0, breached: 2, met: 0 },
      { key: 'a', ok: 0, at_risk: 0, breached: 0, met: 4 },
      { key: 'c', ok: 0, at_risk: 0, breached: 3, met: 0 },
    ];
    expect(rankRows(rows).map((r) => r.key)).toEqual(['c', 'b', null, 'a']);
  });

  it('asks for whole UTC days, today included, so the first trend day is not cut short', () => {
    expect(periodOfDays(7, Date.parse('2026-03-10T05:30:00Z'))).toEqual({ from: '2026-03-04T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' });
    expect(periodOfDays(1, Date.parse('2026-03-10T00:00:00Z'))).toEqual({ from: '2026-03-10T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' });
  });

  it('orders what breaches next by the due time against the browser clock, overdue first', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    const order = breachOrder([
      clock('later', '2026-03-02T12:00:00Z', 1),
      clock('overdue', '2026-03-02T09:30:00Z', 999),
      clock('soon', '2026-03-02T10:05:00Z', 5),
      clock('no-date', 'n/a', 60_000),
    ], now);
    expect(order.map((o) => [o.clockKey, o.leftMs])).toEqual([
      ['overdue', -30 * 60_000], ['no-date', 60_000], ['soon', 5 * 60_000], ['later', 2 * 3_600_000],
    ]);
  });

  it('draws bars scaled to the busiest day and the breach rate over the full height', () => {
    const chart = trendChart([day('d1', 10, 0), day('d2', 5, null), day('d3', 0, 1)], 300, 100, 0);
    expect(chart.maxStarted).toBe(10);
    expect(chart.bars.map((b) => [b.x, b.h])).toEqual([[15, 100], [115, 50], [215, 0]]);
    expect(chart.ratePath).toBe('M50.0,100.0 L250.0,0.0');
    expect(trendChart([], 300, 100).bars).toEqual([]);
    expect(trendChart([day('d1', 0, null)], 300, 100).ratePath).toBe('');
  });

  it('takes the median of the days that have one', () => {
    expect(medianOfDays([day('a', 1, null, 3), day('b', 1, null, null), day('c', 1, null, 1), day('d', 1, null, 10)], 'medianFirstResponseMs')).toBe(3);
    expect(medianOfDays([day('a', 1, null, null, 4), day('b', 1, null, null, 8)], 'medianResolutionMs')).toBe(6);
    expect(medianOfDays([day('a', 1, null)], 'medianResolutionMs')).toBeNull();
  });
});
