/**
 * The complaint volume forecast (decision 0039): a seasonal regression fitted by least
 * squares to the daily counts,
 *
 *   log(1 + y_t) = a + b·t + Σ_{d=1..6} w_d·[weekday(t) = d] + Σ_{k=1..K} (s_k·sin(2πkt/365.25) + c_k·cos(2πkt/365.25))
 *
 * (weekly seasonality as weekday effects, yearly as K = 3 Fourier pairs, a linear trend;
 * on the log scale so the seasons multiply the level). The yearly terms are only fitted with
 * at least 300 days of history, the trend with at least 56. The error is measured by fitting
 * the same model without the last HOLDOUT_DAYS days and comparing its forecast of them with
 * what happened (MAPE over the days with complaints, and the error of the holdout's total).
 *
 * Engineers per day (Erlang C): the forecast complaints of a day arrive over the engineers'
 * working hours; each needs the measured mean handling time h; the fewest engineers N with
 * P(wait ≤ T) = 1 − C(N, A)·e^(−(N−A)·T/h) ≥ the service level, A = λh the offered load and
 * T the SLA target, is the staffing that meets the target at that load.
 */
const YEAR = 365.25;
export const HOLDOUT_DAYS = 28;
const HARMONICS = 3;

export interface FitOptions { yearly: boolean; trend: boolean }

function features(t: number, weekday: number, o: FitOptions): number[] {
  const x = [1];
  if (o.trend) x.push(t / 365);
  for (let d = 1; d < 7; d += 1) x.push(weekday === d ? 1 : 0);
  if (o.yearly) for (let k = 1; k <= HARMONICS; k += 1) x.push(Math.sin((2 * Math.PI * k * t) / YEAR), Math.cos((2 * Math.PI * k * t) / YEAR));
  return x;
}

/** Solves (XᵀX + λI)β = Xᵀy by Gaussian elimination (λ tiny: keeps a rank-deficient fit solvable). */
function leastSquares(rows: number[][], y: number[]): number[] {
  const p = rows[0]?.length ?? 0;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  rows.forEach((x, i) => {
    for (let r = 0; r < p; r += 1) {
      for (let c = 0; c < p; c += 1) a[r]![c]! += x[r]! * x[c]!;
      a[r]![p]! += x[r]! * y[i]!;
    }
  });
  for (let r = 0; r < p; r += 1) a[r]![r]! += 1e-6;
  for (let col = 0; col < p; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < p; r += 1) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < p; r += 1) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= p; c += 1) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[p]! / row[i]!);
}

const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const dayIndex = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface Model { predict(day: string): number; options: FitOptions }

/** Fits the regression to a daily series (consecutive days, oldest first). */
export function fit(series: ReadonlyArray<{ day: string; count: number }>): Model {
  const options = { yearly: series.length >= 300, trend: series.length >= 56 };
  if (series.length === 0) return { options, predict: () => 0 };
  const origin = dayIndex(series[0]!.day);
  const beta = leastSquares(series.map((s) => features(dayIndex(s.day) - origin, weekdayOf(s.day), options)), series.map((s) => Math.log1p(s.count)));
  return {
    options,
    predict(day) {
      const x = features(dayIndex(day) - origin, weekdayOf(day), options);
      return Math.max(0, Math.expm1(x.reduce((sum, v, i) => sum + v * (beta[i] ?? 0), 0)));
    },
  };
}

export interface ForecastResult {
  method: string;
  history: { from: string | null; to: string | null; days: number };
  forecast: Array<{ day: string; count: number }>;
  holdout: { from: string; to: string; actual: number; predicted: number; mape: number | null; totalError: number | null; days: Array<{ day: string; actual: number; predicted: number }> } | null;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** MAPE over the days with an actual count (a day with none has no percentage error). */
export function mape(pairs: ReadonlyArray<{ actual: number; predicted: number }>): number | null {
  const used = pairs.filter((p) => p.actual > 0);
  if (used.length === 0) return null;
  return used.reduce((s, p) => s + Math.abs(p.actual - p.predicted) / p.actual, 0) / used.length;
}

/** Forecasts `horizon` days after the series' last day, with the error on the held-back last HOLDOUT_DAYS. */
export function forecastSeries(series: ReadonlyArray<{ day: string; count: number }>, horizon = 28): ForecastResult {
  const last = series.at(-1)?.day ?? null;
  const model = fit(series);
  const forecast = last ? Array.from({ length: horizon }, (_, i) => addDay(last, i + 1)).map((day) => ({ day, count: round(model.predict(day), 1) })) : [];
  let holdout: ForecastResult['holdout'] = null;
  if (series.length >= HOLDOUT_DAYS * 3) {
    const train = series.slice(0, -HOLDOUT_DAYS);
    const held = series.slice(-HOLDOUT_DAYS);
    const m = fit(train);
    const days = held.map((s) => ({ day: s.day, actual: s.count, predicted: round(m.predict(s.day), 1) }));
    const actual = days.reduce((s, d) => s + d.actual, 0);
    const predicted = round(days.reduce((s, d) => s + d.predicted, 0), 1);
    const e = mape(days);
    holdout = { from: held[0]!.day, to: held.at(-1)!.day, actual, predicted, mape: e === null ? null : round(e, 4), totalError: actual ? round(Math.abs(predicted - actual) / actual, 4) : null, days };
  }
  const parts = ['log-linear regression', 'weekday effects', ...(model.options.yearly ? [`${HARMONICS} yearly Fourier pairs`] : []), ...(model.options.trend ? ['linear trend'] : [])];
  return { method: parts.join(' + '), history: { from: series[0]?.day ?? null, to: last, days: series.length }, forecast, holdout };
}

/** Erlang C: the probability that an arrival waits, for N servers and offered load A (Erlangs). */
export function erlangC(n: number, a: number): number {
  if (a <= 0) return 0;
  if (n <= a) return 1;
  let b = 1;
  for (let k = 1; k <= n; k += 1) b = (a * b) / (k + a * b);
  return (n * b) / (n - a * (1 - b));
}

export interface StaffingInput {
  /** Complaints expected that day. */
  volume: number;
  /** Mean handling time per complaint (ms). */
  handlingMs: number;
  /** SLA target (ms): the wait for an engineer that must not be exceeded. */
  targetMs: number;
  /** Share of complaints to be served within the target (e.g. 0.8). */
  serviceLevel: number;
  /** Hours an engineer works a day (the complaints arrive over them). */
  workingHours: number;
}

/** The fewest engineers meeting the service level at that load (0 for no complaints). */
export function engineersNeeded(s: StaffingInput): number {
  if (s.volume <= 0 || s.handlingMs <= 0) return 0;
  const hours = s.workingHours * 3_600_000;
  const a = (s.volume / hours) * s.handlingMs;
  for (let n = Math.max(1, Math.floor(a) + 1); n < 100_000; n += 1) {
    const level = 1 - erlangC(n, a) * Math.exp((-(n - a) * s.targetMs) / s.handlingMs);
    if (level >= s.serviceLevel) return n;
  }
  return Number.POSITIVE_INFINITY;
}
