/**
 * SLA read models, written by the projection sink (the SLA engine) and read by the
 * operations API (server/sla): one document per SLA clock and one per breach.
 * Shared contract between both sides: field names do not change.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export type SlaMetric = 'firstResponse' | 'resolution' | 'element';
export type SlaState = 'ok' | 'at_risk' | 'breached' | 'met';

/** One SLA clock of one instance: collection `sla_clocks`, _id `${instanceId}.${clockKey}`. */
export interface SlaClockRecord {
  _id: string;
  instanceId: string;
  /** Stable within the instance, e.g. `${policyId}` or `${policyId}:${elementId}:${n}`. */
  clockKey: string;
  /** The instance's business key when it is a complaint. */
  complaintId: string | null;
  definitionKey: string;
  definitionVersion: number;
  policyId: string;
  metric: SlaMetric;
  /** For metric 'element' (or the task's element). */
  elementId: string | null;
  /** `${instanceId}.${taskKey}` when the clock belongs to a user task. */
  taskId: string | null;
  /** From the instance variables (complaint's department) when known. */
  department: string | null;
  severity: string | null;
  customerTier: string | null;
  /** Assigned engineer/assignee when known. */
  engineerId: string | null;
  state: SlaState;
  paused: boolean;
  startedAt: Date;
  /** The target as business-time milliseconds. */
  targetMs: number;
  /** Breach instant (null while paused or once met). */
  dueAt: Date | null;
  /** Business ms left when paused (null when running/met). */
  remainingMs: number | null;
  /** Wall-clock ms spent paused so far. */
  pausedMs: number;
  /** Thresholds (percent, e.g. 50, 75) already fired, in order. */
  warningsFired: number[];
  metAt: Date | null;
  breachedAt: Date | null;
  /** When met or breached: business ms from start to met (for trends). */
  elapsedMs: number | null;
  updatedAt: Date;
  /** Same sequence guard as the other projections. */
  sequence: number;
}

/** One breach: collection `sla_breaches`, _id `${instanceId}.${clockKey}`; written once. */
export interface SlaBreachRecord {
  _id: string; instanceId: string; clockKey: string; complaintId: string | null; definitionKey: string;
  policyId: string; metric: SlaMetric; elementId: string | null; taskId: string | null;
  department: string | null; severity: string | null; engineerId: string | null;
  dueAt: Date; breachedAt: Date;
  /** Who was notified/reassigned at breach. */
  escalatedTo: string[];
}

const nullableString = { type: String, default: null };

const slaClockSchema = new Schema<SlaClockRecord>({
  _id: String,
  instanceId: { type: String, required: true },
  clockKey: { type: String, required: true },
  complaintId: nullableString,
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
  paused: { type: Boolean, default: false },
  startedAt: { type: Date, required: true },
  targetMs: { type: Number, required: true },
  dueAt: { type: Date, default: null },
  remainingMs: { type: Number, default: null },
  pausedMs: { type: Number, default: 0 },
  warningsFired: [Number],
  metAt: { type: Date, default: null },
  breachedAt: { type: Date, default: null },
  elapsedMs: { type: Number, default: null },
  updatedAt: Date,
  sequence: { type: Number, required: true },
}, { versionKey: false, minimize: false });
slaClockSchema.index({ state: 1, dueAt: 1 });
slaClockSchema.index({ definitionKey: 1 });
slaClockSchema.index({ department: 1, state: 1 });
slaClockSchema.index({ startedAt: 1 });

const slaBreachSchema = new Schema<SlaBreachRecord>({
  _id: String,
  instanceId: { type: String, required: true },
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
  breachedAt: { type: Date, required: true },
  escalatedTo: [String],
}, { versionKey: false });
slaBreachSchema.index({ breachedAt: 1 });

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
