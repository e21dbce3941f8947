/**
 * Writes the SLA clocks of an instance snapshot to `sla_clocks` (sequence-guarded upserts,
 * like the other projections) and each breach once to `sla_breaches`. The labels the
 * operations views group by (department, engineer, complaint) come from the variables.
 */
import { trusted } from 'mongoose';
import type { SlaClockView } from '../../processes/evaluator';
import type { InstanceSnapshot } from '../../workflows/processInstance/types';
import { taskId } from './models';
import type { SlaWriteObserver } from '../sla/events';
import type { SlaBreachRecord, SlaClockRecord, SlaModels } from './slaModels';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const DEPARTMENT_FLAGS: ReadonlyArray<[string, string]> = [
  ['needAfterSales', 'after-sales'],
  ['needTechnical', 'technical'],
  ['needFinance', 'finance'],
  ['needLogistics', 'logistics'],
];

/** `department` when the process sets one, else the first department its need* flags ask for. */
export function departmentOf(variables: Record<string, unknown>): string | null {
  const named = text(variables.department);
  if (named !== null) return named;
  return DEPARTMENT_FLAGS.find(([flag]) => variables[flag] === true)?.[1] ?? null;
}

/** The contract record of one clock view (without `_id`/`sequence`). */
export function clockRecord(snapshot: InstanceSnapshot, clock: SlaClockView): Omit<SlaClockRecord, '_id' | 'sequence'> {
  const vars = snapshot.variables;
  const task = clock.taskKey === null ? undefined : snapshot.tasks.find((t) => t.key === clock.taskKey);
  return {
    instanceId: snapshot.instanceId,
    clockKey: clock.clockKey,
    complaintId: text(vars.complaintId),
    definitionKey: snapshot.definition.key,
    definitionVersion: snapshot.definition.version,
    policyId: clock.policyId,
    metric: clock.metric,
    elementId: clock.elementId,
    taskId: clock.taskKey === null ? null : taskId(snapshot.instanceId, clock.taskKey),
    department: departmentOf(vars),
    severity: clock.severity,
    customerTier: clock.customerTier,
    engineerId: task?.assignee ?? text(vars.engineer) ?? text(vars.assignee),
    state: clock.state,
    paused: clock.paused,
    startedAt: new Date(clock.startedAt),
    targetMs: clock.targetMs,
    dueAt: clock.dueAt === null ? null : new Date(clock.dueAt),
    remainingMs: clock.remainingMs,
    pausedMs: clock.pausedMs + (clock.pausedSince !== null ? Math.max(0, snapshot.updatedAt - clock.pausedSince) : 0),
    warningsFired: clock.warnings.map((w) => w.threshold),
    metAt: clock.metAt === null ? null : new Date(clock.metAt),
    breachedAt: clock.breach === null ? null : new Date(clock.breach.at),
    elapsedMs: clock.elapsedMs,
    updatedAt: new Date(snapshot.updatedAt),
    calendarId: clock.calendarId,
  };
}

/**
 * Writes each clock of the snapshot; `observer` hears of each transition this write applied
 * (a clock stored, a warning threshold newly fired, a breach record inserted), never of a
 * skipped older or repeated write, so counters and alerts fire once.
 */
export async function writeSlaClocks(models: SlaModels, snapshot: InstanceSnapshot, observer?: SlaWriteObserver): Promise<void> {
  const clocks = snapshot.slaClocks ?? [];
  for (const clock of clocks) {
    const record = clockRecord(snapshot, clock);
    const id = `${snapshot.instanceId}.${clock.clockKey}`;
    const stored: SlaClockRecord = { _id: id, ...record, sequence: snapshot.sequence };
    let applied = false;
    let before: Pick<SlaClockRecord, 'warningsFired'> | null = null;
    try {
      before = await models.clocks.findOneAndUpdate(
        { _id: id, sequence: trusted({ $lt: snapshot.sequence }) },
        { $set: { ...record, sequence: snapshot.sequence } },
        { upsert: true, returnDocument: 'before', lean: true },
      );
      applied = true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // a newer snapshot is stored already
    }
    if (applied && observer) {
      observer.clockWritten(stored);
      const firedBefore = new Set(before?.warningsFired ?? []);
      for (const threshold of record.warningsFired) if (!firedBefore.has(threshold)) observer.warningFired(stored, threshold);
    }
    if (clock.breach !== null) {
      const breach: SlaBreachRecord = {
        _id: id, instanceId: record.instanceId, clockKey: record.clockKey, complaintId: record.complaintId, definitionKey: record.definitionKey,
        policyId: record.policyId, metric: record.metric, elementId: record.elementId, taskId: record.taskId,
        department: record.department, severity: record.severity, engineerId: record.engineerId,
        dueAt: new Date(clock.breach.dueAt), breachedAt: new Date(clock.breach.at), escalatedTo: clock.breach.escalatedTo,
      };
      const { _id: _key, ...fields } = breach;
      const inserted = await models.breaches.updateOne({ _id: id }, { $setOnInsert: fields }, { upsert: true });
      if (inserted.upsertedCount === 1) observer?.breachRecorded(breach);
    }
  }
}
