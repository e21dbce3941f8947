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
import { clockPrint, type RememberedClock, type RememberedInstance } from './memory';
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

/** The clocks of a flush's instances as stored before it: remembered, or read by `_id` for instances the memory does not know. */
async function storedClocks(models: SlaModels, clocks: Array<{ id: string; memory: RememberedInstance }>): Promise<(id: string) => RememberedClock | undefined> {
  const unknown = clocks.filter((c) => !c.memory.clocks);
  const read = await readByIds(unknown.map((c) => c.id), (id) => models.clocks.findById(id, { sequence: 1, warningsFired: 1 }).lean<Pick<SlaClockRecord, 'sequence' | 'warningsFired'>>());
  for (const { memory } of unknown) memory.clocks ??= new Map();
  for (const { id, memory } of unknown) {
    const found = read.get(id);
    if (found) memory.clocks!.set(id, { sequence: found.sequence, warningsFired: found.warningsFired ?? [] });
  }
  const byId = new Map(clocks.map((c) => [c.id, c.memory]));
  return (id) => byId.get(id)?.clocks?.get(id);
}

/**
 * The SLA collections as a part of the projection writer's flush (flush.ts): it sees only the
 * snapshots the flush applied, in sequence order per instance. Like the core collections it
 * reads what is stored by `_id` (the one filter FerretDB answers from an index) — or takes it
 * from the writer's memory of what it wrote (decision 0057) —, decides in memory and writes by
 * `_id`; a clock whose content did not change since this writer wrote it is not written again.
 * `observer` hears of each transition this flush applied — a clock stored, a warning threshold
 * newly fired, a breach record inserted — never of an older, unchanged or repeated write, so
 * counters and alerts fire once.
 */
export function slaProjectionPart(models: SlaModels, observer?: SlaWriteObserver): ProjectionPart {
  return {
    name: 'sla',
    async write(applied: AppliedSnapshot[]) {
      const clocks = applied.flatMap(({ snapshot, memory }) => (snapshot.slaClocks ?? []).map((clock) => {
        const record = clockRecord(snapshot, clock);
        const stored = { _id: `${snapshot.instanceId}.${clock.clockKey}`, ...record, sequence: snapshot.sequence } satisfies SlaClockRecord;
        return { id: stored._id, clock, stored, memory, print: clockPrint(stored) };
      }));
      if (clocks.length === 0) return;
      const before = await storedClocks(models, clocks);
      const writes = clocks.filter((c) => isNewer(before(c.id), c.stored.sequence) && before(c.id)?.fingerprint !== c.print);
      const refused = await bulk(models.clocks, writes.map(({ id, stored }): AnyBulkWriteOperation<SlaClockRecord> => (before(id)
        ? { updateOne: { filter: { _id: id }, update: { $set: stored } } }
        : { insertOne: { document: stored } })));
      // A clock inserted meanwhile by another writer: this instance's clocks are read again next time.
      writes.forEach((c, i) => { if (refused.has(i)) delete c.memory.clocks; });
      const written = writes.filter((_, i) => !refused.has(i));
      if (observer) {
        for (const { id, stored } of written) {
          observer.clockWritten(stored);
          const firedBefore = new Set(before(id)?.warningsFired ?? []);
          for (const threshold of stored.warningsFired) if (!firedBefore.has(threshold)) observer.warningFired(stored, threshold);
        }
      }
      const breachKnown = new Set(written.filter((c) => before(c.id)?.breachRecorded).map((c) => c.id));
      for (const { id, stored, print, memory } of written) {
        memory.clocks?.set(id, { sequence: stored.sequence, warningsFired: stored.warningsFired, fingerprint: print, ...(breachKnown.has(id) ? { breachRecorded: true as const } : {}) });
      }
      // A breach is written once: a duplicate key is the same breach, recorded already.
      const breaches = written.filter((c) => c.clock.breach !== null && !breachKnown.has(c.id)).map(({ clock, stored }): SlaBreachRecord => ({
        _id: stored._id, ...clockLabels(stored), definitionKey: stored.definitionKey,
        dueAt: new Date(clock.breach!.dueAt), breachedAt: new Date(clock.breach!.at), escalatedTo: clock.breach!.escalatedTo,
      }));
      const known = await readByIds(breaches.map((b) => b._id), (id) => models.breaches.findById(id, { _id: 1 }).lean());
      const fresh = breaches.filter((b) => !known.has(b._id));
      const duplicate = await bulk(models.breaches, fresh.map((document) => ({ insertOne: { document } })));
      fresh.forEach((b, i) => { if (!duplicate.has(i)) observer?.breachRecorded(b); });
      // Recorded now, by this flush or before it: not looked up again while the memory holds the clock.
      const memoryOf = new Map(written.map((c) => [c.id, c.memory]));
      for (const b of breaches) {
        const held = memoryOf.get(b._id)?.clocks?.get(b._id);
        if (held) memoryOf.get(b._id)!.clocks!.set(b._id, { ...held, breachRecorded: true });
      }
    },
  };
}
