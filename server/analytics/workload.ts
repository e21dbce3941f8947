/**
 * GET /api/analytics/workload: per department, outlet or engineer over a period, filtered by
 * complaint category and customer region: open load now, intake and throughput (total and per
 * day), median and p90 handling time per step, SLA clocks met/breached, satisfaction; and the
 * daily trend of the whole (intake, closed, open load).
 */
import { countOf, quantile, type Histogram } from './histogram';
import type { Cell, RollupRecord } from './model';
import { addDays, daysBetween, eachDay, readLoad, readPeriod, sumByKey, sumDoc, emptyCell, type CellFilter, type RollupSource } from './rollups';

export type WorkloadDim = 'department' | 'outlet' | 'engineer';

export interface WorkloadQuery extends CellFilter {
  dim: WorkloadDim;
  from: string;
  to: string;
}

export interface StepTime { step: string; count: number; medianMs: number | null; p90Ms: number | null }

export interface WorkloadFigures {
  open: number;
  intake: number;
  closed: number;
  intakePerDay: number;
  throughputPerDay: number;
  slaMet: number;
  slaBreached: number;
  /** met / (met + breached); null without clocks. */
  slaMetShare: number | null;
  evaluations: number;
  /** Mean stars; null without evaluations. */
  satisfaction: number | null;
  lowScoreShare: number | null;
  handling: StepTime[];
}

export interface WorkloadRow extends WorkloadFigures { key: string; name: string }

export interface Workload {
  dim: WorkloadDim;
  from: string;
  to: string;
  days: number;
  category: string | null;
  region: string | null;
  total: WorkloadFigures;
  rows: WorkloadRow[];
  trend: Array<{ day: string; intake: number; closed: number; open: number }>;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function stepTimes(h: Record<string, Histogram>): StepTime[] {
  return Object.entries(h)
    .map(([step, hist]) => ({ step, count: countOf(hist), medianMs: quantile(hist, 0.5), p90Ms: quantile(hist, 0.9) }))
    .sort((a, b) => (a.step === 'total' ? -1 : b.step === 'total' ? 1 : (b.medianMs ?? 0) - (a.medianMs ?? 0)));
}

export function figures(c: Required<Cell>, open: number, days: number): WorkloadFigures {
  const clocks = c.sm + c.sb;
  return {
    open,
    intake: c.in,
    closed: c.cl,
    intakePerDay: round(c.in / days),
    throughputPerDay: round(c.cl / days),
    slaMet: c.sm,
    slaBreached: c.sb,
    slaMetShare: clocks ? round(c.sm / clocks, 4) : null,
    evaluations: c.e,
    satisfaction: c.e ? round(c.es / c.e) : null,
    lowScoreShare: c.e ? round(c.lo / c.e, 4) : null,
    handling: stepTimes(c.h),
  };
}

/**
 * The open load of each day in [from, to]: the load now, less what was filed and plus what
 * was closed after that day (the days from `to` to today are read for it).
 */
export function openTrend(days: readonly string[], byDay: Map<string, Required<Cell>>, openNow: number, today: string): number[] {
  const after = new Map<string, number>();
  let delta = 0;
  const first = days[0] ?? today;
  for (let d = today; d >= first; d = addDays(d, -1)) {
    after.set(d, delta);
    const c = byDay.get(d);
    delta += (c?.in ?? 0) - (c?.cl ?? 0);
  }
  return days.map((d) => Math.max(0, openNow - (after.get(d) ?? 0)));
}

export async function workload(models: RollupSource, q: WorkloadQuery, names: Map<string, string>, today: string): Promise<Workload> {
  const days = daysBetween(q.from, q.to);
  const trendTo = today > q.to ? today : q.to;
  const [docs, load, allDays, allLoad] = await Promise.all([
    readPeriod(models, q.dim, q.from, q.to),
    readLoad(models, q.dim),
    readPeriod(models, 'all', q.from, trendTo, true),
    readLoad(models, 'all'),
  ]);
  const sums = sumByKey(docs, q);
  const loads = sumByKey(load, q);
  const active = (c: Required<Cell>) => c.in > 0 || c.cl > 0 || c.e > 0 || c.sm + c.sb > 0;
  const keys = [...new Set([...[...sums].filter(([, c]) => active(c)).map(([k]) => k), ...[...loads].filter(([, c]) => c.open > 0).map(([k]) => k)])];
  const rows = keys.map((key) => ({ key, name: names.get(key) ?? key, ...figures(sums.get(key) ?? emptyCell(), loads.get(key)?.open ?? 0, days) }))
    .sort((a, b) => b.open - a.open || b.intake - a.intake || a.key.localeCompare(b.key));
  const byDay = new Map<string, Required<Cell>>();
  for (const doc of allDays) byDay.set(doc.period, sumDoc(doc, q, byDay.get(doc.period)));
  const total = [...byDay].filter(([d]) => d >= q.from && d <= q.to).reduce((acc, [, c]) => addTotal(acc, c), emptyCell());
  const openNow = allLoad.reduce((n, d: RollupRecord) => n + sumDoc(d, q).open, 0);
  const period = eachDay(q.from, q.to);
  const open = openTrend(period, byDay, openNow, trendTo);
  return {
    dim: q.dim, from: q.from, to: q.to, days, category: q.category ?? null, region: q.region ?? null,
    total: figures(total, q.to >= today ? openNow : (open.at(-1) ?? 0), days),
    rows,
    trend: period.map((day, i) => ({ day, intake: byDay.get(day)?.in ?? 0, closed: byDay.get(day)?.cl ?? 0, open: open[i] ?? 0 })),
  };
}

function addTotal(into: Required<Cell>, c: Required<Cell>): Required<Cell> {
  return sumDoc({ c: { x: c } }, {}, into);
}

const csvField = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The rows as CSV: one line per key, with the filed-to-closed handling time. */
export function workloadCsv(w: Workload): string {
  const header = ['dimension', 'key', 'name', 'from', 'to', 'category', 'region', 'open', 'intake', 'closed', 'intake_per_day', 'throughput_per_day',
    'sla_met', 'sla_breached', 'sla_met_share', 'evaluations', 'satisfaction', 'low_score_share', 'handling_median_ms', 'handling_p90_ms'];
  const lines = w.rows.map((r) => {
    const total = r.handling.find((s) => s.step === 'total');
    return [w.dim, r.key, r.name, w.from, w.to, w.category, w.region, r.open, r.intake, r.closed, r.intakePerDay, r.throughputPerDay,
      r.slaMet, r.slaBreached, r.slaMetShare, r.evaluations, r.satisfaction, r.lowScoreShare, total?.medianMs ?? null, total?.p90Ms ?? null].map(csvField).join(',');
  });
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
