/**
 * Writes the SLA clocks of instance snapshots to `sla_clocks` (sequence-guarded, like the
 * other projections) and each breach once to `sla_breaches`, as a part of the projection
 * writer's flush. The labels the operations views group by (department, engineer,
 * complaint) come from the variables.
 */
import type { AnyBulkWriteOperation } from 'mongoose';
import { DEPARTMENT_FLAGS } from '../../processes/departments';
import type { SlaClockView } from '../../processes/evaluator';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { bulk, readByIds } from './bulk';
import { isNewer, type AppliedSnapshot, type ProjectionPart } from './flush';
import { taskId } from './models';
import type { SlaWriteObserver } from '../sla/events';
import { clockLabels, type SlaBreachRecord, type SlaClockCore, type SlaClockRecord, type SlaModels } from './slaModels';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** `department` when the process sets one, else the first department its need* flags ask for. */
export function departmentOf(variables: Record<string, unknown>): string | null {
  const named = text(variables.department);
  if (named !== null) return named;
  return DEPARTMENT_FLAGS.find(([flag]) => variables[flag] === true)?.[1] ?? null;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

/**
 * The one mapping of a clock view (the evaluator's) to the fields every stored or shown form of
 * a clock shares; `at` is the instant the open pause is counted up to.
 */
export function clockCore(clock: SlaClockView, instanceId: string, at: number): SlaClockCore {
  return {
    clockKey: clock.clockKey,
    policyId: clock.policyId,
    calendarId: clock.calendarId,
    metric: clock.metric,
    elementId: clock.elementId,
    taskId: clock.taskKey === null ? null : taskId(instanceId, clock.taskKey),
    severity: clock.severity,
    customerTier: clock.customerTier,
    state: clock.state,
    paused: clock.paused,
    startedAt: new Date(clock.startedAt),
    targetMs: clock.targetMs,
    dueAt: date(clock.dueAt),
    remainingMs: clock.remainingMs,
    pausedMs: clock.pausedMs + (clock.pausedSince !== null ? Math.max(0, at - clock.pausedSince) : 0),
    metAt: date(clock.metAt),
    elapsedMs: clock.elapsedMs,
  };
}

/** The contract record of one clock view (without `_id`/`sequence`). */
export function clockRecord(snapshot: InstanceSnapshot, clock: SlaClockView): Omit<SlaClockRecord, '_id' | 'sequence'> {
  const vars = snapshot.variables;
  const task = clock.taskKey === null ? undefined : snapshot.tasks.find((t) => t.key === clock.taskKey);
  return {
    ...clockCore(clock, snapshot.instanceId, snapshot.updatedAt),
    instanceId: snapshot.instanceId,
    complaintId: text(vars.complaintId),
    definitionKey: snapshot.definition.key,
    definitionVersion: snapshot.definition.version,
    department: departmentOf(vars),
    engineerId: task?.assignee ?? text(vars.engineer) ?? text(vars.assignee),
    warningsFired: clock.warnings.map((w) => w.threshold),
    breachedAt: clock.breach === null ? null : new Date(clock.breach.at),
    updatedAt: new Date(snapshot.updatedAt),
  };
}

/**
 * The SLA collections as a part of the projection writer's flush (flush.ts): it sees only the
 * snapshots the flush applied, in sequence order per instance. Like the core collections it
 * reads what is stored by `_id` (the one filter FerretDB answers from an index), decides in
 * memory and writes by `_id`. `observer` hears of each transition this flush applied — a
 * clock stored, a warning threshold newly fired, a breach record inserted — never of an older
 * or repeated write, so counters and alerts fire once.
 */
export function slaProjectionPart(models: SlaModels, observer?: SlaWriteObserver): ProjectionPart {
  return {
    name: 'sla',
    async write(applied: AppliedSnapshot[]) {
      const clocks = applied.flatMap(({ snapshot }) => (snapshot.slaClocks ?? []).map((clock) => {
        const record = clockRecord(snapshot, clock);
        return { clock, stored: { _id: `${snapshot.instanceId}.${clock.clockKey}`, ...record, sequence: snapshot.sequence } satisfies SlaClockRecord };
      }));
      if (clocks.length === 0) return;
      const ids = clocks.map((c) => c.stored._id);
      const before = await readByIds(ids, (id) => models.clocks.findById(id, { sequence: 1, warningsFired: 1 }).lean<Pick<SlaClockRecord, 'sequence' | 'warningsFired'>>());
      const writes = clocks.filter((c) => isNewer(before.get(c.stored._id), c.stored.sequence));
      const refused = await bulk(models.clocks, writes.map(({ stored }): AnyBulkWriteOperation<SlaClockRecord> => (before.has(stored._id)
        ? { updateOne: { filter: { _id: stored._id }, update: { $set: stored } } }
        : { insertOne: { document: stored } })));
      const written = writes.filter((_, i) => !refused.has(i));
      if (observer) {
        for (const { stored } of written) {
          observer.clockWritten(stored);
          const firedBefore = new Set(before.get(stored._id)?.warningsFired ?? []);
          for (const threshold of stored.warningsFired) if (!firedBefore.has(threshold)) observer.warningFired(stored, threshold);
        }
      }
      // A breach is written once: a duplicate key is the same breach, recorded already.
      const breaches = written.filter((c) => c.clock.breach !== null).map(({ clock, stored }): SlaBreachRecord => ({
        _id: stored._id, ...clockLabels(stored), definitionKey: stored.definitionKey,
        dueAt: new Date(clock.breach!.dueAt), breachedAt: new Date(clock.breach!.at), escalatedTo: clock.breach!.escalatedTo,
      }));
      const known = await readByIds(breaches.map((b) => b._id), (id) => models.breaches.findById(id, { _id: 1 }).lean());
      const fresh = breaches.filter((b) => !known.has(b._id));
      const duplicate = await bulk(models.breaches, fresh.map((document) => ({ insertOne: { document } })));
      fresh.forEach((b, i) => { if (!duplicate.has(i)) observer?.breachRecorded(b); });
    },
  };
}
