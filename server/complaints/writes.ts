/**
 * How a complaint document is written (decision 0067): read, change in memory, compare-and-set on
 * `rev`, retried when another writer was first. Whether that compare-and-set is atomic by itself
 * depends on the server (server/db/revisionGuard.ts); where it is not, each write takes the
 * complaint's document lock (decisions 0008, 0062). store.ts says what each write changes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { documentLock, inProcessOrdering, type LockHold } from '../db/documentLock';
import { recentDocuments } from '../db/recentDocuments';
import { isRevisionConflict, revisionGuard, WriteContention, type RevisionGuard } from '../db/revisionGuard';
import type { ComplaintModels, ComplaintRecord, StaffUpdate, TimelineEntry } from './model';

type Change = Partial<Omit<ComplaintRecord, '_id' | 'rev' | 'timeline' | 'createdAt'>>;
/**
 * What a mutation decides: fields to set and the timeline entry that goes with them, if any;
 * null = no change. An entry that changes nothing else is appended instead (store.ts, `append`).
 */
export type Mutation = { set: Change; entry?: Omit<TimelineEntry, 'when'> } | null;

const MAX_ATTEMPTS = 20;
/** Complaints whose last written document a process keeps (decision 0067): the ones in work now. */
const RECENT_COMPLAINTS = 2_000;
const unsettled = (u: StaffUpdate) => u.state === 'pending' || u.state === 'applying';

/** A guard that never trusts the compare-and-set alone: every mutation takes the document lock (tests pin it). */
export const lockedWrites: RevisionGuard = { atomic: false, due: () => false, probe: () => Promise.resolve(false) };

export interface ComplaintWritesDeps {
  complaints: ComplaintModels['complaints'];
  now: () => Date;
  /** Default: ask the server (revisionGuard.ts). */
  guard?: RevisionGuard | undefined;
  /** Told of every document written (store.ts, `ComplaintChanged`). */
  changed?: ((doc: ComplaintRecord) => void) | undefined;
}

/** The `mutate` of a complaint store. */
export function complaintWrites(deps: ComplaintWritesDeps) {
  const { complaints, now, changed } = deps;
  const withLock = documentLock(complaints.db);
  const inOrder = inProcessOrdering(complaints.db);
  const guard = deps.guard ?? revisionGuard(complaints.db, complaints.collection.collectionName);
  const recent = recentDocuments<ComplaintRecord>(RECENT_COMPLAINTS);

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

  return mutate;
}
