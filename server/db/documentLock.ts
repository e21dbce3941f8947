/**
 * A short per-document mutex for read-modify-write on FerretDB. FerretDB 1.24 on SQLite runs
 * an update as "query, then write" without a transaction, so concurrent `$inc`s on one
 * document lose updates (measured: 20 concurrent updateOne $inc added 18, findOneAndUpdate 9;
 * FerretDB issue #3040). The one write it does make atomic is an insert against the unique
 * `_id`, so the lock is a document whose insert only one caller can win.
 *
 * A holder that dies leaves its lock behind; it expires after LOCK_TTL_MS and the next caller
 * removes it. Hold it only for a couple of round trips.
 *
 * Callers in the same process first queue in memory, per key and in arrival order, so only one
 * of them at a time asks the database (decision 0008): waiting by re-inserting the lock document
 * was a storm of failing writes that queued behind SQLite's single writer (bench:complaints
 * measured lock inserts at 1.3 s on average). Other processes still wait by retrying.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';

export const LOCK_COLLECTION = 'document_locks';
const LOCK_TTL_MS = 10_000;
const WAIT_MS = 5_000;
/**
 * Before its expiry (minus this margin for clocks of other processes) nobody else can have
 * removed our lock, so the unlock deletes by `_id` alone — the one filter FerretDB answers
 * from its index (decision 0008). Later it also checks the token, as someone may hold it now.
 */
const UNLOCK_MARGIN_MS = 2_000;

interface LockDocument {
  _id: string;
  token: string;
  expiresAt: Date;
}

export class LockTimeout extends Error {
  constructor(key: string) {
    super(`could not lock '${key}' within ${WAIT_MS} ms`);
    this.name = 'LockTimeout';
  }
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** In-memory FIFO per key: the tail of each key's queue (resolves when its holder is done). */
const localQueues = new WeakMap<Connection, Map<string, Promise<void>>>();

/** Runs `work` after every earlier caller with the same key in this process has finished. */
async function inProcessOrder<T>(queues: Map<string, Promise<void>>, key: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => { done = resolve; });
  const tail = before.then(() => mine);
  queues.set(key, tail);
  try {
    await before;
    return await work();
  } finally {
    done();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

/**
 * The in-memory half of the lock alone: `work` runs after every earlier caller with the same
 * key on this connection (this process) has finished, in arrival order; other processes are
 * not held back. For writers that stay correct without the lock and only should not collide
 * with themselves (the audit chain, decision 0037).
 */
export function inProcessOrdering(connection: Connection) {
  let queues = localQueues.get(connection);
  if (!queues) localQueues.set(connection, (queues = new Map()));
  const local = queues;
  return function inOrder<T>(key: string, work: () => Promise<T>): Promise<T> {
    return inProcessOrder(local, key, work);
  };
}

export function documentLock(connection: Connection) {
  const locks = () => connection.collection<LockDocument>(LOCK_COLLECTION);
  const inOrder = inProcessOrdering(connection);
  return function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return inOrder(key, () => withDatabaseLock(key, work));
  };

  async function withDatabaseLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    let expiresAt: number;
    for (let attempt = 1; ; attempt += 1) {
      try {
        expiresAt = Date.now() + LOCK_TTL_MS;
        await locks().insertOne({ _id: key, token, expiresAt: new Date(expiresAt) });
        break;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      await locks().deleteOne({ _id: key, expiresAt: { $lt: new Date() } });
      if (Date.now() > deadline) throw new LockTimeout(key);
      // Jittered backoff so that waiters do not retry in lockstep.
      await sleep(Math.min(50, 2 * attempt) + Math.floor(Math.random() * 5));
    }
    try {
      return await work();
    } finally {
      await locks().deleteOne(Date.now() < expiresAt - UNLOCK_MARGIN_MS ? { _id: key } : { _id: key, token });
    }
  }
}
