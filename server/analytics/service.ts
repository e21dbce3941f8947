/** The analytics API's service: workload, drivers of low scores, forecast (server/analytics/router.ts). */
import type { Connection } from 'mongoose';
import { directoryModels } from '../domain/directory/models';
import { drivers } from './drivers';
import { engineersNeeded, forecastSeries, type ForecastResult } from './forecast';
import { analyticsModels, dayOf, parseCell } from './model';
import { addDays, eachDay, emptyCell, readPeriod, rollupSource, sumDoc, type CellFilter } from './rollups';
import { workload, workloadCsv, type WorkloadQuery } from './workload';

export interface ForecastQuery extends CellFilter {
  weeks: number;
  /** Share of complaints to reach an engineer within the SLA target (default 0.8). */
  serviceLevel: number;
  /** An engineer's working hours a day (default 8). */
  workingHours: number;
}

/** History the forecast reads: two years of days (yearly seasonality needs at least one). */
const HISTORY_DAYS = 730;
const DEFAULT_TARGET_MS = 24 * 3_600_000;
const CACHE_MS = 60_000;

export function createAnalyticsService(mongo: Connection, now: () => Date = () => new Date()) {
  const models = analyticsModels(mongo);
  const source = rollupSource(models, () => dayOf(now()));
  const directory = directoryModels(mongo);
  let names: { at: number; map: Map<string, string> } | undefined;
  const forecasts = new Map<string, { at: number; value: Promise<unknown> }>();

  async function nameMap(): Promise<Map<string, string>> {
    if (names && Date.now() - names.at < CACHE_MS) return names.map;
    const [departments, outlets, staff] = await Promise.all([
      directory.departments.find({}, { key: 1, name: 1 }).lean(),
      directory.outlets.find({}, { name: 1 }).lean(),
      directory.staff.find({}, { name: 1 }).lean(),
    ]);
    const map = new Map<string, string>([...departments.map((d) => [d.key, d.name] as const), ...outlets.map((o) => [o._id, o.name] as const), ...staff.map((s) => [s._id, s.name] as const)]);
    names = { at: Date.now(), map };
    return map;
  }

  async function forecast(q: ForecastQuery) {
    const today = dayOf(now());
    const to = addDays(today, -1);
    const from = addDays(today, -HISTORY_DAYS);
    const docs = await readPeriod(source, 'all', from, to, true);
    const horizon = q.weeks * 7;
    const seriesOf = (filter: CellFilter) => {
      const byDay = new Map<string, number>();
      for (const d of docs) {
        const n = sumDoc(d, filter).in;
        if (n > 0) byDay.set(d.period, (byDay.get(d.period) ?? 0) + n);
      }
      const first = [...byDay.keys()].sort()[0];
      return first ? eachDay(first, to).map((day) => ({ day, count: byDay.get(day) ?? 0 })) : [];
    };
    const weekly = (r: ForecastResult) => Array.from({ length: q.weeks }, (_, w) => Math.round(r.forecast.slice(w * 7, w * 7 + 7).reduce((s, d) => s + d.count, 0)));
    const filter = { category: q.category, region: q.region };
    const history = seriesOf(filter);
    const main = forecastSeries(history, horizon);
    const cells = new Set(docs.flatMap((d) => Object.keys(d.c ?? {})));
    const categories = [...new Set([...cells].map((c) => parseCell(c).category))].filter((c) => c !== '-').sort();
    const regions = [...new Set([...cells].map((c) => parseCell(c).region))].filter((r) => r !== '-').sort();
    const breakdown = (list: string[], make: (v: string) => CellFilter) => list.map((v) => {
      const r = forecastSeries(seriesOf(make(v)), horizon);
      return { key: v, weekly: weekly(r), mape: r.holdout?.mape ?? null };
    });
    // Handling time and SLA targets measured over the last 90 days of the same filter.
    const recent = docs.filter((d) => d.period >= addDays(today, -90)).reduce((acc, d) => sumDoc(d, filter, acc), emptyCell());
    const workMs = Object.entries(recent.hs).filter(([step]) => step !== 'total').reduce((s, [, ms]) => s + ms, 0);
    const handlingMs = recent.cl ? workMs / recent.cl : 0;
    const clocks = recent.sm + recent.sb;
    const targetMs = clocks ? recent.st / clocks : DEFAULT_TARGET_MS;
    return {
      category: q.category ?? null,
      region: q.region ?? null,
      ...main,
      recent: history.slice(-56),
      weekly: weekly(main),
      staffing: {
        method: 'Erlang C',
        handlingMs: Math.round(handlingMs),
        targetMs: Math.round(targetMs),
        serviceLevel: q.serviceLevel,
        workingHours: q.workingHours,
        days: main.forecast.map((d) => ({ day: d.day, engineers: engineersNeeded({ volume: d.count, handlingMs, targetMs, serviceLevel: q.serviceLevel, workingHours: q.workingHours }) })),
      },
      byCategory: q.category === undefined ? breakdown(categories, (c) => ({ category: c, region: q.region })) : [],
      byRegion: q.region === undefined ? breakdown(regions, (r) => ({ category: q.category, region: r })) : [],
    };
  }

  return {
    models,
    async workload(q: WorkloadQuery) {
      return workload(source, q, await nameMap(), dayOf(now()));
    },
    async workloadCsv(q: WorkloadQuery) {
      return workloadCsv(await workload(source, q, await nameMap(), dayOf(now())));
    },
    async drivers(q: CellFilter & { from: string; to: string; definitionKey?: string | undefined }) {
      return drivers(source, q, await nameMap());
    },
    /** Cached a minute per query: it reads two years of days and fits a model per category and region. */
    forecast(q: ForecastQuery): Promise<Awaited<ReturnType<typeof forecast>>> {
      const key = JSON.stringify([q, dayOf(now())]);
      const hit = forecasts.get(key);
      if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as ReturnType<typeof forecast>;
      const value = forecast(q);
      forecasts.set(key, { at: Date.now(), value });
      value.catch(() => forecasts.delete(key));
      return value;
    },
    today: () => dayOf(now()),
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
