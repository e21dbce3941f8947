/**
 * Keeps each complaint's audit chain and search document up to date with its record. Called
 * where the record is written: after every complaint write (the store's `changed` callback),
 * every timeline entry appended beside a complaint (its `appended` callback, decision 0060) and
 * after every projection flush of an instance that serves a complaint (a projection part),
 * debounced per complaint and run from one line (sealQueue.ts); and before a record is shown
 * or exported, so what is shown is sealed. Sealing is idempotent (facts are keyed), so the
 * same complaint sealed by the API and the worker at once ends with one chain.
 */
import type { Connection } from 'mongoose';
import { complaintModels, type ComplaintRecord } from '../complaints/model';
import { appendedEntries, mergeTimeline } from '../complaints/timeline';
import type { Logger } from '../log';
import type { ProjectionPart } from '../projections/flush';
import { projectionModels, taskOwner, type ElementEventRecord, type TaskRecord } from '../projections/models';
import type { SlaBreachRecord, SlaClockRecord } from '../projections/slaModels';
import { createDirectoryService } from '../domain/directory';
import { auditChain } from './auditChain';
import { factsOf, type FactSources } from './facts';
import { createSealQueue } from './sealQueue';
import { monthOf, searchModel, words } from './searchIndex';

/**
 * Bursts of writes to one complaint (a step writes the complaint, then its projection, then the
 * next person acts) are sealed once: after 3 s without a write, and at the latest 15 s after the
 * first unsealed one. A seal costs a dozen reads and the chain's inserts; reads and exports seal
 * first, so nobody is shown an unsealed record. Due seals wait in one line per process
 * (sealQueue.ts).
 */
const DEBOUNCE_MS = 3000;
const MAX_WAIT_MS = 15_000;

/**
 * Seals running at once per process: under load the due complaints wait in line, so each is
 * sealed less often rather than the database doing more (sealQueue.ts).
 */
const SEALS_AT_ONCE = 2;

