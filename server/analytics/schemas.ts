/** Zod schemas of the analytics API: query parameters (answers are documented by their TypeScript types). */
import { z } from 'zod';

export const MAX_PERIOD_DAYS = 731;
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

const text = z.string().trim().min(1).max(100);
const day = z.iso.date({ error: 'a date YYYY-MM-DD, e.g. 2026-11-01' });

const filters = {
  category: text.optional().meta({ description: 'Only complaints of this category' }),
  region: text.optional().meta({ description: "Only complaints of customers in this region" }),
};
const period = {
  from: day.optional().meta({ description: 'First day of the period (UTC, inclusive); default: 29 days before `to`' }),
  to: day.optional().meta({ description: 'Last day of the period (UTC, inclusive); default: today' }),
};

type Period = { from?: string | undefined; to?: string | undefined };

/** The period with its defaults: the 30 days up to today. */
export function periodOf(q: Period, today: string): { from: string; to: string } {
  const to = q.to ?? today;
  return { from: q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10), to };
}

function checkPeriod(q: Period, ctx: z.RefinementCtx) {
  if (q.from === undefined || q.to === undefined) return;
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  else if ((Date.parse(q.to) - Date.parse(q.from)) / DAY_MS + 1 > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `the period is at most ${MAX_PERIOD_DAYS} days` });
}

export const WorkloadQuerySchema = z.object({
  dim: z.enum(['department', 'outlet', 'engineer']).default('department').meta({ description: 'One row per department, outlet or engineer' }),
  ...period,
  ...filters,
}).superRefine(checkPeriod);

export const DriversQuerySchema = z.object({
  ...period,
  ...filters,
  definitionKey: text.optional().meta({ description: 'Only elements of this process definition' }),
}).superRefine(checkPeriod);

export const ForecastQuerySchema = z.object({
  ...filters,
  weeks: z.coerce.number().int().min(1).max(8).default(4).meta({ description: 'Weeks ahead (1-8)' }),
  serviceLevel: z.coerce.number().min(0.5).max(0.99).default(0.8).meta({ description: 'Share of complaints to reach an engineer within the SLA target' }),
  workingHours: z.coerce.number().min(1).max(24).default(8).meta({ description: "An engineer's working hours a day" }),
});

const stepTime = z.object({ step: z.string(), count: z.number(), medianMs: z.number().nullable(), p90Ms: z.number().nullable() });
const figures = {
  open: z.number(), intake: z.number(), closed: z.number(), intakePerDay: z.number(), throughputPerDay: z.number(),
  slaMet: z.number(), slaBreached: z.number(), slaMetShare: z.number().nullable(), evaluations: z.number(),
  satisfaction: z.number().nullable(), lowScoreShare: z.number().nullable(), handling: z.array(stepTime),
};
export const WorkloadResponse = z.object({
  dim: z.string(), from: z.string(), to: z.string(), days: z.number(), category: z.string().nullable(), region: z.string().nullable(),
  total: z.object(figures),
  rows: z.array(z.object({ key: z.string(), name: z.string(), ...figures })),
  trend: z.array(z.object({ day: z.string(), intake: z.number(), closed: z.number(), open: z.number() })),
});
const driverRow = {
  key: z.string(), name: z.string(), evaluations: z.number(), low: z.number(), lowScoreShare: z.number().nullable(), satisfaction: z.number().nullable(),
  tags: z.array(z.object({ tag: z.string(), count: z.number() })), meanMs: z.number().nullable(), meanMsLow: z.number().nullable(),
};
export const DriversResponse = z.object({
  from: z.string(), to: z.string(),
  elements: z.array(z.object({ ...driverRow, definitionKey: z.string(), elementId: z.string() })),
  department: z.array(z.object(driverRow)), engineer: z.array(z.object(driverRow)), outlet: z.array(z.object(driverRow)),
});
const dayCount = z.object({ day: z.string(), count: z.number() });
export const ForecastResponse = z.object({
  category: z.string().nullable(), region: z.string().nullable(), method: z.string(),
  history: z.object({ from: z.string().nullable(), to: z.string().nullable(), days: z.number() }),
  forecast: z.array(dayCount), weekly: z.array(z.number()),
  recent: z.array(dayCount).meta({ description: 'The last 8 weeks of history (the chart draws them before the forecast)' }),
  holdout: z.object({
    from: z.string(), to: z.string(), actual: z.number(), predicted: z.number(), mape: z.number().nullable(), totalError: z.number().nullable(),
    days: z.array(z.object({ day: z.string(), actual: z.number(), predicted: z.number() })),
  }).nullable(),
  staffing: z.object({
    method: z.string(), handlingMs: z.number(), targetMs: z.number(), serviceLevel: z.number(), workingHours: z.number(),
    days: z.array(z.object({ day: z.string(), engineers: z.number() })),
  }),
  byCategory: z.array(z.object({ key: z.string(), weekly: z.array(z.number()), mape: z.number().nullable() })),
  byRegion: z.array(z.object({ key: z.string(), weekly: z.array(z.number()), mape: z.number().nullable() })),
});
