/**
 * Reads and writes of complaint documents. FerretDB has no transactions and we avoid
 * positional array updates, so every change is read → change in memory → compare-and-set
 * on `rev`, retried on contention (writes.ts: with or without a lock, decision 0067). Timeline entries carry an id and are written once per id,
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
import { groupInsert } from '../db/groupInsert';
import type { RevisionGuard } from '../db/revisionGuard';
import type { ComplaintModels, ComplaintRecord, StaffUpdate, TimelineEntry } from './model';
import { complaintWrites, lockedWrites } from './writes';
import { staffUpdates, type StaffCounters } from './staffUpdates';
import { appendedEntryId, withWholeTimeline, type AppendedEntry } from './timeline';

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

export { lockedWrites };

export function createComplaintStore(models: ComplaintModels, now: () => Date = () => new Date(), directory?: StaffCounters, links?: LinkMaker, changed?: ComplaintChanged, appended?: EntryAppended, options: ComplaintStoreOptions = {}) {
  const { complaints, timeline } = models;
  // Appended entries of all complaints share insert commands under load (groupInsert.ts).
  const insertEntry = groupInsert<AppendedEntry>((docs) => timeline.collection.insertMany(docs as never[], { ordered: false }));

  const mutate = complaintWrites({ complaints, now, guard: options.guard, changed });

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
