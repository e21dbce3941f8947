/**
 * One flush of the projection writer: the newest pending snapshot of each of several instances,
 * written with one insertMany (new documents) and one bulkWrite (changes) per collection.
 *
 * Why it looks like this (decision 0008): FerretDB 1.24 on SQLite pushes down to SQLite only a
 * filter that is exactly `{ _id }`; any other filter (`{ _id, sequence: { $lt } }` included)
 * reads and decodes the whole collection. So the sequence guard is no longer part of the
 * write's filter: the flush reads the stored `sequence` (and what the metrics need: status,
 * incident ids, task state) by `_id`, decides in memory, and writes by `_id` only. The read
 * and the write are not one atomic step — neither was FerretDB's conditional update — so the
 * writer runs flushes one at a time per process (see projectionWriter): within a process no
 * two writes of one document overlap. An upsert that meets a document inserted meanwhile by
 * another process fails with a duplicate key and its instance is flushed again. Two processes
 * updating one instance at the same moment (a worker replaying it while another still
 * flushes) can still interleave read and write; the instance's next snapshot repairs that.
 */
import type { AnyBulkWriteOperation } from 'mongoose';
import { trusted } from 'mongoose';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { bulk, readByIds } from './bulk';
import { instanceFields, isNewer, planTasks, taskIdsOf } from './flushPlan';
import { draftOf, type RememberedInstance } from './memory';
import { subscriptionKey, type InstanceRecord, type ProjectionModels, type TaskRecord } from './models';

/** A newly raised incident as the observers see it: ids and labels, never variables' content. */
export interface RaisedIncident {
  instanceId: string;
  incidentId: string;
  elementId: string;
  type: string;
  createdAt: Date;
  /** The instance variables `department` and `severity` when they are strings. */
  department: string | null;
  severity: string | null;
}

/** Told of the transitions the writer applies (metrics, alerts); process = the definition key. */
export interface ProjectionObserver {
  instanceStarted(process: string): void;
  instanceEnded(process: string, status: 'completed' | 'terminated' | 'canceled'): void;
  taskOpened(process: string): void;
  taskCompleted(process: string): void;
  incidentRaised(process: string, type: string, incident: RaisedIncident): void;
}

const label = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

export interface PendingSnapshot {
  snapshot: InstanceSnapshot;
  startedAt: Date;
  /** The workflow run that reported it (the sink's); absent when a tool or test hands it over. */
  runId?: string | undefined;
}

/** What the guard reads of a stored instance: its sequence and what the metrics compare. */
export type StoredInstance = Pick<InstanceRecord, '_id' | 'sequence' | 'status' | 'openTaskKeys'> & {
  /** Read for the buffered-messages part: which subscriptions a snapshot opens (server/messages). */
  subscriptionKeys?: string[];
  incidents?: Array<Pick<InstanceRecord['incidents'][number], 'id'>>;
};
export type StoredTask = Pick<TaskRecord, '_id' | 'sequence' | 'state'> & {
  /** Set when the writer's memory holds what it wrote (memory.ts): equal content is not written again. */
  fingerprint?: string;
};

type Before<T> = { kind: 'skipped' } | { kind: 'inserted' } | { kind: 'updated'; doc: T };
type InstanceBefore = Pick<InstanceRecord, 'status'> & { incidents?: Array<Pick<InstanceRecord['incidents'][number], 'id'>> };

/** The snapshot's incidents the stored document did not have (none for a skipped write). */
export function newIncidents<I extends { id: string }>(before: Before<InstanceBefore>, incidents: readonly I[]): I[] {
  if (before.kind === 'skipped') return [];
  const known = new Set(before.kind === 'updated' ? (before.doc.incidents ?? []).map((i) => i.id) : []);
  return incidents.filter((i) => !known.has(i.id));
}

/** What the instance write changed, for the observer (pure: unit-tested). */
export function instanceTransitions(before: Before<InstanceBefore>, snapshot: Pick<InstanceSnapshot, 'status' | 'incidents'>) {
  if (before.kind === 'skipped') return { started: false, ended: undefined, incidents: [] as string[] };
  const wasActive = before.kind === 'inserted' || before.doc.status === 'active';
  return {
    started: before.kind === 'inserted',
    ended: wasActive && snapshot.status !== 'active' ? snapshot.status : undefined,
    incidents: newIncidents(before, snapshot.incidents).map((i) => i.type),
  };
}

export { isNewer };

