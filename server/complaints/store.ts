/**
 * Reads and writes of complaint documents. FerretDB has no transactions and we avoid
 * positional array updates, so every change is read → change in memory → compare-and-set
 * on `rev`, retried on contention. Timeline entries carry an id and are written once per id,
 * so a retried job or request does not duplicate them.
 *
 * Staff counters (directory load and satisfaction) follow the complaint: each change is written
 * on it as a `StaffUpdate` in the compare-and-set of the entry that causes it, already claimed
 * by the caller that applies it next (`createdAs`), then applied to the directory once
 * (staffUpdates.ts).
 *
 * Timeline entries that change nothing else on the complaint (task completions, comments,
 * transfers) are not written here but appended beside it (`append`, timeline.ts, decision 0060):
 * one insert, no lock, no read or rewrite of the complaint.
 */
import { randomUUID } from 'node:crypto';
import type { ComplaintsPort, ComplaintStatus } from '../../activities/integrations/complaintsPort';
import { setTimeout as sleep } from 'node:timers/promises';
import { documentLock, inProcessOrdering, type LockHold } from '../db/documentLock';
import { groupInsert } from '../db/groupInsert';
import { recentDocuments } from '../db/recentDocuments';
import { isRevisionConflict, revisionGuard, WriteContention, type RevisionGuard } from '../db/revisionGuard';
import type { ComplaintModels, ComplaintRecord, StaffUpdate, TimelineEntry } from './model';
import { staffUpdates, type StaffCounters } from './staffUpdates';
import { appendedEntryId, withWholeTimeline, type AppendedEntry } from './timeline';

type Change = Partial<Omit<ComplaintRecord, '_id' | 'rev' | 'timeline' | 'createdAt'>>;
/**
 * What a mutation decides: fields to set and the timeline entry that goes with them, if any;
 * null = no change. An entry that changes nothing else is appended instead (`append`).
 */
type Mutation = { set: Change; entry?: Omit<TimelineEntry, 'when'> } | null;

const MAX_ATTEMPTS = 20;
/** Complaints whose last written document this store keeps (decision 0067): the ones in work now. */
const RECENT_COMPLAINTS = 2_000;
const unsettled = (u: StaffUpdate) => u.state === 'pending' || u.state === 'applying';
export { STALE_CLAIM_MS, type StaffCounters } from './staffUpdates';

const loadUpdate = (id: string, staffId: string, amount: 1 | -1, as: Pick<StaffUpdate, 'state' | 'claimedAt'>): StaffUpdate =>
  ({ id, staffId, kind: 'load', amount, ...as });

/** Where the resolution notice links to: the signed customer link of a complaint. */
export interface LinkMaker {
  urlFor(complaintId: string): string;
}

/**
 * Told of every complaint document the store wrote: the compliance audit seals the change
 * (server/compliance/sealer.ts) and the analytics recorder counts it; must not throw or wait.
 */
export type ComplaintChanged = (doc: ComplaintRecord) => void;

/**
 * Told of every timeline entry appended beside a complaint (its document unchanged): the
 * compliance audit seals it; must not throw or wait.
 */
export type EntryAppended = (complaintId: string) => void;

/**
 * `guard`: how this store learns whether a compare-and-set of `complaints` is atomic (decision
 * 0067); by default it asks the server (revisionGuard.ts). Tests pin one way with `lockedWrites`.
 */
export interface ComplaintStoreOptions { guard?: RevisionGuard }

/** A guard that never trusts the compare-and-set alone: every mutation takes the document lock. */
export const lockedWrites: RevisionGuard = { atomic: false, due: () => false, probe: () => Promise.resolve(false) };

