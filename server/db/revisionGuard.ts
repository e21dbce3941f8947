/**
 * Whether a `rev` compare-and-set of a collection is atomic on the server this process talks to
 * (decision 0067), found out by asking the server, not by configuration:
 *
 * - MongoDB makes `updateOne({ _id, rev })` atomic by itself.
 * - FerretDB does when the revision guard of server/infra/revisionGuards.ts is on the
 *   collection's table (the embedded database: its keeper adds it within one pass). A probe
 *   tells: it rewrites one document's `rev` with the same value in the other numeric type
 *   (int32 ↔ double). The guard refuses that (rev not raised by one) and nothing is written;
 *   without the guard FerretDB writes it, which changes nothing a reader sees.
 * - Any other FerretDB: not atomic; the caller keeps its document lock.
 *
 * The probe writes, so it must run where a plain write of that document is safe: under the
 * caller's document lock. An unguarded answer is asked again later (the keeper may guard the
 * table in the meantime), at growing intervals up to RECHECK_MAX_MS.
 */
import mongoose, { type Connection } from 'mongoose';
import { REVISION_GUARD_MARK } from '../infra/revisionGuards';

const { Double, Int32 } = mongoose.mongo;
type Collection = mongoose.mongo.Collection;

const RECHECK_FIRST_MS = 5_000;
const RECHECK_MAX_MS = 10 * 60_000;

/**
 * A document other writers kept changing under every attempt of a compare-and-set: the caller
 * may try again later (answered 503 with Retry-After, server/http/errors.ts).
 */
export class WriteContention extends Error {
  constructor(what: string) {
    super(`${what}: too much write contention`);
    this.name = 'WriteContention';
  }
}

/** A write the guard refused: another writer raised `rev` first. Handle it as a lost compare-and-set. */
export const isRevisionConflict = (err: unknown): boolean =>
  err instanceof Error && err.message.includes(REVISION_GUARD_MARK);

export interface RevisionGuard {
  /** True once the compare-and-set is known to be atomic; it then stays so. */
  readonly atomic: boolean;
  /** Whether `probe` should run before the next write (never asked, or time to ask again). */
  due(): boolean;
  /** Asks the server, using document `id` if it is FerretDB; call under that document's lock. */
  probe(id: string): Promise<boolean>;
}

export function revisionGuard(connection: Connection, collectionName: string, clock: () => number = Date.now): RevisionGuard {
  let atomic = false;
  let nextCheckAt = 0;
  let interval = RECHECK_FIRST_MS;
  let server: 'mongodb' | 'ferretdb' | undefined;

  async function serverKind(): Promise<'mongodb' | 'ferretdb'> {
    if (!server) {
      const info = await connection.db!.admin().command({ buildInfo: 1 });
      server = 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
    }
    return server;
  }

  async function guarded(collection: Collection, id: string): Promise<boolean> {
    const stored = await collection.findOne({ _id: id as never }, { projection: { rev: 1 }, promoteValues: false });
    const rev = stored?.['rev'] as { _bsontype?: string; valueOf(): unknown } | undefined;
    if (!rev || typeof rev.valueOf() !== 'number') return false;
    const value = Number(rev.valueOf());
    const flipped = rev._bsontype === 'Double' ? new Int32(value) : new Double(value);
    try {
      await collection.updateOne({ _id: id as never, rev: value }, { $set: { rev: flipped } });
      return false;
    } catch (err) {
      if (isRevisionConflict(err)) return true;
      throw err;
    }
  }

  return {
    get atomic() { return atomic; },
    due: () => !atomic && clock() >= nextCheckAt,
    async probe(id) {
      if (atomic) return true;
      atomic = (await serverKind()) === 'mongodb' || (await guarded(connection.db!.collection(collectionName), id));
      if (!atomic) {
        nextCheckAt = clock() + interval;
        interval = Math.min(interval * 2, RECHECK_MAX_MS);
      }
      return atomic;
    },
  };
}
