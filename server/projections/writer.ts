/**
 * Writes instance snapshots from the workflow's projection sink to the read models.
 * Idempotent and order-tolerant: each write applies only if its `sequence` is newer than what
 * is stored, so replays, retries and out-of-order deliveries change nothing.
 *
 * Metrics (a ProjectionObserver) count the transitions a write makes, read from the document
 * as it was before the guarded write: an instance inserted = started; its status leaving
 * 'active' = ended; a task document inserted = opened; a task going from open/claimed to
 * completed = completed; an incident id not stored before = raised. A replayed or
 * out-of-order snapshot changes no document, so it counts nothing: each transition counts
 * exactly once per database. What is never projected is never counted: a task opened and
 * closed, or an incident raised and resolved, within one coalesced write (see projectionWriter).
 */
import type { WorkflowInfo } from '@temporalio/workflow';
import { trusted } from 'mongoose';
import type { InjectedSinks } from '@temporalio/worker';
import type { ProjectionSinks } from '../../workflows/sinks';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import type { Logger } from '../log';
import type { SlaWriteObserver } from '../sla/events';
import { writeSlaClocks } from './slaWriter';
import { subscriptionKey, taskId, type InstanceRecord, type ProjectionModels, type TaskRecord } from './models';

// The connection sanitizes filters (user input must not smuggle operators); ours are trusted.
const olderThan = (seq: number) => trusted({ $lt: seq });

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

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

/** One observer telling several (metrics and alerts); an observer that throws does not stop the others. */
export function observers(list: ReadonlyArray<ProjectionObserver | undefined>, log: Logger): ProjectionObserver {
  const live = list.filter((o): o is ProjectionObserver => o !== undefined);
  const each = (call: (o: ProjectionObserver) => void) => {
    for (const o of live) {
      try {
        call(o);
      } catch (err) {
        log.warn({ err }, 'projection observer failed');
      }
    }
  };
  return {
    instanceStarted: (p) => each((o) => o.instanceStarted(p)),
    instanceEnded: (p, s) => each((o) => o.instanceEnded(p, s)),
    taskOpened: (p) => each((o) => o.taskOpened(p)),
    taskCompleted: (p) => each((o) => o.taskCompleted(p)),
    incidentRaised: (p, t, i) => each((o) => o.incidentRaised(p, t, i)),
  };
}

const label = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

type Before<T> = { kind: 'skipped' } | { kind: 'inserted' } | { kind: 'updated'; doc: T };

/**
 * Upsert guarded by sequence: a newer stored document turns the upsert into a duplicate key,
 * which means "skip". Otherwise says whether it inserted or what the document was before.
 */
async function newerWins<T>(write: () => Promise<T | null>): Promise<Before<T>> {
  try {
    const before = await write();
    return before === null ? { kind: 'inserted' } : { kind: 'updated', doc: before };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return { kind: 'skipped' };
  }
}

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

// The whole document: FerretDB's findAndModify has no projection (`fields`) yet.
const BEFORE = { returnDocument: 'before', lean: true } as const;

