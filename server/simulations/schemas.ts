/** Zod schemas of the simulation and coverage API (docs/designer.md, "Simulate" and "Coverage"). */
import { z } from 'zod';

export const MAX_SIMULATED = 20_000;
const DAY_MS = 86_400_000;

export const SimulationBody = z
  .object({
    xml: z.string().min(1).meta({ description: 'The draft BPMN document (as the designer holds it)' }),
    processId: z.string().trim().min(1).max(200).optional().meta({ description: 'Which process of the document; default: the first executable one' }),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1).meta({ description: 'PRNG seed: the same seed, draft and history give the same result' }),
    count: z.number().int().min(1).max(MAX_SIMULATED).default(1000).meta({ description: `Synthetic complaints per side (1-${MAX_SIMULATED})` }),
    historyDays: z.number().int().min(1).max(366).default(30).meta({ description: 'Recorded history read: instances of the current version started in the last N days' }),
    startAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'Virtual time of the first arrival (business calendars apply from it); default: now' }),
  })
  .meta({ id: 'SimulationRequest' });

const ElementFigures = z.object({
  elementId: z.string(),
  count: z.number(),
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  breachRate: z.number().meta({ description: 'Share of the activations during which an SLA clock of the instance breached' }),
  incidents: z.number(),
  incidentMessage: z.string().nullable(),
});

const Result = z
  .object({
    processId: z.string(),
    seed: z.number(),
    count: z.number(),
    completed: z.number(),
    stuck: z.number().meta({ description: 'Stopped by an incident or an endless loop' }),
    overall: z.object({ p50Ms: z.number().nullable(), p90Ms: z.number().nullable(), breachRate: z.number() }),
    policies: z.array(z.object({ policyId: z.string(), clocks: z.number(), breached: z.number(), breachRate: z.number() })),
    elements: z.array(ElementFigures),
    departments: z.array(z.object({ group: z.string(), tasks: z.number(), hours: z.number(), averageOpen: z.number(), peakOpen: z.number() })),
    spanMs: z.number(),
    estimated: z.array(z.string()).meta({ description: 'Elements without recorded history: default durations or uniform shares' }),
    stimuli: z.number(),
  })
  .meta({ id: 'SimulationResult' });

export const SimulationResponse = z
  .object({
    processId: z.string(),
    history: z.object({
      version: z.number().nullable().meta({ description: 'The deployed version whose history was read; null when the process is not deployed' }),
      instances: z.number(),
      meanArrivalIntervalMs: z.number(),
      from: z.string(),
      to: z.string(),
    }),
    draft: Result,
    current: Result.nullable().meta({ description: 'The deployed version under the same arrivals and seed; null when not deployed' }),
  })
  .meta({ id: 'SimulationResponse' });

export const CoverageParams = z.object({ key: z.string().min(1).max(200) });

export const CoverageQuery = z.object({
  since: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z' })
    .transform((v) => new Date(v))
    .optional()
    .meta({ description: 'Instances started from this instant; default: 30 days ago' }),
  version: z.coerce.number().int().min(1).optional().meta({ description: 'Only instances of this version; default: every version, against the latest diagram' }),
});

const Part = z.object({ total: z.number(), taken: z.number(), percent: z.number(), untaken: z.array(z.string()) });

export const CoverageResponse = z
  .object({
    processId: z.string(),
    version: z.number().meta({ description: 'The diagram version the ids are from' }),
    since: z.string(),
    instances: z.number(),
    elements: Part,
    flows: Part,
    elementCounts: z.array(z.object({ id: z.string(), count: z.number() })),
    flowCounts: z.array(z.object({ id: z.string(), count: z.number() })),
  })
  .meta({ id: 'DiagramCoverage' });

export const defaultSince = (now: Date) => new Date(now.getTime() - 30 * DAY_MS);
