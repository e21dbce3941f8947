/**
 * What one flush writes for a snapshot, decided in memory (pure): the task and instance
 * documents' fields, the task writes against the stored tasks (per-document sequence guard) and
 * their inbox copies, and which task ids a flush must read first. flush.ts reads and writes.
 */
import type { AnyBulkWriteOperation } from 'mongoose';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import type { StoredInstance, StoredTask } from './flush';
import { fingerprint, type RememberedTask } from './memory';
import { subscriptionKey, taskId, taskOwner, type TaskRecord } from './models';

/** The guard: a write applies only over nothing or over an older sequence. */
export const isNewer = (stored: { sequence: number } | null | undefined, sequence: number) => !stored || stored.sequence < sequence;

export const taskFields = (snapshot: InstanceSnapshot, task: InstanceSnapshot['tasks'][number]) => ({
  instanceId: snapshot.instanceId,
  taskKey: task.key,
  elementId: task.elementId,
  name: task.name,
  definitionKey: snapshot.definition.key,
  definitionVersion: snapshot.definition.version,
  state: task.state,
  assignee: task.assignee,
  candidateGroups: task.candidateGroups,
  candidateUsers: task.candidateUsers,
  dueAt: task.dueDate ? new Date(task.dueDate) : null,
  followUpAt: task.followUpDate ? new Date(task.followUpDate) : null,
  formKey: task.formKey,
  createdAt: new Date(task.createdAt),
  closedAt: null,
  // A task priority when the model gives one or has SLA policies; the task's clock only with SLA policies.
  ...(task.priority !== undefined ? { priority: task.priority } : {}),
  ...(task.sla !== undefined ? { sla: task.sla && { ...task.sla, dueAt: task.sla.dueAt === null ? null : new Date(task.sla.dueAt) } } : {}),
  owner: taskOwner(snapshot.businessKey, snapshot.variables.complaintId, snapshot.variables.complaintNumber),
  sequence: snapshot.sequence,
});

export const instanceFields = (s: InstanceSnapshot) => ({
  definitionKey: s.definition.key,
  definitionVersion: s.definition.version,
  businessKey: s.businessKey,
  status: s.status,
  activeElements: s.activeElements,
  variables: s.variables,
  incidents: s.incidents.map((i) => ({ ...i, createdAt: new Date(i.createdAt) })),
  timers: s.timers.map((t) => ({ ...t, dueAt: new Date(t.dueAt) })),
  subscriptionKeys: s.subscriptions.map((x) => subscriptionKey(x.messageName, x.correlationKey)),
  signalNames: s.signals ?? [],
  openTaskCount: s.tasks.length,
  openTaskKeys: s.tasks.map((t) => t.key),
  sequence: s.sequence,
  updatedAt: new Date(s.updatedAt),
});

/** One task write the flush decided on, and what it means for the inbox and the metrics. */
export interface TaskWrite {
  instanceId: string;
  process: string;
  op: AnyBulkWriteOperation<TaskRecord>;
  /** The inbox copy: upsert while open/claimed, delete once closed. */
  inbox: AnyBulkWriteOperation<TaskRecord>;
  opened: boolean;
  completed: boolean;
  /** What the writer's memory holds of the task once this write landed. */
  remember: { taskId: string; task: RememberedTask };
}

/** The print of a task's content (all but `sequence`): equal prints, nothing to write. */
const taskPrint = ({ sequence: _sequence, ...content }: ReturnType<typeof taskFields>) => fingerprint(content);

/**
 * Decides the task writes of one snapshot against the stored task documents (per-document
 * guard). A task whose stored content this writer wrote and the snapshot did not change is
 * not written (decision 0057): its stored `sequence` stays older, which the guard tolerates —
 * the content at every sequence in between is the same, so any writer's write in that range
 * writes it again, and the instance's sequence (written last) is what stops older snapshots.
 */
export function planTasks(snapshot: InstanceSnapshot, before: StoredInstance | null, tasks: Map<string, StoredTask>): TaskWrite[] {
  const id = snapshot.instanceId;
  const seq = snapshot.sequence;
  const process = snapshot.definition.key;
  const closedAt = new Date(snapshot.updatedAt);
  const writes: TaskWrite[] = [];
  for (const task of snapshot.tasks) {
    const _id = taskId(id, task.key);
    const stored = tasks.get(_id);
    if (!isNewer(stored, seq)) continue;
    const fields = taskFields(snapshot, task);
    const print = taskPrint(fields);
    if (stored?.fingerprint === print) continue;
    // New documents are inserted (batched); a duplicate means another writer was first: retried.
    const write: AnyBulkWriteOperation<TaskRecord> = stored
      ? { updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } }
      : { insertOne: { document: { _id, ...fields } } };
    writes.push({
      instanceId: id, process, opened: !stored, completed: false, op: write, inbox: stored ? write : { insertOne: { document: { _id, ...fields } } },
      remember: { taskId: _id, task: { sequence: seq, state: task.state, fingerprint: print } },
    });
  }
  const closing = new Map(snapshot.closedTasks.map((c) => [c.key, { reason: c.reason, onlyIfOpen: false, assignee: c.assignee ?? null }]));
  // When the instance ends, no task of it can stay open (e.g. canceled from outside).
  if (snapshot.status !== 'active') {
    for (const key of before?.openTaskKeys ?? []) if (!closing.has(key)) closing.set(key, { reason: 'canceled', onlyIfOpen: true, assignee: null });
  }
  for (const [key, { reason, onlyIfOpen, assignee }] of closing) {
    const _id = taskId(id, key);
    const stored = tasks.get(_id);
    // A task never projected stays unprojected (opened and closed within one coalesced write).
    if (!stored || stored.sequence >= seq) continue;
    if (onlyIfOpen && stored.state !== 'open' && stored.state !== 'claimed') continue;
    writes.push({
      instanceId: id, process, opened: false,
      completed: reason === 'completed' && (stored.state === 'open' || stored.state === 'claimed'),
      // A claim coalesced with its completion was never stored: the close carries who held it.
      op: { updateOne: { filter: { _id }, update: { $set: { state: reason, closedAt, sequence: seq, ...(assignee ? { assignee } : {}) } } } },
      inbox: { deleteOne: { filter: { _id } } },
      remember: { taskId: _id, task: { sequence: seq, state: reason } },
    });
  }
  return writes;
}

/** Task ids a flush must read: the snapshot's open and closed tasks, and on the end the stored open ones. */
export function taskIdsOf(snapshot: InstanceSnapshot, before: StoredInstance | null): string[] {
  const keys = new Set([...snapshot.tasks.map((t) => t.key), ...snapshot.closedTasks.map((c) => c.key)]);
  if (snapshot.status !== 'active') for (const key of before?.openTaskKeys ?? []) keys.add(key);
  return [...keys].map((key) => taskId(snapshot.instanceId, key));
}
