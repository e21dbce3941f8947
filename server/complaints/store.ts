/**
 * Reads and writes of complaint documents. FerretDB has no transactions and we avoid
 * positional array updates, so every change is read → change in memory → compare-and-set
 * on `rev`, retried on contention. Timeline entries carry an id and are written once per id,
 * so a retried job or request does not duplicate them.
 */
import { randomUUID } from 'node:crypto';
import type { ComplaintsPort, ComplaintStatus } from '../../activities/integrations/complaintsPort';
import type { ComplaintModels, ComplaintRecord, TimelineEntry } from './model';

type Change = Partial<Omit<ComplaintRecord, '_id' | 'rev' | 'timeline' | 'createdAt'>>;
/** What a mutation decides: fields to set and an optional timeline entry; null = no change. */
type Mutation = { set?: Change; entry?: Omit<TimelineEntry, 'when'> } | null;

const MAX_ATTEMPTS = 20;

export function createComplaintStore(models: ComplaintModels, now: () => Date = () => new Date()) {
  const { complaints } = models;

  /** Applies `fn` to the current document with compare-and-set; undefined when there is none. */
  async function mutate(id: string, fn: (doc: ComplaintRecord) => Mutation): Promise<ComplaintRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const doc = await complaints.findById(id).lean<ComplaintRecord>();
      if (!doc) return undefined;
      const change = fn(doc);
      if (!change) return doc;
      const at = now();
      const entry = change.entry && !doc.timeline.some((e) => e.id === change.entry?.id) ? { ...change.entry, when: at } : undefined;
      const next = { ...change.set, updatedAt: at, rev: doc.rev + 1, ...(entry ? { timeline: [...doc.timeline, entry] } : {}) };
      const res = await complaints.updateOne({ _id: id, rev: doc.rev }, { $set: next });
      if (res.modifiedCount === 1) return { ...doc, ...next } as ComplaintRecord;
    }
    throw new Error(`complaint ${id}: too much write contention`);
  }

  const port: ComplaintsPort = {
    async classificationFacts(id) {
      const doc = await complaints.findById(id).select({ title: 1, description: 1, product: 1, channel: 1 }).lean();
      return doc ? { title: doc.title, description: doc.description, product: doc.product, channel: doc.channel } : null;
    },
    async classify(id, c, entryId) {
      await mutate(id, (doc) => doc.timeline.some((e) => e.id === entryId) ? null : {
        set: { category: c.category, severity: c.severity, departments: c.departments, status: 'in_progress' },
        entry: { id: entryId, who: 'process', what: `classified as ${c.category}, severity ${c.severity}` },
      });
    },
    async record(id, { entryId, what, status, engineer }) {
      const doc = await mutate(id, (d) => d.timeline.some((e) => e.id === entryId) ? null : {
        set: {
          ...(status ? { status } : {}),
          ...(engineer ? { engineer } : {}),
          ...(status === 'reopened' ? { reopenCount: d.reopenCount + 1 } : {}),
        },
        entry: { id: entryId, who: 'process', what },
      });
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
  };

  return {
    port,
    mutate,
    models,
    get: (id: string) => complaints.findById(id).lean<ComplaintRecord>(),
    async create(doc: Omit<ComplaintRecord, 'rev' | 'timeline' | 'createdAt' | 'updatedAt' | 'status' | 'commitments' | 'evaluations' | 'attachments' | 'reopenCount' | 'category' | 'severity' | 'departments' | 'engineer' | 'instanceId'>) {
      const at = now();
      const record: ComplaintRecord = {
        ...doc,
        category: null, severity: null, departments: [], engineer: null, instanceId: null,
        status: 'open', commitments: [], evaluations: [], attachments: [], reopenCount: 0, rev: 0,
        timeline: [{ id: randomUUID(), who: `customer:${doc.customerId}`, what: `complaint received via ${doc.channel}`, when: at }],
        createdAt: at, updatedAt: at,
      };
      await complaints.create(record);
      return record;
    },
    async setStatus(id: string, status: ComplaintStatus, what: string, who: string) {
      return mutate(id, () => ({ set: { status }, entry: { id: randomUUID(), who, what } }));
    },
  };
}

export type ComplaintStore = ReturnType<typeof createComplaintStore>;
