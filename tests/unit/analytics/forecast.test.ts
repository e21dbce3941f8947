import { engineersNeeded, erlangC, fit, forecastSeries, mape } from '../../../server/analytics/forecast';

const DAY = 86_400_000;
const start = Date.parse('2024-01-01T00:00:00Z');
const dayAt = (i: number) => new Date(start + i * DAY).toISOString().slice(0, 10);

/** A known seasonal process: level 40, weekends at 60 %, ±25 % yearly wave peaking in summer. */
function expected(i: number): number {
  const weekday = new Date(start + i * DAY).getUTCDay();
  const week = weekday === 0 || weekday === 6 ? 0.6 : 1;
  const year = 1 + 0.25 * Math.sin((2 * Math.PI * (i - 91)) / 365.25);
  return 40 * week * year;
}

describe('the seasonal regression forecast', () => {
  it('recovers weekly and yearly seasonality from two years of noiseless data', () => {
    const series = Array.from({ length: 730 }, (_, i) => ({ day: dayAt(i), count: expected(i) }));
    const model = fit(series);
    expect(model.options).toEqual({ yearly: true, trend: true });
    for (const i of [731, 735, 740, 750, 757]) {
      expect(Math.abs(model.predict(dayAt(i)) - expected(i)) / expected(i)).toBeLessThan(0.05);
    }
  });

  it('forecasts four weeks after the history and measures the error on the held-back last four weeks', () => {
    // Deterministic noise of ±10 % around the known curve.
    const series = Array.from({ length: 500 }, (_, i) => ({ day: dayAt(i), count: Math.round(expected(i) * (1 + 0.1 * Math.sin(i * 12.9898))) }));
    const result = forecastSeries(series, 28);
    expect(result.forecast).toHaveLength(28);
    expect(result.forecast[0]!.day).toBe(dayAt(500));
    expect(result.holdout!.from).toBe(dayAt(472));
    expect(result.holdout!.days).toHaveLength(28);
    // The error is the noise's size, not the seasons': a model without them would be off by ~30 %.
    expect(result.holdout!.mape).toBeGreaterThan(0.01);
    expect(result.holdout!.mape).toBeLessThan(0.12);
    const saturday = result.forecast.find((d) => new Date(`${d.day}T00:00:00Z`).getUTCDay() === 6)!;
    const wednesday = result.forecast.find((d) => new Date(`${d.day}T00:00:00Z`).getUTCDay() === 3)!;
    expect(saturday.count / wednesday.count).toBeGreaterThan(0.5);
    expect(saturday.count / wednesday.count).toBeLessThan(0.7);
    expect(result.method).toContain('yearly Fourier');
  });

  it('fits without the yearly terms on short history and gives no holdout below twelve weeks', () => {
    const series = Array.from({ length: 60 }, (_, i) => ({ day: dayAt(i), count: expected(i) }));
    const result = forecastSeries(series, 7);
    expect(result.method).not.toContain('yearly');
    expect(result.holdout).toBeNull();
    expect(forecastSeries([], 7).forecast).toEqual([]);
  });

  it('computes MAPE over the days with complaints', () => {
    expect(mape([{ actual: 10, predicted: 12 }, { actual: 20, predicted: 15 }, { actual: 0, predicted: 3 }])).toBeCloseTo((0.2 + 0.25) / 2, 10);
    expect(mape([{ actual: 0, predicted: 1 }])).toBeNull();
  });
});

describe('engineers needed (Erlang C)', () => {
  it('matches the textbook call-centre example', () => {
    // 100 calls in 30 minutes, 3 minutes each: A = 10 Erlangs; 80 % answered within 20 s needs 14 agents.
    expect(erlangC(11, 10)).toBeCloseTo(0.6821, 3);
    expect(engineersNeeded({ volume: 100, handlingMs: 180_000, targetMs: 20_000, serviceLevel: 0.8, workingHours: 0.5 })).toBe(14);
  });

  it('grows with the load and needs none without complaints', () => {
    const base = { handlingMs: 2 * 3_600_000, targetMs: 4 * 3_600_000, serviceLevel: 0.8, workingHours: 8 };
    expect(engineersNeeded({ ...base, volume: 0 })).toBe(0);
    const low = engineersNeeded({ ...base, volume: 20 });
    const high = engineersNeeded({ ...base, volume: 80 });
    expect(low).toBeGreaterThanOrEqual(5);
    expect(high).toBeGreaterThan(low * 3);
  });
});
