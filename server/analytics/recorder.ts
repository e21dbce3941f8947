/**
 * Keeps the analytics rollups as complaints change (decision 0038). The complaint store tells
 * it of every complaint it wrote; per process one loop works through them, newest document of
 * each complaint only. For each it takes the complaint's fact (what it was counted for: as this
 * process last read or wrote it, else read), works out the new milestones (contributions.ts),
 * claims them on the fact (compare-and-set on `rev`, so two processes never count one milestone
 * twice; a stale remembered fact matches nothing and is read again) and then adds the increments with `$inc`
 * upserts, MAX_STATEMENTS_PER_COMMAND per bulk write.
 *
 * At most once: a process dying between the claim and the increments loses them (the counters
 * are statistics, not records). Never fails the complaint write that told it.
 */
import type { Connection } from 'mongoose';
import type { ComplaintRecord } from '../complaints/model';
import { slices } from '../db/commandSize';
import { directoryModels } from '../domain/directory/models';
import type { Logger } from '../log';
import { projectionModels } from '../projections/models';
import type { SlaClockRecord } from '../projections/slaModels';
import { contribute, pendingMilestones, slaContribution, type CountedAs, type ComplaintView, type Increment, type MilestoneContext } from './contributions';
import { analyticsModels, queryKeys, type AnalyticsModels, type FactRecord } from './model';

export interface AnalyticsRecorder {
  complaintChanged(doc: ComplaintRecord): void;
  /** An SLA clock document was written (server/sla/events.ts): met and breached ones are counted. */
  clockWritten(record: SlaClockRecord): void;
  /** Resolves when everything told so far is counted. */
  drain(): Promise<void>;
}

const CACHE_MS = 5 * 60_000;
const COALESCE_MS = 2_000;
/** Complaints whose counted milestones this process remembers (least recently told go first). */
const KNOWN_COMPLAINTS = 20_000;

/** One bulk write of `$inc` upserts, in commands FerretDB takes (server/db/commandSize.ts). */
export async function applyIncrements(models: AnalyticsModels, increments: readonly Increment[]): Promise<void> {
  const ops = increments.map((i) => ({
    updateOne: {
      filter: { _id: i.id },
      update: { $inc: i.inc, $setOnInsert: { ...queryKeys(i.grain, i.period, i.dim), grain: i.grain, period: i.period, dim: i.dim, key: i.key } },
      upsert: true,
    },
  }));
  for (const part of slices(ops)) await models.rollups.bulkWrite(part as never, { ordered: false });
}

