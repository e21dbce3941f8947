/**
 * The append-only audit chain of each complaint (collection `audit_entries`): entry n holds a
 * fact of the record and `hash = sha256(prev ‖ canonical JSON of the entry)`, where `prev` is
 * entry n-1's hash (the first entry's prev is sha256 of the complaint id). Changing, removing
 * or reordering an entry breaks every hash after it; `verifyChain` names the first one.
 *
 * No fork: an entry's `_id` is `<complaint>:<seq>`, and the insert against the unique `_id`
 * is the one write FerretDB makes atomic, so of two writers appending seq n only one wins; the
 * other re-reads the chain and appends after it (facts already sealed by the winner are
 * skipped by key). That is the one rule across processes. Within a process, writers of one
 * chain queue in memory (`inProcessOrdering`), so the sealer's own appends do not collide; no
 * database lock: its insert and delete per append bought nothing the `_id` does not already
 * guarantee (decision 0037, amendment).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { inProcessOrdering } from '../db/documentLock';
import { canonicalJson, sha256 } from './canonical';
import type { Fact } from './facts';

export interface AuditEntry {
  _id: string;
  complaintId: string;
  seq: number;
  key: string;
  kind: string;
  at: Date;
  data: Record<string, unknown>;
  /** sha256 of each field of `data`: lets verify name the field that changed. */
  fieldHashes: Record<string, string>;
  prev: string;
  hash: string;
  sealedAt: Date;
}

/** The newest entry of each chain (collection `audit_heads`, one per complaint). */
export interface AuditHead { _id: string; seq: number; hash: string; updatedAt: Date }

const entrySchema = new Schema<AuditEntry>({
  _id: String,
  complaintId: { type: String, required: true, index: true },
  seq: Number, key: String, kind: String, at: Date,
  data: { type: Schema.Types.Mixed, default: {} },
  fieldHashes: { type: Schema.Types.Mixed, default: {} },
  prev: String, hash: String, sealedAt: Date,
}, { versionKey: false, minimize: false });
const headSchema = new Schema<AuditHead>({ _id: String, seq: Number, hash: String, updatedAt: Date }, { versionKey: false });

export function auditModels(connection: Connection) {
  return {
    entries: (connection.models.AuditEntry as Model<AuditEntry> | undefined) ?? connection.model<AuditEntry>('AuditEntry', entrySchema, 'audit_entries'),
    heads: (connection.models.AuditHead as Model<AuditHead> | undefined) ?? connection.model<AuditHead>('AuditHead', headSchema, 'audit_heads'),
  };
}

export const entryId = (complaintId: string, seq: number) => `${complaintId}:${String(seq).padStart(8, '0')}`;
export const genesis = (complaintId: string) => sha256(`audit-chain:${complaintId}`);

/** What the hash covers: everything but the hash itself, the field hashes (derived) and the sealing time. */
export const entryHash = (e: Pick<AuditEntry, 'complaintId' | 'seq' | 'key' | 'kind' | 'at' | 'data' | 'prev'>) =>
  sha256(e.prev + canonicalJson({ complaintId: e.complaintId, seq: e.seq, key: e.key, kind: e.kind, at: e.at, data: e.data }));

export const fieldHashesOf = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, sha256(canonicalJson(v))]));

/** As the database gives it back: undefined is stored as null, so it is hashed as null. */
export function storable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(storable);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, storable(v)]));
  return value;
}

/**
 * Entries per insert command. FerretDB 1.24 writes an insert command as multi-row INSERTs of up to
 * 100 documents each and, past the first of those, goes on with the next after one failed even
 * when the insert is ordered (measured: 150 entries whose first 50 were taken left the 50 after
 * them written and a gap before them). Up to 100 an ordered insert stops at the first taken entry,
 * as the chain needs. 64 keeps clear of that edge; a seal of a lifecycle's facts takes one or two
 * commands (with 16 it took about seven).
 */
const INSERT_BATCH = 64;

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000
  || ((err as { writeErrors?: Array<{ code?: number }> }).writeErrors ?? []).some((w) => w.code === 11000);

export interface ChainProblem {
  complaintId: string;
  seq: number;
  entryId: string;
  /** `data.<name>` for a changed fact, or key, kind, at, prev, hash, seq (a gap or a reorder). */
  field: string;
  message: string;
}