export async function writeSnapshot(models: ProjectionModels, snapshot: InstanceSnapshot, startedAt: Date, observer?: ProjectionObserver, slaObserver?: SlaWriteObserver): Promise<void> {
  const seq = snapshot.sequence;
  const id = snapshot.instanceId;
  const process = snapshot.definition.key;
  const updatedAt = new Date(snapshot.updatedAt);
  const instanceBefore = await newerWins(() => models.instances.findOneAndUpdate(
    { _id: id, sequence: olderThan(seq) },
    {
      $set: {
        definitionKey: snapshot.definition.key,
        definitionVersion: snapshot.definition.version,
        businessKey: snapshot.businessKey,
        status: snapshot.status,
        activeElements: snapshot.activeElements,
        variables: snapshot.variables,
        incidents: snapshot.incidents.map((i) => ({ ...i, createdAt: new Date(i.createdAt) })),
        timers: snapshot.timers.map((t) => ({ ...t, dueAt: new Date(t.dueAt) })),
        subscriptionKeys: snapshot.subscriptions.map((s) => subscriptionKey(s.messageName, s.correlationKey)),
        openTaskCount: snapshot.tasks.length,
        sequence: seq,
        updatedAt,
      },
      $setOnInsert: { startedAt },
    },
    { upsert: true, ...BEFORE },
  ).then((doc) => doc as InstanceBefore | null));
  if (observer) {
    const changed = instanceTransitions(instanceBefore, snapshot);
    if (changed.started) observer.instanceStarted(process);
    for (const incident of newIncidents(instanceBefore, snapshot.incidents)) {
      observer.incidentRaised(process, incident.type, {
        instanceId: id,
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
  for (const task of snapshot.tasks) {
    const taskBefore = await newerWins(() => models.tasks.findOneAndUpdate(
      { _id: taskId(id, task.key), sequence: olderThan(seq) },
      {
        $set: {
          instanceId: id,
          taskKey: task.key,
          elementId: task.elementId,
          name: task.name,
          definitionKey: snapshot.definition.key,
          state: task.state,
          assignee: task.assignee,
          candidateGroups: task.candidateGroups,
          candidateUsers: task.candidateUsers,
          dueAt: task.dueDate ? new Date(task.dueDate) : null,
          followUpAt: task.followUpDate ? new Date(task.followUpDate) : null,
          formKey: task.formKey,
          createdAt: new Date(task.createdAt),
          ...(task.priority !== undefined ? { priority: task.priority } : {}),
          ...(task.sla !== undefined ? { sla: task.sla && { ...task.sla, dueAt: task.sla.dueAt === null ? null : new Date(task.sla.dueAt) } } : {}),
          sequence: seq,
        },
      },
      { upsert: true, ...BEFORE },
    ));
    if (taskBefore.kind === 'inserted') observer?.taskOpened(process);
  }
  for (const closed of snapshot.closedTasks) {
    const taskBefore = await models.tasks.findOneAndUpdate(
      { _id: taskId(id, closed.key), sequence: olderThan(seq) },
      { $set: { state: closed.reason, closedAt: updatedAt, sequence: seq } },
      BEFORE,
    ) as Pick<TaskRecord, 'state'> | null;
    const wasOpen = taskBefore?.state === 'open' || taskBefore?.state === 'claimed';
    if (wasOpen && closed.reason === 'completed') observer?.taskCompleted(process);
  }
  // When the instance ends, no task of it can stay open (e.g. canceled from outside).
  if (snapshot.status !== 'active') {
    await models.tasks.updateMany(
      { instanceId: id, state: trusted({ $in: ['open', 'claimed'] }), sequence: olderThan(seq) },
      { $set: { state: 'canceled', closedAt: updatedAt, sequence: seq } },
    );
  }
  if (snapshot.slaClocks !== undefined) await writeSlaClocks(models.sla, snapshot, slaObserver);
  if (snapshot.events.length > 0) {
    await models.elementEvents.bulkWrite(snapshot.events.map((e) => ({
      updateOne: {
        filter: { _id: `${id}:${e.index}` },
        update: { $setOnInsert: { instanceId: id, index: e.index, elementId: e.elementId, elementType: e.elementType, event: e.event, time: new Date(e.time) } },
        upsert: true,
      },
    })), { ordered: false });
  }
}

/**
 * Folds a newer snapshot into one not yet written: the view is the newer one; element events
 * and closed tasks of both are kept, so nothing of the history is lost.
 */
export function coalesce(pending: InstanceSnapshot, newer: InstanceSnapshot): InstanceSnapshot {
  if (newer.sequence < pending.sequence) return coalesce(newer, pending);
  return {
    ...newer,
    events: [...pending.events, ...newer.events],
    closedTasks: [...pending.closedTasks, ...newer.closedTasks],
  };
}

export interface ProjectionWriter {
  sinks: InjectedSinks<ProjectionSinks>;
  /** Resolves when every write accepted so far has finished (before closing MongoDB). */
  drain(): Promise<void>;
}

/**
 * The worker's sink. One writer loop per instance: while a write is in flight, newer
 * snapshots of that instance are coalesced into one pending write, so a burst of steps costs
 * one round of MongoDB writes rather than one per step. Failures are logged (never thrown into
 * the workflow) and repaired by the next snapshot.
 */
export function projectionWriter(models: ProjectionModels, log: Logger, observer?: ProjectionObserver, slaObserver?: SlaWriteObserver): ProjectionWriter {
  const pending = new Map<string, { snapshot: InstanceSnapshot; startedAt: Date }>();
  const running = new Map<string, Promise<void>>();

  const loop = async (instanceId: string) => {
    for (let next = pending.get(instanceId); next; next = pending.get(instanceId)) {
      pending.delete(instanceId);
      try {
        await writeSnapshot(models, next.snapshot, next.startedAt, observer, slaObserver);
      } catch (err) {
        log.warn({ err, instanceId, sequence: next.snapshot.sequence }, 'projection write failed');
      }
    }
    running.delete(instanceId);
  };

  const sinks: InjectedSinks<ProjectionSinks> = {
    projection: {
      instanceChanged: {
        callDuringReplay: true,
        fn: (info: WorkflowInfo, snapshot: InstanceSnapshot) => {
          const waiting = pending.get(snapshot.instanceId);
          pending.set(snapshot.instanceId, {
            snapshot: waiting ? coalesce(waiting.snapshot, snapshot) : snapshot,
            startedAt: info.startTime,
          });
          if (!running.has(snapshot.instanceId)) running.set(snapshot.instanceId, loop(snapshot.instanceId));
        },
      },
    },
  };
  return {
    sinks,
    async drain() {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