export function createAnalyticsRecorder(mongo: Connection, log: Logger, now: () => Date = () => new Date()): AnalyticsRecorder {
  const models = analyticsModels(mongo);
  const directory = directoryModels(mongo);
  const projections = projectionModels(mongo);
  const pending = new Map<string, ComplaintView & { customerId: string; instanceId: string | null }>();
  const settled = new Map<string, SlaClockRecord>();
  const cache = new Map<string, { value: string | null; until: number }>();
  let running: Promise<void> | undefined;

  async function cached(key: string, read: () => Promise<string | null>): Promise<string | null> {
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await read();
    cache.set(key, { value, until: Date.now() + CACHE_MS });
    return value;
  }

  async function context(c: ComplaintView & { customerId: string; instanceId: string | null }, needs: { closed: boolean; eval: boolean }): Promise<MilestoneContext> {
    const [region, outlet] = await Promise.all([
      cached(`customer:${c.customerId}`, async () => (await directory.customers.findById(c.customerId, { region: 1 }).lean())?.region ?? null),
      c.engineer ? cached(`staff:${c.engineer}`, async () => (await directory.staff.findById(c.engineer, { outletId: 1 }).lean())?.outletId ?? null) : null,
    ]);
    const instanceId = c.instanceId;
    const [tasks, instance, events] = await Promise.all([
      needs.closed && instanceId ? projections.tasks.find({ instanceId }, { elementId: 1, state: 1, createdAt: 1, closedAt: 1 }).lean() : [],
      needs.eval && instanceId ? projections.instances.findById(instanceId, { definitionKey: 1 }).lean() : null,
      needs.eval && instanceId ? projections.elementEvents.find({ instanceId }).sort({ index: 1 }).lean() : [],
    ]);
    return {
      now: now(), region, outlet,
      tasks: tasks.map((t) => ({ elementId: t.elementId, state: t.state, createdAt: t.createdAt, closedAt: t.closedAt })),
      definitionKey: instance?.definitionKey ?? null,
      events: events.map((e) => ({ elementId: e.elementId, elementType: e.elementType, event: e.event, time: e.time })),
    };
  }

  /**
   * The fact of each complaint as this process last read or wrote it: most complaint writes
   * (timeline entries, staff updates) reach no new milestone, and then the fact is not read at
   * all; when one does, or an SLA clock settles, the remembered fact is the compare-and-set's
   * starting point. Another process may have counted more since: its `rev` moved on, the
   * compare-and-set matches nothing, the fact is forgotten and read again (the caller retries).
   */
  const known = new Map<string, FactRecord>();
  const remember = (fact: FactRecord) => {
    known.delete(fact._id);
    known.set(fact._id, fact);
    if (known.size > KNOWN_COMPLAINTS) known.delete(known.keys().next().value!);
  };
  const factOf = async (id: string) => known.get(id) ?? (await models.facts.findById(id).lean<FactRecord>()) ?? undefined;
  /** Writes `next` over `fact` if nobody changed it since; false (and forgotten) when someone did. */
  async function compareAndSet(fact: FactRecord, next: Omit<FactRecord, '_id' | 'rev' | 'updatedAt'>, at: Date): Promise<boolean> {
    const res = await models.facts.updateOne({ _id: fact._id, rev: fact.rev }, { $set: { ...next, rev: fact.rev + 1, updatedAt: at } });
    if (res.modifiedCount !== 1) {
      known.delete(fact._id);
      return false;
    }
    remember({ ...fact, ...next, rev: fact.rev + 1, updatedAt: at });
    return true;
  }

  /** Counts one complaint; false when another writer claimed first (try again). */
  async function count(c: ComplaintView & { customerId: string; instanceId: string | null }): Promise<boolean> {
    const seen = known.get(c._id);
    if (seen && pendingMilestones(c, seen.counted).length === 0) return true;
    const fact = seen ?? await factOf(c._id);
    const milestones = pendingMilestones(c, fact?.counted ?? []);
    if (milestones.length === 0) {
      if (fact) remember(fact);
      return true;
    }
    const ctx = await context(c, { closed: milestones.some((m) => m.kind === 'closed'), eval: milestones.some((m) => m.kind === 'eval') });
    const result = contribute(c, fact?.counted ?? [], fact?.load ?? [], milestones, ctx);
    const next = { counted: result.counted, load: result.load, countedAs: result.countedAs };
    if (fact) {
      if (!(await compareAndSet(fact, next, ctx.now))) return false;
    } else {
      try {
        await models.facts.create({ _id: c._id, ...next, rev: 1, updatedAt: ctx.now });
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
      remember({ _id: c._id, ...next, rev: 1, updatedAt: ctx.now });
    }
    batch.push(...result.increments);
    return true;
  }

  /** Counts a settled SLA clock against its complaint; false when another writer claimed first. */
  async function countClock(clock: SlaClockRecord): Promise<boolean> {
    if (!clock.complaintId) return true;
    const fact = await factOf(clock.complaintId);
    const key = `sla:${clock._id}`;
    // Not counted yet (its intake comes first): the clock is not counted either.
    if (!fact?.countedAs || fact.counted.includes(key)) return true;
    if (!(await compareAndSet(fact, { counted: [...fact.counted, key], load: fact.load, countedAs: fact.countedAs }, now()))) return false;
    batch.push(...slaContribution(fact.countedAs as CountedAs, clock));
    return true;
  }

  /**
   * Increments of the complaints counted in this pass, merged by rollup before they are
   * written: complaints of one day share their day's, month's and departments' documents.
   */
  let batch: Increment[] = [];
  async function flushBatch() {
    if (batch.length === 0) return;
    const merged = new Map<string, Increment>();
    for (const i of batch) {
      const held = merged.get(i.id);
      if (!held) {
        merged.set(i.id, { ...i, inc: { ...i.inc } });
        continue;
      }
      for (const [path, amount] of Object.entries(i.inc)) held.inc[path] = (held.inc[path] ?? 0) + amount;
    }
    batch = [];
    await applyIncrements(models, [...merged.values()]);
  }

  /**
   * Never rejects: it runs on its own (from a timer), so a rejection would be unhandled and end
   * the process. A failed write of counts is logged with how many rollup increments it lost.
   */
  async function flushOrWarn() {
    const increments = batch.length;
    await flushBatch().catch((err: unknown) => log.warn({ err, increments }, 'analytics: adding counts failed; these increments are lost'));
  }

  async function loop() {
    try {
      await countAll();
    } catch (err) {
      log.warn({ err }, 'analytics: counting stopped; what is left is counted at the next change');
    } finally {
      await flushOrWarn();
    }
  }

  /** Complaints first: a clock counts only against a complaint whose intake is counted. */
  async function countAll() {
    while (settled.size > 0 || pending.size > 0) {
      if (pending.size > 0) {
        const [id, doc] = pending.entries().next().value!;
        pending.delete(id);
        try {
          for (let attempt = 0; attempt < 5 && !(await count(doc)); attempt += 1);
        } catch (err) {
          log.warn({ err, complaintId: id }, 'analytics: counting a complaint change failed');
        }
      } else {
        const [id, clock] = settled.entries().next().value!;
        settled.delete(id);
        try {
          for (let attempt = 0; attempt < 5 && !(await countClock(clock)); attempt += 1);
        } catch (err) {
          log.warn({ err, clockId: id }, 'analytics: counting an SLA clock failed');
        }
      }
      if (batch.length >= 400) await flushOrWarn();
    }
  }

  /**
   * Counting waits COALESCE_MS after the first change told: a complaint written several times
   * in a row (intake, classification, who must act, dispatch) is read and counted once, off
   * the moments the intake path is busy. `drain()` counts at once.
   */
  let timer: ReturnType<typeof setTimeout> | undefined;
  function run() {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    running ??= loop().finally(() => {
      running = undefined;
      if (pending.size > 0 || settled.size > 0) kick();
    });
  }
  function kick() {
    if (running || timer) return;
    timer = setTimeout(run, COALESCE_MS);
    timer.unref?.();
  }

  return {
    complaintChanged(doc) {
      pending.set(doc._id, {
        _id: doc._id, category: doc.category, departments: doc.departments, engineer: doc.engineer, status: doc.status,
        evaluations: doc.evaluations, createdAt: new Date(doc.createdAt), customerId: doc.customerId, instanceId: doc.instanceId,
      });
      kick();
    },
    clockWritten(record) {
      if (record.state !== 'met' && record.state !== 'breached') return;
      settled.set(record._id, record);
      kick();
    },
    async drain() {
      for (;;) {
        if (timer) run();
        if (!running) return;
        await running;
      }
    },
  };
}
