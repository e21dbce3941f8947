/**
 * Made-up history for the analytics (decision 0039): the demo seed's year of seasonal
 * complaint volume, and the benchmark's 100,000 complaints. Complaints are simulated (from a
 * fixed seed, so the same every run) and only their rollups are written: intake per day with
 * weekday and yearly seasons per category (air conditioning peaks in summer, heating-season
 * electrical faults in winter), closing days later, evaluations, SLA clocks, the time spent in
 * the complaint process's tasks. The complaints themselves are not stored.
 */
import type { Connection } from 'mongoose';
import { seededRandom, type Random } from '../domain/seed/random';
import { bucketOf } from './histogram';
import { analyticsModels, cellKey, LOW_STARS, monthOf, pathKey, queryKeys, rollupId, type Cell, type Dim, type Grain, type RollupRecord } from './model';
import { applyIncrements } from './recorder';
import { addDays } from './rollups';

/** The demo's history: a year up to yesterday, ~30 complaints a day, over the demo directory's regions and engineers. */
export function demoHistory(directory: { customers: ReadonlyArray<{ region: string }>; staff: ReadonlyArray<{ _id: string; roles: string[]; outletId: string | null }> }, today = new Date()): HistoryOptions {
  return {
    end: addDays(today.toISOString().slice(0, 10), -1),
    days: 365,
    perDay: 30,
    regions: [...new Set(directory.customers.map((c) => c.region))].sort(),
    engineers: directory.staff.filter((s) => s.roles.includes('engineer')).map((s) => ({ id: s._id, outlet: s.outletId })),
  };
}

export interface HistoryOptions {
  /** The last day simulated (UTC, YYYY-MM-DD); complaints still open then hold the open load. */
  end: string;
  days: number;
  /** Mean complaints a day over the year. */
  perDay: number;
  regions: readonly string[];
  /** Engineers and their outlets (none: only the whole and departments are written). */
  engineers?: ReadonlyArray<{ id: string; outlet: string | null }>;
  seed?: number;
}

/** Category: share of the volume, its department, the month (0-11) of its yearly peak and how strong the season is. */
const CATEGORIES: ReadonlyArray<[category: string, share: number, department: string, peakMonth: number, season: number]> = [
  ['air-conditioning', 0.22, 'technical', 6, 0.6],
  ['refrigeration', 0.18, 'technical', 7, 0.3],
  ['washing-machines', 0.14, 'after-sales', 0, 0.1],
  ['electrical', 0.12, 'technical', 0, 0.35],
  ['installation', 0.12, 'after-sales', 4, 0.2],
  ['billing', 0.12, 'finance', 0, 0.1],
  ['delivery', 0.10, 'logistics', 10, 0.4],
];
/** Relative volume Sunday..Saturday. */
const WEEK = [0.55, 1.15, 1.1, 1.05, 1.0, 1.0, 0.7];
/** The process's tasks and their mean time in hours; the rest of a complaint's life is waiting (parts, the customer). */
const STEPS: ReadonlyArray<[step: string, meanHours: number]> = [['DispatchRecommended', 0.5], ['FirstResponse', 1], ['ResolutionSummary', 3]];
const DEFINITION = 'complaint-handling';
const SLA_TARGET_MS = 3 * 86_400_000;

function poisson(random: Random, mean: number): number {
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random.next(); p > limit; p *= random.next()) k += 1;
  return k;
}
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}
const logNormal = (random: Random, mean: number) => mean * Math.exp(0.6 * gaussian(random) - 0.18);

class Rollups {
  readonly docs = new Map<string, RollupRecord>();

  cell(grain: Grain, period: string, dim: Dim, key: string, cell: string): Required<Cell> {
    const id = rollupId(grain, period, dim, pathKey(key));
    let doc = this.docs.get(id);
    if (!doc) {
      doc = { _id: id, ...queryKeys(grain, period, dim), grain, period, dim, key: pathKey(key), c: {}, seeded: true };
      this.docs.set(id, doc);
    }
    doc.c[cell] ??= { in: 0, cl: 0, open: 0, sm: 0, sb: 0, st: 0, e: 0, es: 0, lo: 0, ms: 0, mslo: 0, tg: {}, hs: {}, h: {} };
    return doc.c[cell] as Required<Cell>;
  }

  /** Applies `fn` to the day and month cells of each target. */
  each(day: string, targets: ReadonlyArray<[Dim, string]>, cell: string, fn: (c: Required<Cell>) => void) {
    for (const [dim, key] of targets) {
      fn(this.cell('day', day, dim, key, cell));
      fn(this.cell('month', monthOf(day), dim, key, cell));
    }
  }
}

const addHist = (c: Required<Cell>, step: string, ms: number) => {
  const h = (c.h[step] ??= {});
  h[bucketOf(ms)] = (h[bucketOf(ms)] ?? 0) + 1;
  c.hs[step] = (c.hs[step] ?? 0) + Math.round(ms);
};