export function auditChain(connection: Connection) {
  const models = auditModels(connection);
  const inOrder = inProcessOrdering(connection);

  async function read(complaintId: string): Promise<AuditEntry[]> {
    return (await models.entries.find({ complaintId }).lean<AuditEntry[]>()).sort((a, b) => a.seq - b.seq);
  }

  /** Appends the facts not yet in the chain, in the order given; returns how many were appended. */
  async function appendUnlocked(complaintId: string, facts: readonly Fact[]): Promise<number> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      // What an append needs of the chain: its keys and its tip, not every sealed fact.
      const chain = (await models.entries.find({ complaintId }, { key: 1, seq: 1, hash: 1 }).lean<Array<Pick<AuditEntry, 'key' | 'seq' | 'hash'>>>())
        .sort((a, b) => a.seq - b.seq);
      const known = new Set(chain.map((e) => e.key));
      const fresh = facts.filter((f) => !known.has(f.key));
      if (fresh.length === 0) return 0;
      let prev = chain.at(-1)?.hash ?? genesis(complaintId);
      let seq = chain.length;
      const now = new Date();
      const entries = fresh.map((fact) => {
        const body = { complaintId, seq, key: fact.key, kind: fact.kind, at: fact.at, data: storable(fact.data) as Record<string, unknown>, prev };
        const hash = entryHash(body);
        prev = hash;
        seq += 1;
        return { _id: entryId(complaintId, body.seq), ...body, fieldHashes: fieldHashesOf(body.data), hash, sealedAt: now };
      });
      try {
        // Ordered inserts of a few entries per command (FerretDB hangs on a command with as many
        // statements as its pool has connections, decision 0013): a conflict stops at the entry
        // another writer took, leaving a chain without gaps (ours before it, the winner's at it).
        for (let i = 0; i < entries.length; i += INSERT_BATCH) {
          await models.entries.collection.insertMany(entries.slice(i, i + INSERT_BATCH) as never[], { ordered: true });
        }
        await models.heads.updateOne({ _id: complaintId }, { $set: { seq: seq - 1, hash: prev, updatedAt: now } }, { upsert: true });
        return fresh.length;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another writer took this sequence number: read its entries and go on after them.
      }
    }
    throw new Error(`audit chain of ${complaintId}: too much write contention`);
  }

  return {
    models,
    read,
    /**
     * Queued per chain in this process; across processes the unique `_id` keeps the chain whole
     * (a writer that loses a sequence number re-reads and appends after the winner).
     */
    append: (complaintId: string, facts: readonly Fact[]) => inOrder(`audit:${complaintId}`, () => appendUnlocked(complaintId, facts)),
    /** For the concurrency test: appends without the in-process queue, relying on the unique `_id` alone. */
    appendUnlocked,
    head: (complaintId: string) => models.heads.findById(complaintId).lean<AuditHead>(),
  };
}

export type AuditChain = ReturnType<typeof auditChain>;

/** The first problem of a chain (entries in stored order), or null when it is whole. */
export function verifyEntries(complaintId: string, entries: readonly AuditEntry[]): ChainProblem | null {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let prev = genesis(complaintId);
  for (let i = 0; i < sorted.length; i += 1) {
    const e = sorted[i]!;
    const problem = (field: string, message: string): ChainProblem => ({ complaintId, seq: e.seq, entryId: e._id, field, message });
    if (e.seq !== i || e._id !== entryId(complaintId, e.seq)) return problem('seq', `expected entry ${i}, found ${e.seq} (an entry is missing or was moved)`);
    if (e.prev !== prev) return problem('prev', 'does not link to the entry before it');
    if (entryHash(e) !== e.hash) {
      const recomputed = fieldHashesOf(e.data ?? {});
      const stored = e.fieldHashes ?? {};
      const names = [...new Set([...Object.keys(recomputed), ...Object.keys(stored)])].sort();
      const changed = names.find((n) => recomputed[n] !== stored[n]);
      return problem(changed ? `data.${changed}` : 'key, kind or at', changed ? `field '${changed}' differs from what was sealed` : 'the entry differs from what was sealed');
    }
    prev = e.hash;
  }
  return null;
}
