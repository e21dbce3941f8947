/**
 * Reading and summing rollups. A period [from, to] (days, inclusive) is read as the month
 * documents of the months it covers whole and the day documents of the rest: a year per
 * engineer is 12 documents each, not 365. Each read is one equality on `q`.
 */
import type { Histogram } from './histogram';
import { mergeInto } from './histogram';
import { parseCell, pathKey, type AnalyticsModels, type Cell, type Dim, type RollupRecord } from './model';

export interface CellFilter { category?: string | undefined; region?: string | undefined }

const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** Every day of [from, to]. */
export function eachDay(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) out.push(m);
  return out;
}
const lastDayOf = (month: string) => addDays(`${nextMonth(month)}-01`, -1);

/** Reads the rollups of one `q` or `qd` (rollupSource: FerretDB, with what has settled kept in memory). */
export interface RollupSource {
  find(field: 'q' | 'qd', value: string): Promise<RollupRecord[]>;
  today(): string;
}

/** Days after a day (or month) ends when its counters no longer change: counts land on the day they are made. */
const SETTLE_DAYS = 2;
/** At most this many documents are kept in memory (least recently used go first). */
const CACHE_DOCS = 60_000;

const monthSettled = (month: string, today: string) => addDays(lastDayOf(month), SETTLE_DAYS) < today;

/**
 * Every read is one equality on `q` or `qd`, a round trip to FerretDB each, and FerretDB's
 * cost grows with the bytes it decodes. Counters of a day that ended more than SETTLE_DAYS
 * ago do not change any more — counts land on the day they are made (the filing day at most
 * seconds before) — so settled months and days are read once and kept: a warm request reads
 * only the last few days and the open load.
 */
export function rollupSource(models: AnalyticsModels, today: () => string): RollupSource {
  const cache = new Map<string, RollupRecord[]>();
  let held = 0;
  const settled = (field: 'q' | 'qd', value: string) => {
    const [grain, bucket] = value.split('|') as [string, string];
    if (field === 'qd') return addDays(bucket, SETTLE_DAYS) < today();
    return grain !== 'now' && monthSettled(bucket, today());
  };
  return {
    today,
    async find(field, value) {
      const key = `${field}=${value}`;
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const docs = await models.rollups.find({ [field]: value }).lean<RollupRecord[]>();
      // Nothing yet is not kept: the demo history may be written after a first look (npm run seed).
      if (settled(field, value) && docs.length > 0 && docs.length <= CACHE_DOCS) {
        cache.set(key, docs);
        held += docs.length;
        for (const [k, old] of cache) {
          if (held <= CACHE_DOCS) break;
          cache.delete(k);
          held -= old.length;
        }
      }
      return docs;
    },
  };
}

/**
 * The documents of `dim` that together cover [from, to] once: a settled month wholly inside
 * as its month documents (`days` = false), another settled month as its day documents, the
 * days of a month not yet settled one by one.
 */
export async function readPeriod(source: RollupSource, dim: Dim, from: string, to: string, days = false): Promise<RollupRecord[]> {
  const today = source.today();
  // Nothing is counted after today: no reads for days to come.
  if (to > today) to = today;
  if (from > to) return [];
  const reads = monthsOf(from, to).flatMap((m) => {
    const first = `${m}-01`;
    const last = lastDayOf(m);
    if (monthSettled(m, today)) {
      if (!days && first >= from && last <= to) return [source.find('q', `month|${m}|${dim}`)];
      return [source.find('q', `day|${m}|${dim}`).then((docs) => docs.filter((d) => d.period >= from && d.period <= to))];
    }
    return eachDay(first > from ? first : from, last < to ? last : to).map((d) => source.find('qd', `dd|${d}|${dim}`));
  });
  return (await Promise.all(reads)).flat();
}

export async function readLoad(source: RollupSource, dim: Dim): Promise<RollupRecord[]> {
  return source.find('q', `now||${dim}`);
}

export function matches(cell: string, filter: CellFilter): boolean {
  const { category, region } = parseCell(cell);
  return (filter.category === undefined || category === pathKey(filter.category)) && (filter.region === undefined || region === pathKey(filter.region));
}

const addMap = (into: Record<string, number>, from: Record<string, number> | undefined) => {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
};

/** Sums `from` into `into` (in place). */
export function addCell(into: Required<Cell>, from: Cell): Required<Cell> {
  for (const k of ['in', 'cl', 'open', 'sm', 'sb', 'st', 'e', 'es', 'lo', 'ms', 'mslo'] as const) into[k] += from[k] ?? 0;
  addMap(into.tg, from.tg);
  addMap(into.hs, from.hs);
  for (const [step, h] of Object.entries(from.h ?? {})) into.h[step] = mergeInto(into.h[step] ?? ({} as Histogram), h);
  return into;
}

export const emptyCell = (): Required<Cell> => ({ in: 0, cl: 0, open: 0, sm: 0, sb: 0, st: 0, e: 0, es: 0, lo: 0, ms: 0, mslo: 0, tg: {}, hs: {}, h: {} });

/** The cells of `doc` that match the filter, summed. */
export function sumDoc(doc: Pick<RollupRecord, 'c'>, filter: CellFilter, into = emptyCell()): Required<Cell> {
  for (const [cell, counters] of Object.entries(doc.c ?? {})) if (matches(cell, filter)) addCell(into, counters);
  return into;
}

/** Sums per dimension key. */
export function sumByKey(docs: readonly RollupRecord[], filter: CellFilter): Map<string, Required<Cell>> {
  const out = new Map<string, Required<Cell>>();
  for (const doc of docs) out.set(doc.key, sumDoc(doc, filter, out.get(doc.key) ?? emptyCell()));
  return out;
}
