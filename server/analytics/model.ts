/**
 * The analytics read models (decision 0038): `analytics_rollups`, counters per day and per
 * month for each department, outlet, engineer and diagram element, and per complaint
 * category × customer region inside each document; and `analytics_facts`, what each
 * complaint has contributed so far (so a change is counted once).
 *
 * Every query reads by one equality on `q` (`grain|bucket|dim`), the only kind of filter
 * FerretDB 1.24 on PostgreSQL answers from an index (decision 0013).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Histogram } from './histogram';

export const DIMS = ['all', 'department', 'outlet', 'engineer', 'element'] as const;
export type Dim = (typeof DIMS)[number];
/** `now`: the open load, one document per dimension key (period ''). */
export type Grain = 'day' | 'month' | 'now';

/** The counters of one category × region cell. Every field is optional: documents are sparse. */
export interface Cell {
  /** Intake: complaints classified (departments, all: on the day filed) or assigned (engineer, outlet). */
  in?: number;
  /** Throughput: complaints closed. */
  cl?: number;
  /** Open load (grain `now` only). */
  open?: number;
  /** SLA clocks of closed complaints met / breached. */
  sm?: number;
  sb?: number;
  /** Sum of those clocks' targets (ms) and how many: the SLA target the staffing estimate aims at. */
  st?: number;
  /** Evaluations, their stars summed, the low ones (≤ LOW_STARS), tags of low ones. */
  e?: number;
  es?: number;
  lo?: number;
  tg?: Record<string, number>;
  /** Time spent (ms) in total / in low-scored complaints (element: in the element; others: filing to evaluation). */
  ms?: number;
  mslo?: number;
  /** Handling time histograms per step (a task's element id, or `total`: filed to closed) and sums (ms). */
  h?: Record<string, Histogram>;
  hs?: Record<string, number>;
}

export interface RollupRecord {
  _id: string;
  q: string;
  /** Day documents only: `dd|YYYY-MM-DD|dim`, to read the days of a month not yet settled one by one. */
  qd?: string;
  grain: Grain;
  period: string;
  dim: Dim;
  key: string;
  c: Record<string, Cell>;
  /** Written by the demo history seed rather than counted from complaints. */
  seeded?: boolean;
}

export interface FactRecord {
  _id: string;
  /** What this complaint has been counted for: `intake`, `assign:<staff>`, `closed`, `eval:<id>`, `sla:<clock id>`. */
  counted: string[];
  /** The rollup keys whose open load this complaint holds: `dim|key|cell`. */
  load: string[];
  /** The cell and dimension keys it was last counted against (its SLA clocks are counted there). */
  countedAs?: { cell: string; targets: string[] };
  rev: number;
  updatedAt: Date;
}

const rollupSchema = new Schema<RollupRecord>({
  _id: String,
  q: { type: String, required: true, index: true },
  qd: { type: String, index: true },
  grain: String,
  period: String,
  dim: String,
  key: String,
  c: { type: Schema.Types.Mixed, default: {} },
  seeded: Boolean,
}, { versionKey: false, minimize: false });

const factSchema = new Schema<FactRecord>({
  _id: String, counted: [String], load: [String], countedAs: Schema.Types.Mixed, rev: Number, updatedAt: Date,
}, { versionKey: false });

export interface AnalyticsModels {
  rollups: Model<RollupRecord>;
  facts: Model<FactRecord>;
}

export function analyticsModels(connection: Connection): AnalyticsModels {
  return {
    rollups: (connection.models.AnalyticsRollup as Model<RollupRecord> | undefined) ?? connection.model<RollupRecord>('AnalyticsRollup', rollupSchema, 'analytics_rollups'),
    facts: (connection.models.AnalyticsFact as Model<FactRecord> | undefined) ?? connection.model<FactRecord>('AnalyticsFact', factSchema, 'analytics_facts'),
  };
}

/** Stars at or below this are a low score (as the low-score alert counts them). */
export const LOW_STARS = 2;

/** A key usable in a document path: no dots, no leading `$`, never empty. */
export const pathKey = (value: string | null | undefined) => (value ? value.replace(/[.$]/g, '_') : '-');
export const cellKey = (category: string | null | undefined, region: string | null | undefined) => `${pathKey(category)}~${pathKey(region)}`;
export const parseCell = (cell: string) => {
  const [category = '-', region = '-'] = cell.split('~');
  return { category, region };
};

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);
export const monthOf = (day: string) => day.slice(0, 7);

/** The `q` of a rollup: what one equality query reads (a month's day documents, a month document, the load). */
export function queryKey(grain: Grain, period: string, dim: Dim): string {
  if (grain === 'day') return `day|${monthOf(period)}|${dim}`;
  if (grain === 'month') return `month|${period}|${dim}`;
  return `now||${dim}`;
}
/** The `q` and `qd` a rollup document is written with. */
export const queryKeys = (grain: Grain, period: string, dim: Dim) => ({ q: queryKey(grain, period, dim), ...(grain === 'day' ? { qd: `dd|${period}|${dim}` } : {}) });
export const rollupId = (grain: Grain, period: string, dim: Dim, key: string) => `${grain}|${period}|${dim}|${key}`;
