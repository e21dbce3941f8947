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

/** The documents of `dim` that together cover [from, to] once. */
export async function readPeriod(models: AnalyticsModels, dim: Dim, from: string, to: string, days = false): Promise<RollupRecord[]> {
  const months = monthsOf(from, to);
  const whole = days ? [] : months.filter((m) => `${m}-01` >= from && lastDayOf(m) <= to);
  const partial = months.filter((m) => !whole.includes(m));
  const years = [...new Set(whole.map((m) => m.slice(0, 4)))];
  const reads = [
    ...years.map(async (y) => (await models.rollups.find({ q: `month|${y}|${dim}` }).lean<RollupRecord[]>()).filter((d) => whole.includes(d.period))),
    ...partial.map(async (m) => (await models.rollups.find({ q: `day|${m}|${dim}` }).lean<RollupRecord[]>()).filter((d) => d.period >= from && d.period <= to)),
  ];
  return (await Promise.all(reads)).flat();
}

export async function readLoad(models: AnalyticsModels, dim: Dim): Promise<RollupRecord[]> {
  return models.rollups.find({ q: `now||${dim}` }).lean<RollupRecord[]>();
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