/** An instance whose snapshot this flush applied, with what was stored before (null: inserted). */
export interface AppliedSnapshot extends PendingSnapshot {
  before: StoredInstance | null;
  /**
   * What the writer remembers of the instance once the flush succeeded (decision 0057): the
   * core fills in the instance and its tasks, the SLA part its clocks.
   */
  memory: RememberedInstance;
}

/**
 * Extension point for read models fed by the same snapshots (e.g. SLA collections): called
 * after the core collections of a flush are written, with the snapshots that were newer than
 * what was stored. Flushes never overlap within a process, so a part sees its instances in
 * sequence order; it should write with `{ _id }` filters and bulkWrite, like the core does.
 */
export interface ProjectionPart {
  name: string;
  write(applied: AppliedSnapshot[]): Promise<void>;
}

export interface FlushResult {
  /** Instances to flush again: an upsert met a document inserted meanwhile (duplicate key). */
  retry: string[];
  instancesWritten: number;
  taskWrites: number;
  /** The instances written, as the writer may remember them (after every part ran). */
  remembered: Map<string, RememberedInstance>;
}

/** What the stored instance holds of a snapshot once written: the guard's and the observers' fields. */
export const storedOf = (s: InstanceSnapshot): StoredInstance => ({
  _id: s.instanceId,
  sequence: s.sequence,
  status: s.status,
  openTaskKeys: s.tasks.map((t) => t.key),
  subscriptionKeys: s.subscriptions.map((x) => subscriptionKey(x.messageName, x.correlationKey)),
  incidents: s.incidents.map((i) => ({ id: i.id })),
});

/** Where a flush finds what it would otherwise read: the writer's memory of an instance, when trusted. */
export type Recall = (item: PendingSnapshot) => RememberedInstance | undefined;

const PROJECTION = { instance: { sequence: 1, status: 1, incidents: 1, openTaskKeys: 1, subscriptionKeys: 1 }, task: { sequence: 1, state: 1 } } as const;

/**
 * Ended instances written before `openTaskKeys` existed: their open tasks are found by query
 * (a scan on FerretDB, but only once per such instance).
 */
async function cancelLegacyOpenTasks(models: ProjectionModels, ended: AppliedSnapshot[]): Promise<void> {
  for (const { snapshot } of ended) {
    const filter = { instanceId: snapshot.instanceId, state: trusted({ $in: ['open', 'claimed'] }) as never, sequence: trusted({ $lt: snapshot.sequence }) as never };
    const open = await models.tasks.find(filter, { _id: 1 }).lean();
    if (open.length === 0) continue;
    await models.tasks.updateMany(filter, { $set: { state: 'canceled', closedAt: new Date(snapshot.updatedAt), sequence: snapshot.sequence } });
    await bulk(models.openTasks, open.map((t) => ({ deleteOne: { filter: { _id: t._id } } })));
  }
}

/**
 * Writes one flush (at most one snapshot per instance). Order matters: tasks, inbox and
 * element events first, the instance document last, so an instance's stored `sequence` is the
 * high-water mark of everything its snapshots wrote. A snapshot not newer than the stored
 * instance is therefore skipped whole — a replay cannot bring back a task that was opened and
 * closed between two flushes — and a flush that fails half-way is simply written again.
 *
 * What is stored is read by `_id`, except for the instances `recall` answers for: their
 * stored instance and tasks are what this writer wrote last (decision 0057).
 */
