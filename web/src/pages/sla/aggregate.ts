/**
 * Pure helpers of the SLA dashboard (no DOM): shares for the stacked bars, the order of the
 * "breaches next" list, and the geometry of the trends chart. tests/unit/web/slaDashboard.test.ts.
 */
import type { Breakdown, BreachingNext, TrendDay } from './client';

export const STATES = ['breached', 'at_risk', 'ok', 'met'] as const;

export function rowTotal(row: Omit<Breakdown, 'key'>): number {
  return STATES.reduce((n, s) => n + (row[s] ?? 0), 0);
}

/** Each state's share of the row in percent (summing to 100 when the row has any clock). */
export function shares(row: Omit<Breakdown, 'key'>): Record<(typeof STATES)[number], number> {
  const total = rowTotal(row);
  const out = { breached: 0, at_risk: 0, ok: 0, met: 0 };
  if (total === 0) return out;
  for (const s of STATES) out[s] = Math.round(((row[s] ?? 0) / total) * 1000) / 10;
  return out;
}

/** Worst rows first: most breached, then most at risk; the key breaks ties, the unknown (null) key last. */
export function rankRows(rows: readonly Breakdown[]): Breakdown[] {
  const byKey = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b));
  return [...rows].sort((a, b) => b.breached - a.breached || b.at_risk - a.at_risk || byKey(a.key, b.key));
}

const DAY_MS = 86_400_000;

/**
 * The last `days` whole UTC days, today included: the server gives one trend entry per UTC
 * day from the day of `from`, so a period cut at "now" would start with a partial day.
 */
export function periodOfDays(days: number, now: number): { from: string; to: string } {
  const to = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  return { from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

/** What breaches next, soonest first, with time left computed against `now` (not the server's snapshot). */
export function breachOrder(items: readonly BreachingNext[], now: number): Array<BreachingNext & { leftMs: number }> {
  return items
    .map((item) => {
      const due = Date.parse(item.dueAt);
      return { ...item, leftMs: Number.isNaN(due) ? item.remainingMs : due - now };
    })
    .sort((a, b) => a.leftMs - b.leftMs);
}

export interface TrendChart {
  width: number;
  height: number;
  bars: Array<{ x: number; y: number; w: number; h: number; day: string; started: number; breached: number }>;
  /** SVG path of the breach rate (0–100% over the chart's height); empty when no day has one. */
  ratePath: string;
  maxStarted: number;
}

/** Bars of instances started per day with the breach-rate line over them. */
export function trendChart(days: readonly TrendDay[], width: number, height: number, pad = 4): TrendChart {
  const maxStarted = Math.max(0, ...days.map((d) => d.started));
  const slot = days.length > 0 ? (width - pad * 2) / days.length : 0;
  const inner = height - pad * 2;
  const bars = days.map((d, i) => {
    const h = maxStarted > 0 ? (d.started / maxStarted) * inner : 0;
    return { x: pad + i * slot + slot * 0.15, y: pad + inner - h, w: slot * 0.7, h, day: d.day, started: d.started, breached: d.breached };
  });
  const points = days
    .map((d, i) => (d.breachRate === null || d.breachRate === undefined ? null : [pad + i * slot + slot / 2, pad + inner - Math.min(1, Math.max(0, d.breachRate)) * inner] as const))
    .filter((p): p is readonly [number, number] => p !== null);
  const ratePath = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return { width, height, bars, ratePath, maxStarted };
}

/** A median over days that have one (days without finished work are skipped), or null. */
export function medianOfDays(days: readonly TrendDay[], field: 'medianFirstResponseMs' | 'medianResolutionMs'): number | null {
  const values = days.map((d) => d[field]).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  if (values.length === 0) return null;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 === 1 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}
