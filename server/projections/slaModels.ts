/**
 * SLA read models, written by the projection sink from the clocks in each instance snapshot
 * (see docs/sla.md). Shared contract with the SLA operations API: field names are fixed.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export type SlaMetric = 'firstResponse' | 'resolution' | 'element';
export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met';
/** One SLA clock of one instance: collection `sla_clocks`, _id `${instanceId}.${clockKey}`. */
export interface SlaClockRecord {
  _id: string;
  instanceId: string;
  clockKey: string;                 // stable within the instance, e.g. `${policyId}` or `${policyId}:${elementId}:${n}`
  complaintId: string | null;       // the instance's business key when it is a complaint
  definitionKey: string;
  definitionVersion: number;
  policyId: string;
  metric: SlaMetric;
  elementId: string | null;         // for metric 'element' (or the task's element)
  taskId: string | null;            // `${instanceId}.${taskKey}` when the clock belongs to a user task
  department: string | null;        // from the instance variables (complaint's department) when known
  severity: string | null;
  customerTier: string | null;
  engineerId: string | null;        // assigned engineer/assignee when known
  state: SlaState;
  paused: boolean;
  startedAt: Date;
  targetMs: number;                 // the target as business-time milliseconds
  dueAt: Date | null;               // breach instant (null while paused or once met)
  remainingMs: number | null;       // business ms left when paused (null when running/met)
  pausedMs: number;                 // wall-clock ms spent paused so far
  warningsFired: number[];          // thresholds (percent, e.g. 50, 75) already fired, in order
  metAt: Date | null;
  breachedAt: Date | null;
  elapsedMs: number | null;         // when met or breached: business ms from start to met (for trends)
  updatedAt: Date;
  sequence: number;                 // same sequence guard as the other projections
  /** Engine addition: the business calendar of the policy, to compute the time left of a running clock. */
  calendarId?: string | null;
}
/**
 * What every form of a clock shares (the stored record, the API's clocks from the live view
 * and from the record): written once from a view (slaWriter.clockCore), shown once
 * (api/instances/slaView.apiClockCore).
 */
export type SlaClockCore = Pick<SlaClockRecord,
  'clockKey' | 'policyId' | 'calendarId' | 'metric' | 'elementId' | 'taskId' | 'severity' | 'customerTier' | 'state' | 'paused' |
  'startedAt' | 'targetMs' | 'dueAt' | 'remainingMs' | 'pausedMs' | 'metAt' | 'elapsedMs'>;
/**
 * Which clock it is, where it belongs and what it measures: the labels every other form of a
 * clock carries (the breach record, the overview's rows and what breaches next, the breach
 * API's items). One list, copied only by `clockLabels`.
 */
export const SLA_CLOCK_LABELS = [
  'clockKey', 'instanceId', 'complaintId', 'policyId', 'metric', 'elementId', 'taskId', 'department', 'severity', 'engineerId',
] as const satisfies ReadonlyArray<keyof SlaClockRecord>;
export type SlaClockLabels = Pick<SlaClockRecord, (typeof SLA_CLOCK_LABELS)[number]>;

/** The labels of a stored clock or breach (a field missing from an older document reads as null). */
export function clockLabels(r: SlaClockLabels): SlaClockLabels {
  return {
    clockKey: r.clockKey,
    instanceId: r.instanceId,
    complaintId: r.complaintId ?? null,
    policyId: r.policyId,
    metric: r.metric,
    elementId: r.elementId ?? null,
    taskId: r.taskId ?? null,
    department: r.department ?? null,
    severity: r.severity ?? null,
    engineerId: r.engineerId ?? null,
  };
}

/** One breach: collection `sla_breaches`, _id `${instanceId}.${clockKey}`; written once. */
export interface SlaBreachRecord extends SlaClockLabels {
  _id: string;
  definitionKey: string;
  dueAt: Date; breachedAt: Date; escalatedTo: string[];  // who was notified/reassigned at breach
}

const nullableString = { type: String, default: null };
const nullableDate = { type: Date, default: null };

const slaClockSchema = new Schema<SlaClockRecord>({
  _id: String,
  instanceId: { type: String, required: true, index: true },
  clockKey: { type: String, required: true },
  complaintId: { ...nullableString, index: true },
  definitionKey: { type: String, required: true },
  definitionVersion: { type: Number, required: true },
  policyId: { type: String, required: true },
  metric: { type: String, required: true },
  elementId: nullableString,
  taskId: nullableString,
  department: nullableString,
  severity: nullableString,
  customerTier: nullableString,
  engineerId: nullableString,
  state: { type: String, required: true },
  paused: { type: Boolean, required: true },
  startedAt: { type: Date, required: true },
  targetMs: { type: Number, required: true },
  dueAt: nullableDate,
  remainingMs: { type: Number, default: null },
  pausedMs: { type: Number, default: 0 },
  warningsFired: [Number],
  metAt: nullableDate,
  breachedAt: nullableDate,
  elapsedMs: { type: Number, default: null },
  updatedAt: Date,
  sequence: { type: Number, required: true },
  calendarId: nullableString,
}, { versionKey: false });
slaClockSchema.index({ state: 1, dueAt: 1 });
slaClockSchema.index({ definitionKey: 1 });
slaClockSchema.index({ department: 1, state: 1 });
slaClockSchema.index({ startedAt: 1 });

const slaBreachSchema = new Schema<SlaBreachRecord>({
  _id: String,
  instanceId: { type: String, required: true, index: true },
  clockKey: { type: String, required: true },
  complaintId: nullableString,
  definitionKey: { type: String, required: true },
  policyId: { type: String, required: true },
  metric: { type: String, required: true },
  elementId: nullableString,
  taskId: nullableString,
  department: nullableString,
  severity: nullableString,
  engineerId: nullableString,
  dueAt: { type: Date, required: true },
  breachedAt: { type: Date, required: true, index: true },
  escalatedTo: [String],
}, { versionKey: false });

export interface SlaModels {
  clocks: Model<SlaClockRecord>;
  breaches: Model<SlaBreachRecord>;
}

export function slaModels(connection: Connection): SlaModels {
  return {
    clocks: connection.models.SlaClock as Model<SlaClockRecord> ?? connection.model<SlaClockRecord>('SlaClock', slaClockSchema, 'sla_clocks'),
    breaches: connection.models.SlaBreach as Model<SlaBreachRecord> ?? connection.model<SlaBreachRecord>('SlaBreach', slaBreachSchema, 'sla_breaches'),
  };
}
