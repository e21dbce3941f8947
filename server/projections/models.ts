/**
 * Read models kept in MongoDB so that lists and inboxes are queries, not fan-out Temporal
 * queries. Written only by the projection sink; every document carries the `sequence` of the
 * step that wrote it, and older writes never overwrite newer ones.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { slaModels, type SlaModels } from './slaModels';

export interface InstanceRecord {
  _id: string;
  definitionKey: string;
  definitionVersion: number;
  businessKey: string | null;
  status: 'active' | 'completed' | 'terminated' | 'canceled';
  activeElements: string[];
  variables: Record<string, unknown>;
  incidents: Array<{ id: string; elementId: string; type: string; message: string; createdAt: Date }>;
  timers: Array<{ key: string; elementId: string; dueAt: Date }>;
  /** `messageName \u001f correlationKey` of open subscriptions: one equality match finds waiters. */
  subscriptionKeys: string[];
  /** Names of open signal subscriptions: a broadcast finds every waiter with one equality match. */
  signalNames?: string[];
  openTaskCount: number;
  /** Keys of the tasks open after this step: what to cancel when the instance ends (no scan). */
  openTaskKeys?: string[];
  sequence: number;
  startedAt: Date;
  updatedAt: Date;
}

export interface TaskRecord {
  _id: string;
  instanceId: string;
  taskKey: string;
  elementId: string;
  name: string | null;
  definitionKey: string;
  /** The version of the instance when the task was last written (decision 0058); absent on documents written before. */
  definitionVersion?: number;
  state: 'open' | 'claimed' | 'completed' | 'canceled';
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueAt: Date | null;
  followUpAt: Date | null;
  formKey: string | null;
  createdAt: Date;
  closedAt: Date | null;
  /** Only for models with SLA policies: 0–100 (default 50), raised by escalations. */
  priority?: number;
  /** Only for models with SLA policies: the clock the task is measured by. */
  sla?: { clockKey: string; state: string; paused: boolean; dueAt: Date | null } | null;
  /**
   * The instance's business key and the complaint it serves, copied onto the task so an inbox
   * page needs no read of each task's instance (absent on tasks written before it existed).
   */
  owner?: TaskOwner;
  sequence: number;
}

export interface TaskOwner {
  businessKey: string | null;
  complaintId: string | null;
  /** The complaint's number (`C-000123`) when its process carries it (`complaintNumber`); absent before numbers. */
  complaintNumber?: string;
}

/**
 * The complaint process's business key is the complaint id; other processes carry it as
 * `complaintId`. The complaint's number comes from the `complaintNumber` variable (set at start
 * since numbers, decision 0050 addendum); without it the owner is what it always was.
 */
export function taskOwner(businessKey: string | null | undefined, complaintIdVariable: unknown, complaintNumberVariable?: unknown): TaskOwner {
  const key = businessKey ?? null;
  const complaintId = typeof complaintIdVariable === 'string' ? complaintIdVariable : key?.startsWith('cmp-') ? key : null;
  return { businessKey: key, complaintId, ...(typeof complaintNumberVariable === 'string' && complaintId ? { complaintNumber: complaintNumberVariable } : {}) };
}

export interface ElementEventRecord {
  _id: string;
  instanceId: string;
  index: number;
  elementId: string;
  elementType: string;
  event: 'activated' | 'completed' | 'terminated' | 'warning' | 'modified' | 'migrated';
  time: Date;
  /** Warnings only (workflows/processInstance/types.ts ElementEvent). */
  message?: string;
}

const instanceSchema = new Schema<InstanceRecord>({
  _id: String,
  definitionKey: { type: String, required: true, index: true },
  definitionVersion: { type: Number, required: true },
  businessKey: { type: String, default: null },
  status: { type: String, required: true, index: true },
  activeElements: [String],
  variables: { type: Schema.Types.Mixed, default: {} },
  incidents: [{ _id: false, id: String, elementId: String, type: { type: String }, message: String, createdAt: Date }],
  timers: [{ _id: false, key: String, elementId: String, dueAt: Date }],
  subscriptionKeys: { type: [String], index: true },
  signalNames: { type: [String], index: true },
  openTaskCount: Number,
  openTaskKeys: { type: [String], default: undefined },
  sequence: { type: Number, required: true },
  startedAt: Date,
  updatedAt: Date,
}, { versionKey: false, minimize: false });

const taskSchema = new Schema<TaskRecord>({
  _id: String,
  instanceId: { type: String, required: true, index: true },
  taskKey: String,
  elementId: String,
  name: { type: String, default: null },
  definitionKey: String,
  definitionVersion: Number,
  state: { type: String, required: true, index: true },
  assignee: { type: String, default: null, index: true },
  candidateGroups: { type: [String], index: true },
  candidateUsers: [String],
  dueAt: { type: Date, default: null },
  followUpAt: { type: Date, default: null },
  formKey: { type: String, default: null },
  createdAt: Date,
  closedAt: { type: Date, default: null },
  priority: { type: Number },
  sla: { type: Schema.Types.Mixed },
  owner: { type: Schema.Types.Mixed },
  sequence: { type: Number, required: true },
}, { versionKey: false });

const elementEventSchema = new Schema<ElementEventRecord>({
  _id: String,
  instanceId: { type: String, required: true },
  index: Number,
  elementId: String,
  elementType: String,
  event: String,
  time: Date,
  message: String,
}, { versionKey: false });
elementEventSchema.index({ instanceId: 1, index: 1 });

export interface ProjectionModels {
  instances: Model<InstanceRecord>;
  /** Every task ever opened (history, detail views, closed-task lists). */
  tasks: Model<TaskRecord>;
  /**
   * The inbox: a copy of each task while it is open or claimed, removed when it closes. FerretDB
   * 1.24 on SQLite evaluates every filter other than `{ _id }` by reading the whole collection,
   * so inbox queries read this small collection instead of the ever-growing `tasks`.
   */
  openTasks: Model<TaskRecord>;
  elementEvents: Model<ElementEventRecord>;
  /** `sla_clocks` and `sla_breaches` (slaModels.ts). */
  sla: SlaModels;
}

export function projectionModels(connection: Connection): ProjectionModels {
  return {
    instances: connection.models.Instance as Model<InstanceRecord> ?? connection.model<InstanceRecord>('Instance', instanceSchema, 'instances'),
    tasks: connection.models.Task as Model<TaskRecord> ?? connection.model<TaskRecord>('Task', taskSchema, 'tasks'),
    openTasks: connection.models.OpenTask as Model<TaskRecord> ?? connection.model<TaskRecord>('OpenTask', taskSchema, 'open_tasks'),
    elementEvents: connection.models.ElementEvent as Model<ElementEventRecord> ?? connection.model<ElementEventRecord>('ElementEvent', elementEventSchema, 'element_events'),
    sla: slaModels(connection),
  };
}

/**
 * The unit separator joins the two: it cannot appear in a message name, and unlike NUL (used
 * before decision 0013; the SQLite data migration rewrites it) PostgreSQL's jsonb can hold it.
 */
export const subscriptionKey = (messageName: string, correlationKey: string | null) => `${messageName}\u001f${correlationKey ?? ''}`;
export const taskId = (instanceId: string, taskKey: string) => `${instanceId}.${taskKey}`;