export async function writeFlush(models: ProjectionModels, items: PendingSnapshot[], observer?: ProjectionObserver, parts: ProjectionPart[] = [], recall: Recall = () => undefined): Promise<FlushResult> {
  const known = new Map<string, RememberedInstance>();
  for (const item of items) {
    const entry = recall(item);
    if (entry) known.set(item.snapshot.instanceId, draftOf(entry));
  }
  const unknownIds = items.map((i) => i.snapshot.instanceId).filter((id) => !known.has(id));
  const storedInstances = await readByIds(unknownIds, (id) => models.instances.findById(id, PROJECTION.instance).lean<StoredInstance>());
  const applying: AppliedSnapshot[] = items
    .map((item) => {
      const draft = known.get(item.snapshot.instanceId);
      const before = draft ? draft.stored : storedInstances.get(item.snapshot.instanceId) ?? null;
      // A new instance has no SLA clocks stored: the SLA part writes them after the instance document.
      const memory: RememberedInstance = draft ?? { runId: item.runId, stored: storedOf(item.snapshot), tasks: new Map(), ...(before ? {} : { clocks: new Map() }) };
      return { ...item, before, memory };
    })
    .filter((a) => isNewer(a.before, a.snapshot.sequence));
  const read = applying.filter((a) => !known.has(a.snapshot.instanceId));
  const storedTasks = await readByIds(read.flatMap((a) => taskIdsOf(a.snapshot, a.before)), (id) => models.tasks.findById(id, PROJECTION.task).lean<StoredTask>());
  for (const a of read) {
    for (const id of taskIdsOf(a.snapshot, a.before)) {
      const task = storedTasks.get(id);
      if (task) a.memory.tasks.set(id, { sequence: task.sequence, state: task.state });
    }
  }
  for (const a of applying) if (known.has(a.snapshot.instanceId)) for (const [id, task] of a.memory.tasks) storedTasks.set(id, { _id: id, ...task });

  const taskWrites = applying.flatMap((a) => planTasks(a.snapshot, a.before, storedTasks));
  const eventOps = applying.flatMap(({ snapshot }) => snapshot.events.map((e) => ({
    insertOne: {
      document: { _id: `${snapshot.instanceId}:${e.index}`, instanceId: snapshot.instanceId, index: e.index, elementId: e.elementId, elementType: e.elementType, event: e.event, time: new Date(e.time), ...(e.message === undefined ? {} : { message: e.message }) },
    },
  })));
  const [taskDup, inboxDup] = await Promise.all([
    bulk(models.tasks, taskWrites.map((w) => w.op)),
    bulk(models.openTasks, taskWrites.map((w) => w.inbox)),
    // Element events have deterministic ids: a duplicate is the same event, already there.
    bulk(models.elementEvents, eventOps),
    cancelLegacyOpenTasks(models, applying.filter((a) => a.before && a.before.openTaskKeys === undefined && a.snapshot.status !== 'active')),
  ]);
  // A duplicate key is another writer's insert in between: that instance is flushed again,
  // and its instance document waits, so the retry is not skipped as already written.
  const retry = new Set<string>();
  taskWrites.forEach((w, i) => { if (taskDup.has(i) || inboxDup.has(i)) retry.add(w.instanceId); });

  const ready = applying.filter((a) => !retry.has(a.snapshot.instanceId));
  const instanceDup = await bulk(models.instances, ready.map(({ snapshot, startedAt, before }): AnyBulkWriteOperation<InstanceRecord> => (before
    ? { updateOne: { filter: { _id: snapshot.instanceId }, update: { $set: instanceFields(snapshot) } } }
    : { insertOne: { document: { _id: snapshot.instanceId, ...instanceFields(snapshot), startedAt } } })));
  ready.forEach((a, i) => { if (instanceDup.has(i)) retry.add(a.snapshot.instanceId); });
  const written = ready.filter((_, i) => !instanceDup.has(i));
  const tasksDone = taskWrites.filter((_, i) => !taskDup.has(i));
  const remembered = new Map(written.map((a) => {
    a.memory.runId = a.runId;
    a.memory.stored = storedOf(a.snapshot);
    return [a.snapshot.instanceId, a.memory] as const;
  }));
  for (const w of tasksDone) remembered.get(w.instanceId)?.tasks.set(w.remember.taskId, w.remember.task);
  // Closed tasks are not kept: a close of a task not remembered is skipped as done, an open one inserted (a duplicate reads again).
  for (const entry of remembered.values()) for (const [id, task] of entry.tasks) if (task.state !== 'open' && task.state !== 'claimed') entry.tasks.delete(id);

  if (observer) {
    for (const { snapshot, before } of written) {
      const stored: Before<InstanceBefore> = before ? { kind: 'updated', doc: before } : { kind: 'inserted' };
      const changed = instanceTransitions(stored, snapshot);
      const process = snapshot.definition.key;
      if (changed.started) observer.instanceStarted(process);
      for (const incident of newIncidents(stored, snapshot.incidents)) {
        observer.incidentRaised(process, incident.type, {
          instanceId: snapshot.instanceId,
          incidentId: incident.id,
          elementId: incident.elementId,
          type: incident.type,
          createdAt: new Date(incident.createdAt),
          department: label(snapshot.variables.department),
          severity: label(snapshot.variables.severity),
        });
      }
      if (changed.ended) observer.instanceEnded(process, changed.ended);
    }
    for (const w of tasksDone) {
      if (w.opened) observer.taskOpened(w.process);
      if (w.completed) observer.taskCompleted(w.process);
    }
  }
  for (const part of parts) await part.write(written);
  return { retry: [...retry], instancesWritten: written.length, taskWrites: tasksDone.length, remembered };
}