export function createComplaintStore(models: ComplaintModels, now: () => Date = () => new Date(), directory?: StaffCounters, links?: LinkMaker, changed?: ComplaintChanged, appended?: EntryAppended, options: ComplaintStoreOptions = {}) {
  const { complaints, timeline } = models;
  const withLock = documentLock(complaints.db);
  const inOrder = inProcessOrdering(complaints.db);
  const guard = options.guard ?? revisionGuard(complaints.db, complaints.collection.collectionName);
  const recent = recentDocuments<ComplaintRecord>(RECENT_COMPLAINTS);
  // Appended entries of all complaints share insert commands under load (groupInsert.ts).
  const insertEntry = groupInsert<AppendedEntry>((docs) => timeline.collection.insertMany(docs as never[], { ordered: false }));

  /**
   * Applies `fn` to the current document, then compare-and-set on `rev`; undefined when there is
   * none. `fn` is told the time the change is written at (the document's `updatedAt`).
   *
   * How the compare-and-set is kept atomic depends on the server (decision 0067, revisionGuard.ts):
   * MongoDB, and FerretDB with the revision guard on `complaints` (the embedded database), make
   * it atomic themselves; then only this process's own writers of the complaint queue in memory
   * and a mutation starts from the document this store wrote last (`recent`), checked by the
   * compare-and-set. Elsewhere FerretDB does not (two updates filtered on the same `rev` can both
   * apply: measured under load as lost classifications), and each mutation takes the complaint's
   * document lock; under one hold of it (decision 0062) the next mutation starts from the document
   * the last one wrote.
   */
  function mutate(id: string, fn: (doc: ComplaintRecord, at: Date) => Mutation): Promise<ComplaintRecord | undefined> {
    const key = `complaint:${id}`;
    if (guard.atomic) return inOrder(key, () => mutateAtomic(id, fn));
    return withLock(key, async (hold) => {
      // Under the lock: the probe's write of an unguarded FerretDB cannot meet another writer.
      if (guard.due() && (await guard.probe(id))) return mutateAtomic(id, fn);
      return mutateUnlocked(id, fn, hold);
    });
  }

  /** The next `$set` of a mutation: its fields, the timeline entry, `updatedAt` and `rev` + 1. */
  function nextOf(doc: ComplaintRecord, change: NonNullable<Mutation>, at: Date) {
    const entry = change.entry && !doc.timeline.some((e) => e.id === change.entry?.id) ? { ...change.entry, when: at } : undefined;
    return {
      ...change.set,
      ...(change.set.staffUpdates ? { staffUpdatesOpen: change.set.staffUpdates.some(unsettled) } : {}),
      updatedAt: at, rev: doc.rev + 1, ...(entry ? { timeline: [...doc.timeline, entry] } : {}),
    };
  }

  /** The compare-and-set itself: 1 when it applied; a write the revision guard refused lost the race like a non-match. */
  async function compareAndSet(doc: ComplaintRecord, next: Record<string, unknown>): Promise<number> {
    try {
      return (await complaints.updateOne({ _id: doc._id, rev: doc.rev }, { $set: next })).modifiedCount;
    } catch (err) {
      if (isRevisionConflict(err)) return 0;
      throw err;
    }
  }

  async function mutateUnlocked(id: string, fn: (doc: ComplaintRecord, at: Date) => Mutation, hold: LockHold): Promise<ComplaintRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const known = hold.remembered as ComplaintRecord | undefined;
      hold.remembered = undefined;
      const doc = known?._id === id ? structuredClone(known) : await complaints.findById(id).lean<ComplaintRecord>();
      if (!doc) return undefined;
      const at = now();
      const change = fn(doc, at);
      if (!change) {
        hold.remembered = structuredClone(doc);
        return doc;
      }
      const next = nextOf(doc, change, at);
      // The lock makes this caller the only writer of the document; the `rev` filter also keeps a
      // writer of another process that does not take it (decision 0067) from being overwritten.
      if ((await compareAndSet(doc, next)) === 1) {
        const saved = { ...doc, ...next } as ComplaintRecord;
        hold.remembered = { ...structuredClone(doc), ...asStored(next) };
        changed?.(saved);
        return saved;
      }
    }
    throw new WriteContention(`complaint ${id}`);
  }

  /**
   * A mutation where the compare-and-set is atomic (decision 0067). It starts from the document
   * this store wrote last when it has one (the compare-and-set refuses it if another process
   * wrote since, and the mutation reads and tries again). A mutation that decides to change
   * nothing is decided again on a fresh read, as the remembered document may be behind.
   */
  async function mutateAtomic(id: string, fn: (doc: ComplaintRecord, at: Date) => Mutation): Promise<ComplaintRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const known = recent.take(id);
      let doc = known ?? await complaints.findById(id).lean<ComplaintRecord>();
      if (!doc) return undefined;
      let at = now();
      let change = fn(doc, at);
      if (!change && known) {
        doc = await complaints.findById(id).lean<ComplaintRecord>();
        if (!doc) return undefined;
        at = now();
        change = fn(doc, at);
      }
      if (!change) {
        recent.keep(id, structuredClone(doc));
        return doc;
      }
      const next = nextOf(doc, change, at);
      if ((await compareAndSet(doc, next)) === 1) {
        const saved = { ...doc, ...next } as ComplaintRecord;
        recent.keep(id, { ...structuredClone(doc), ...asStored(next) } as ComplaintRecord);
        changed?.(saved);
        return saved;
      }
      // Another process wrote it first: read it again (with a short pause when that keeps happening).
      if (attempt > 2) await sleep(Math.min(50, 5 * attempt) + Math.floor(Math.random() * 5));
    }
    throw new WriteContention(`complaint ${id}`);
  }

  /**
   * The fields of a `$set` as the database holds them after it: mongoose gives the subdocuments
   * it casts their defaults (a staff update's `review: null`). Only the fields set, no others.
   */
  function asStored(set: Record<string, unknown>): Record<string, unknown> {
    const cast = complaints.applyDefaults(structuredClone(set)) as Record<string, unknown>;
    return Object.fromEntries(Object.keys(set).map((key) => [key, cast[key]]));
  }

  const { applyStaffUpdates, createdAs, sweepStaffUpdates } = staffUpdates({ complaints, mutate, now, ...(directory ? { directory } : {}) });

  const port: ComplaintsPort = {
    async classificationFacts(id) {
      const doc = await complaints.findById(id).select({ title: 1, description: 1, product: 1, channel: 1 }).lean();
      return doc ? { title: doc.title, description: doc.description, product: doc.product, channel: doc.channel } : null;
    },
    async classify(id, c, entryId) {
      await mutate(id, (doc) => doc.timeline.some((e) => e.id === entryId) ? null : {
        set: { category: c.category, severity: c.severity, departments: [...new Set([...c.departments, ...(doc.broughtIn ?? []).map((b) => b.department)])], status: 'in_progress' },
        entry: { id: entryId, who: 'process', what: `classified as ${c.category}, severity ${c.severity}` },
      });
    },
    async record(id, { entryId, what, status, engineer, departments }) {
      // The staff updates this call created, claimed by it (what the written attempt created).
      let created: StaffUpdate[] = [];
      const doc = await mutate(id, (d, at) => {
        created = [];
        if (d.timeline.some((e) => e.id === entryId)) return null;
        // Load follows the complaint: the new engineer takes it on, the previous one (if any) is relieved; closing relieves the holder.
        let holder = d.loadHolder ?? null;
        const updates: StaffUpdate[] = [];
        const as = createdAs(at);
        if (engineer && engineer !== holder) {
          if (holder) updates.push(loadUpdate(`${entryId}:release`, holder, -1, as));
          updates.push(loadUpdate(`${entryId}:assign`, engineer, 1, as));
          holder = engineer;
        }
        if (status === 'closed' && holder) {
          updates.push(loadUpdate(`${entryId}:close`, holder, -1, as));
          holder = null;
        }
        created = updates;
        return {
          set: {
            ...(status ? { status } : {}),
            ...(engineer ? { engineer } : {}),
            // The departments that must act, next to those brought in already.
            ...(departments ? { departments: [...new Set([...departments, ...(d.broughtIn ?? []).map((b) => b.department)])] } : {}),
            ...(status === 'reopened' ? { reopenCount: d.reopenCount + 1 } : {}),
            ...(updates.length ? { loadHolder: holder, staffUpdates: [...(d.staffUpdates ?? []), ...updates] } : {}),
          },
          entry: { id: entryId, who: 'process', what },
        };
      });
      // The updates it created are applied right away, without a claim of their own. Also after
      // a retry that found its entry written: what an earlier attempt left pending (or claimed
      // longer than STALE_CLAIM_MS ago) is claimed and applied now. The document the mutation
      // returned says whether anything is claimable.
      if (doc) await applyStaffUpdates(id, doc, created);
      return doc !== undefined;
    },
    async openCommitments(id) {
      const doc = await complaints.findById(id).select({ commitments: 1 }).lean();
      return doc ? doc.commitments.filter((c) => c.status === 'open').length : 0;
    },
    async fulfilCommitment(id, commitmentId, entryId) {
      let found = false;
      await mutate(id, (doc) => {
        const commitment = doc.commitments.find((c) => c.id === commitmentId);
        found = Boolean(commitment);
        if (!commitment || commitment.status === 'fulfilled') return null;
        return {
          set: { commitments: doc.commitments.map((c) => (c.id === commitmentId ? { ...c, status: 'fulfilled' as const, fulfilledAt: now() } : c)) },
          entry: { id: entryId, who: 'process', what: `commitment fulfilled: ${commitment.kind}` },
        };
      });
      return found;
    },
    async recordRecommendations(id, recommended, entryId) {
      const doc = await mutate(id, (d) => (d.dispatch?.entryId === entryId ? null : {
        set: { dispatch: { recommended, recommendedAt: now(), entryId } },
      }));
      return doc !== undefined;
    },
    async offerEngineers(id, offered, entryId) {
      const doc = await mutate(id, (d) => d.timeline.some((e) => e.id === entryId) ? null : {
        set: { engineerChoice: { state: 'waiting', offered, offeredAt: now(), chosenStaffId: null, decidedAt: null } },
        entry: { id: entryId, who: 'process', what: `${offered.length} engineers offered to the customer` },
      });
      return doc !== undefined;
    },
    async closeOffer(id, outcome, entryId) {
      const doc = await mutate(id, (d) => {
        const offer = d.engineerChoice;
        if (!offer || offer.state !== 'waiting') return null;
        return {
          set: { engineerChoice: { ...offer, state: outcome, decidedAt: now() } },
          entry: { id: entryId, who: 'process', what: 'no engineer chosen in time: the best recommended is assigned' },
        };
      });
      return doc !== undefined;
    },
    async customerNotice(id) {
      const doc = await complaints.findById(id).select({ contact: 1, number: 1 }).lean<Pick<ComplaintRecord, '_id' | 'contact' | 'number'>>();
      if (!doc) return null;
      // The number the customer saw at intake; a complaint filed before numbers by its id.
      return { complaintNumber: doc.number ?? id, email: doc.contact?.email ?? null, link: links ? links.urlFor(id) : null };
    },
  };

  return {
    port,
    mutate,
    applyStaffUpdates,
    /** Applies what stopped processes left of the complaints' staff updates (the reconciler runs it; staffUpdates.ts). */
    sweepStaffUpdates,
    /** The state a mutation at `at` creates a staff update in: claimed by this caller if it can apply it (pass it to applyStaffUpdates), else pending. */
    createdAs,
    models,
    get: (id: string) => complaints.findById(id).lean<ComplaintRecord>(),
    /** The complaint with its whole timeline: the embedded entries and those appended beside it (timeline.ts). */
    withWholeTimeline: (doc: ComplaintRecord) => withWholeTimeline(timeline, doc),
    /**
     * Appends a timeline entry that changes nothing else on the complaint: one insert beside it
     * (shared with the entries of other complaints appended at the same time), no lock, no read
     * or write of the complaint. Once per entry id: false when a retried request
     * finds it written. The complaint is not read, so an id that names none gets an entry nobody
     * reads (every reader starts from a complaint).
     */
    async append(complaintId: string, entry: Omit<TimelineEntry, 'when'>): Promise<boolean> {
      const doc: AppendedEntry = { _id: appendedEntryId(complaintId, entry.id), complaintId, id: entry.id, who: entry.who, what: entry.what, when: now() };
      if (entry.name !== undefined) doc.name = entry.name;
      const written = await insertEntry(doc);
      // Also after a duplicate: the first attempt may have died before the audit was told.
      appended?.(complaintId);
      return written;
    },
    async create(doc: Omit<ComplaintRecord, 'rev' | 'timeline' | 'createdAt' | 'updatedAt' | 'status' | 'commitments' | 'evaluations' | 'attachments' | 'reopenCount' | 'category' | 'severity' | 'departments' | 'engineer' | 'instanceId'> & { instanceId?: string }) {
      const at = now();
      const record: ComplaintRecord = {
        instanceId: null,
        ...doc,
        category: null, severity: null, departments: [], engineer: null,
        status: 'open', commitments: [], evaluations: [], attachments: [], reopenCount: 0, loadHolder: null, staffUpdates: [], rev: 0,
        timeline: [{ id: randomUUID(), who: `customer:${doc.customerId}`, what: `complaint received via ${doc.channel}`, when: at }],
        createdAt: at, updatedAt: at,
      };
      await complaints.create(record);
      changed?.(record);
      return record;
    },
    async setStatus(id: string, status: ComplaintStatus, what: string, who: string) {
      return mutate(id, () => ({ set: { status }, entry: { id: randomUUID(), who, what } }));
    },
  };
}

export type ComplaintStore = ReturnType<typeof createComplaintStore>;