/** The rollup documents of the simulated history (pure: the same for the same options). */
export function historyRollups(o: HistoryOptions): RollupRecord[] {
  const random = seededRandom(o.seed ?? 20250101);
  const out = new Rollups();
  const start = addDays(o.end, -(o.days - 1));
  for (let i = 0; i < o.days; i += 1) {
    const day = addDays(start, i);
    const date = new Date(`${day}T00:00:00Z`);
    const yearAngle = (2 * Math.PI * (date.getUTCMonth() + date.getUTCDate() / 31)) / 12;
    for (const [category, share, department, peak, season] of CATEGORIES) {
      const yearly = 1 + season * Math.cos(yearAngle - (2 * Math.PI * peak) / 12);
      const n = poisson(random, o.perDay * share * WEEK[date.getUTCDay()]! * yearly);
      for (let k = 0; k < n; k += 1) {
        const region = random.pick(o.regions);
        const cell = cellKey(category, region);
        const engineer = o.engineers?.length ? random.pick(o.engineers) : undefined;
        const people: Array<[Dim, string]> = engineer ? [['engineer', engineer.id], ...(engineer.outlet ? [['outlet', engineer.outlet] as [Dim, string]] : [])] : [];
        const everyone: Array<[Dim, string]> = [['all', 'all'], ['department', department], ...people];
        out.each(day, [['all', 'all'], ['department', department]], cell, (c) => { c.in += 1; });
        out.each(day, people, cell, (c) => { c.in += 1; });
        const steps = STEPS.map(([step, hours]) => [step, logNormal(random, hours * 3_600_000)] as const);
        const totalMs = steps.reduce((s, [, ms]) => s + ms, 0) + logNormal(random, 44 * 3_600_000);
        const closedDay = addDays(day, Math.floor(totalMs / 86_400_000));
        if (closedDay > o.end) {
          for (const [dim, key] of everyone) out.cell('now', '', dim, key, cell).open += 1;
          continue;
        }
        const met = totalMs <= SLA_TARGET_MS;
        out.each(closedDay, everyone, cell, (c) => {
          c.cl += 1;
          for (const [step, ms] of steps) addHist(c, step, ms);
          addHist(c, 'total', totalMs);
          c.sm += met ? 1 : 0;
          c.sb += met ? 0 : 1;
          c.st += SLA_TARGET_MS;
        });
        if (!random.chance(0.7)) continue;
        // Slow resolutions score low far more often.
        const slow = steps[2]![1] > 5 * 3_600_000;
        const stars = random.chance(slow ? 0.45 : 0.08) ? random.int(1, LOW_STARS) : random.int(3, 5);
        const low = stars <= LOW_STARS;
        const tags = low ? random.sample(slow ? ['slow', 'no-update', 'rude'] : ['rude', 'not-fixed', 'no-update'], random.int(1, 2)) : [];
        const score = (c: Required<Cell>, ms: number) => {
          c.e += 1;
          c.es += stars;
          c.ms += Math.round(ms);
          if (!low) return;
          c.lo += 1;
          c.mslo += Math.round(ms);
          for (const tag of tags) c.tg[tag] = (c.tg[tag] ?? 0) + 1;
        };
        out.each(closedDay, everyone, cell, (c) => score(c, totalMs));
        for (const [step, ms] of steps) out.each(closedDay, [['element', `${DEFINITION}:${step}`]], cell, (c) => score(c, ms));
      }
    }
  }
  return [...out.docs.values()];
}

/** Strips the zero counters the generator starts every cell with (documents stay sparse). */
function sparse(doc: RollupRecord): RollupRecord {
  const c: Record<string, Cell> = {};
  for (const [key, cell] of Object.entries(doc.c)) {
    c[key] = Object.fromEntries(Object.entries(cell).filter(([, v]) => (typeof v === 'number' ? v !== 0 : Object.keys(v as object).length > 0)));
  }
  return { ...doc, c };
}

const MARKER = 'seeded|history';

/**
 * Writes the history once (a marker document says it was): day documents with multi-row
 * inserts, the month and open-load documents as `$inc` upserts so counts already made by live
 * complaints of the same months are kept. Returns how many documents it wrote (0: seeded before).
 */
export async function seedAnalyticsHistory(mongo: Connection, o: HistoryOptions): Promise<number> {
  const { rollups } = analyticsModels(mongo);
  await rollups.init();
  if (await rollups.exists({ _id: MARKER })) return 0;
  const docs = historyRollups(o).map(sparse);
  const days = docs.filter((d) => d.grain === 'day');
  for (let i = 0; i < days.length; i += 200) await rollups.collection.insertMany(days.slice(i, i + 200) as never[], { ordered: false }).catch(ignoreDuplicates);
  const merged = docs.filter((d) => d.grain !== 'day');
  await applyIncrements(analyticsModels(mongo), merged.map((d) => ({ id: d._id, grain: d.grain, period: d.period, dim: d.dim, key: d.key, inc: flatten(d.c, 'c') })));
  await rollups.collection.insertOne({ _id: MARKER, q: 'marker', grain: 'now', period: '', dim: 'all', key: 'marker', c: {}, seeded: true } as never);
  return docs.length;
}

function ignoreDuplicates(err: unknown) {
  const e = err as { code?: number; writeErrors?: Array<{ code: number }> };
  if (e.code === 11000 || e.writeErrors?.every((w) => w.code === 11000)) return;
  throw err;
}

function flatten(value: object, prefix: string, into: Record<string, number> = {}): Record<string, number> {
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'number') into[`${prefix}.${k}`] = v;
    else if (v && typeof v === 'object') flatten(v as object, `${prefix}.${k}`, into);
  }
  return into;
}
