/** Zod schemas of the SLA operations API: query parameters and the answers' shapes. */
import { z } from 'zod';
import type { SLA_CLOCK_LABELS } from '../projections/slaModels';

const DAY_MS = 86_400_000;
export const DEFAULT_PERIOD_DAYS = 14;
export const MAX_PERIOD_DAYS = 366;

const text = z.string().trim().min(1).max(100);
const instant = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z' })
  .transform((v) => new Date(v));

const period = {
  from: instant.optional().meta({ description: 'Start of the period (inclusive, ISO 8601); default: `to` minus 14 days' }),
  to: instant.optional().meta({ description: 'End of the period (exclusive, ISO 8601); default: now' }),
};

type Period = { from?: Date | undefined; to?: Date | undefined };

/** The period with its defaults: [to - 14 days, now). */
export function periodOf(q: Period, now = new Date()): { from: Date; to: Date } {
  const to = q.to ?? now;
  return { from: q.from ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS), to };
}

/** from < to and a span of at most a year, naming `from` when not. */
function checkPeriod(q: Period, ctx: z.RefinementCtx) {
  // Runs even when a date failed to parse: that one has its own issue already.
  if (!(q.from === undefined || q.from instanceof Date) || !(q.to === undefined || q.to instanceof Date)) return;
  const { from, to } = periodOf(q);
  if (from.getTime() >= to.getTime()) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
  else if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) ctx.addIssue({ code: 'custom', path: ['from'], message: `the period is at most ${MAX_PERIOD_DAYS} days` });
}

export const OverviewQuery = z
  .object({
    definitionKey: text.optional().meta({ description: 'Only clocks of this process definition' }),
    department: text.optional().meta({ description: 'Only clocks of this department' }),
    ...period,
    limit: z.coerce.number().int().min(1).max(200).default(20).meta({ description: 'Length of `breachingNext` (1-200)' }),
  })
  .superRefine(checkPeriod);

export const BreachesQuery = z
  .object({
    from: instant.optional().meta({ description: 'Breached at or after (ISO 8601)' }),
    to: instant.optional().meta({ description: 'Breached before (ISO 8601)' }),
    department: text.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional().meta({ description: '`nextCursor` of the previous page' }),
  })
  .superRefine((q, ctx) => {
    if (q.from instanceof Date && q.to instanceof Date && q.from.getTime() >= q.to.getTime()) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
  });

export const HeatmapQuery = z
  .object({
    definitionKey: text.meta({ description: 'The process definition' }),
    version: z.coerce.number().int().min(1).optional().meta({ description: 'One version; default: all versions' }),
    ...period,
  })
  .superRefine(checkPeriod);

const counts = { ok: z.number().int(), at_risk: z.number().int(), breached: z.number().int(), met: z.number().int() };
const GroupCounts = z.object({ key: z.string().nullable().meta({ description: 'null: not known on the clock' }), ...counts }).meta({ id: 'SlaGroupCounts' });
const metric = z.enum(['firstResponse', 'resolution', 'element']);
const state = z.enum(['ok', 'at_risk', 'breached', 'met']);
/** SLA_CLOCK_LABELS (server/projections/slaModels.ts) in API form: which clock, where it belongs, what it measures. */
const clockLabels = {
  clockKey: z.string(), instanceId: z.string(), complaintId: z.string().nullable(), policyId: z.string(), metric,
  elementId: z.string().nullable(), taskId: z.string().nullable(), department: z.string().nullable(),
  severity: z.string().nullable(), engineerId: z.string().nullable(),
} satisfies Record<(typeof SLA_CLOCK_LABELS)[number], z.ZodType>;

export const OverviewResponse = z
  .object({
    generatedAt: z.string(),
    from: z.string(),
    to: z.string(),
    clocks: z.number().int().meta({ description: 'Clocks started in the period (after the filters)' }),
    totals: z.object(counts),
    byDepartment: z.array(GroupCounts),
    bySeverity: z.array(GroupCounts),
    byElement: z.array(GroupCounts),
    byEngineer: z.array(GroupCounts),
    breachingNext: z.array(z.object({
      ...clockLabels,
      dueAt: z.string(),
      remainingMs: z.number().meta({ description: 'dueAt minus now in wall-clock ms (negative: overdue, breach not yet recorded)' }),
      state,
    })),
    trends: z.array(z.object({
      day: z.string().meta({ example: '2026-11-23' }),
      started: z.number().int(), met: z.number().int(), breached: z.number().int(),
      breachRate: z.number().nullable().meta({ description: 'breached / (met + breached); null when neither' }),
      medianFirstResponseMs: z.number().nullable(),
      medianResolutionMs: z.number().nullable(),
    })),
    indexedAt: z.string().nullable().meta({ description: 'When the clocks were last read in full from the database' }),
  })
  .meta({ id: 'SlaOverview' });

export const BreachPage = z
  .object({
    items: z.array(z.object({
      id: z.string(), ...clockLabels, definitionKey: z.string(),
      dueAt: z.string(), breachedAt: z.string(), escalatedTo: z.array(z.string()),
    })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SlaBreachPage' });

export const HeatmapResponse = z
  .object({
    definitionKey: z.string(),
    version: z.number().int().nullable(),
    from: z.string(),
    to: z.string(),
    instances: z.number().int(),
    truncated: z.boolean(),
    elements: z.array(z.object({ elementId: z.string(), elementType: z.string(), count: z.number().int(), medianMs: z.number(), p90Ms: z.number() })),
  })
  .meta({ id: 'SlaHeatmap' });