export function createSealer(mongo: Connection, log: Logger) {
  const complaints = complaintModels(mongo);
  const projections = projectionModels(mongo);
  // Read through the directory: customers are kept in memory for a while (CUSTOMER_CACHE_MS).
  const directory = createDirectoryService(mongo);
  const chain = auditChain(mongo);
  const search = searchModel(mongo);
  const running = new Map<string, Promise<unknown>>();

  /** The complaint's facts come from its whole timeline: the entries it holds and those appended beside it. */
  async function sources(stored: ComplaintRecord): Promise<FactSources> {
    const instanceIds = [...new Set([stored.instanceId, ...stored.commitments.map((c) => c.instanceId)].filter((x): x is string => Boolean(x)))];
    const [appended, per] = await Promise.all([appendedEntries(complaints.timeline, stored._id), Promise.all(instanceIds.map(async (instanceId) => ({
      tasks: await projections.tasks.find({ instanceId }).lean<TaskRecord[]>(),
      comments: await complaints.taskComments.find({ instanceId }).lean<FactSources['comments']>(),
      events: await projections.elementEvents.find({ instanceId }).lean<ElementEventRecord[]>(),
      clocks: await projections.sla.clocks.find({ instanceId }).lean<SlaClockRecord[]>(),
      breaches: await projections.sla.breaches.find({ instanceId }).lean<SlaBreachRecord[]>(),
    })))]);
    return {
      complaint: { ...stored, timeline: mergeTimeline(stored.timeline, appended) },
      tasks: per.flatMap((p) => p.tasks), comments: per.flatMap((p) => p.comments), events: per.flatMap((p) => p.events),
      clocks: per.flatMap((p) => p.clocks), breaches: per.flatMap((p) => p.breaches),
    };
  }

  /** Seals what is new in the record and refreshes its search document; returns the entries appended. */
  async function seal(complaintId: string): Promise<number> {
    const complaint = await complaints.complaints.findById(complaintId).lean<ComplaintRecord>();
    if (!complaint) return 0;
    const s = await sources(complaint);
    const appended = await chain.append(complaintId, factsOf(s));
    const customerName = (await directory.getCustomer(complaint.customerId))?.name ?? null;
    const instanceIds = [...new Set([complaint.instanceId, ...complaint.commitments.map((c) => c.instanceId)].filter((x): x is string => Boolean(x)))];
    const processes = (await Promise.all(instanceIds.map((id) => projections.instances.findById(id, { definitionKey: 1 }).lean<{ definitionKey: string }>())))
      .flatMap((i) => (i ? [i.definitionKey] : []));
    const people = new Set<string>([`customer:${complaint.customerId}`]);
    if (complaint.engineer) people.add(complaint.engineer);
    for (const e of s.complaint.timeline) people.add(e.who.replace(/^staff:/, ''));
    for (const t of s.tasks) if (t.assignee) people.add(t.assignee);
    for (const c of s.comments) people.add(c.author.replace(/^staff:/, ''));
    await search.updateOne({ _id: complaintId }, {
      $set: {
        customerId: complaint.customerId, customerName, engineer: complaint.engineer ?? null, departments: complaint.departments ?? [],
        status: complaint.status, category: complaint.category ?? null, severity: complaint.severity ?? null,
        month: monthOf(new Date(complaint.createdAt)), people: [...people], title: complaint.title,
        instanceIds, processes: [...new Set(processes)],
        words: words(complaint.title, complaint.description, complaint.product, complaint.category, customerName, complaint.customerId, complaint.engineer,
          ...s.comments.map((c) => c.text), ...complaint.evaluations.map((e) => e.comment), ...complaint.commitments.map((c) => c.description)),
        createdAt: complaint.createdAt,
      },
    }, { upsert: true });
    return appended;
  }

  /** One seal at a time per complaint; a seal asked for while one runs runs again after it. */
  function sealNow(complaintId: string): Promise<number> {
    const before = running.get(complaintId) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => seal(complaintId));
    running.set(complaintId, mine);
    void mine.catch(() => undefined).finally(() => { if (running.get(complaintId) === mine) running.delete(complaintId); });
    return mine;
  }

  const queue = createSealQueue({
    debounceMs: DEBOUNCE_MS, maxWaitMs: MAX_WAIT_MS, concurrency: SEALS_AT_ONCE,
    seal: sealNow,
    // Ids only in the log (decision 0024); the next write or read seals what this one missed.
    failed: (complaintId, err) => log.warn({ complaintId, err: err instanceof Error ? err.message : String(err) }, 'audit: sealing failed; retried at the next change'),
  });

  let stopped = false;
  const state = mongo.collection<{ _id: string; doneAt: Date; sealed: number }>('compliance_state');

  /**
   * Seals every complaint that has no chain yet (filed before this feature, or whose seal
   * failed), once per database: one pass over the complaints' ids, then a marker document. The
   * reconciler starts it in the background at its first pass (server/wiring.ts).
   */
  async function backfill(): Promise<number> {
    if (await state.findOne({ _id: 'backfill' })) return 0;
    let sealed = 0;
    for await (const c of complaints.complaints.find({}, { _id: 1 }).lean<Array<{ _id: string }>>().cursor({ batchSize: 100 })) {
      if (stopped) return sealed;
      if (await chain.head(c._id)) continue;
      await sealNow(c._id);
      sealed += 1;
    }
    await state.updateOne({ _id: 'backfill' }, { $set: { doneAt: new Date(), sealed } }, { upsert: true });
    if (sealed > 0) log.info({ sealed }, 'audit: complaints without a chain sealed');
    return sealed;
  }

  const part: ProjectionPart = {
    name: 'compliance audit',
    async write(applied) {
      for (const a of applied) {
        const owner = taskOwner(a.snapshot.businessKey, a.snapshot.variables.complaintId);
        if (owner.complaintId) queue.schedule(owner.complaintId);
      }
    },
  };

  return {
    chain,
    search,
    /** What a complaint's facts are made of (the verifier compares them with the chain). */
    sources,
    /** Seals now, outside the line (a record read or export: what is shown is sealed). */
    seal(complaintId: string): Promise<number> {
      queue.coveredBy(complaintId);
      return sealNow(complaintId);
    },
    schedule: (complaintId: string) => queue.schedule(complaintId),
    /** Complaints waiting for their quiet spell, due, and being sealed. */
    backlog: () => queue.size(),
    /** The projection part that seals complaints whose instances changed. */
    part,
    /** Runs every scheduled seal now and waits for all (tests, shutdown). */
    async drain() {
      await queue.flush();
      await Promise.allSettled([...running.values()]);
    },
    backfill,
    stop() {
      stopped = true;
      queue.stop();
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
