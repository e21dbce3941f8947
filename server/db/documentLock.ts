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
 *
 * A lock is let go HOLD_MS after its work, not at once: a caller of this process that comes
 * within that time (or was queued) takes it over without a round trip, with what the previous
 * work remembered (decision 0062).
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

/**
 * What one hold of a lock carries from one caller to the next (decision 0062): `remembered` is
 * whatever the previous work under this same hold left there (the complaint store keeps the
 * document it wrote). Nobody else can have written in between, as the lock was never let go;
 * a new hold starts empty.
 */
export interface LockHold {
  remembered: unknown;
}

interface Held {
  token: string;
  expiresAt: number;
  hold: LockHold;
  release?: NodeJS.Timeout;
}

/**
 * After its work, a lock stays held this long for the next caller of this process (decision
 * 0062): the steps of a complaint come in bursts (a record and the settling of its staff
 * updates, an evaluation's two writes), and each burst then takes the lock once instead of per
 * step. Another process waits at most this much longer.
 */
export const HOLD_MS = 250;
/** A held lock is taken over by the next caller only while this much of its life is left. */
const REUSE_MIN_LEFT_MS = LOCK_TTL_MS / 2;

/** Locks held between callers, per connection. */
const heldLocks = new WeakMap<Connection, Map<string, Held>>();

function heldOn(connection: Connection): Map<string, Held> {
  let held = heldLocks.get(connection);
  if (!held) {
    const table = new Map<string, Held>();
    heldLocks.set(connection, (held = table));
    // A closed connection cannot delete its lock documents: they expire (LOCK_TTL_MS).
    connection.once('close', () => {
      for (const h of table.values()) clearTimeout(h.release);
      table.clear();
    });
  }
  return held;
}

/**
 * Lets go of every lock this connection holds between callers (a graceful stop, before the
 * connection closes), so that a restarted process does not wait for their expiry.
 */
export async function releaseHeldLocks(connection: Connection): Promise<void> {
  const table = heldLocks.get(connection);
  if (!table) return;
  const inOrder = inProcessOrdering(connection);
  await Promise.all([...table.keys()].map((key) => inOrder(key, async () => {
    const held = table.get(key);
    if (!held || held.release === undefined) return;
    clearTimeout(held.release);
    table.delete(key);
    await unlock(connection, key, held).catch(() => undefined);
  })));
}

function unlock(connection: Connection, key: string, held: Held) {
  // Before its expiry (minus a margin for other clocks) nobody else can have removed it.
  return connection.collection<LockDocument>(LOCK_COLLECTION).deleteOne(Date.now() < held.expiresAt - UNLOCK_MARGIN_MS ? { _id: key } : { _id: key, token: held.token });
}

export function documentLock(connection: Connection) {
  const locks = () => connection.collection<LockDocument>(LOCK_COLLECTION);
  const inOrder = inProcessOrdering(connection);
  const table = heldOn(connection);
  return function withLock<T>(key: string, work: (hold: LockHold) => Promise<T>): Promise<T> {
    return inOrder(key, async () => {
      let held = table.get(key);
      if (held) {
        clearTimeout(held.release);
        held.release = undefined;
        if (Date.now() > held.expiresAt - REUSE_MIN_LEFT_MS) {
          table.delete(key);
          await unlock(connection, key, held);
          held = undefined;
        }
      }
      if (!held) held = await acquire(key);
      table.set(key, held);
      const mine = held;
      let failed = true;
      try {
        const result = await work(mine.hold);
        failed = false;
        return result;
      } finally {
        if (failed || connection.readyState !== 1) {
          // After a failure what the work left behind is unknown: let go now. (Its own error is
          // what the caller needs; a lock not let go expires.)
          table.delete(key);
          await unlock(connection, key, mine).catch(() => undefined);
        } else {
          mine.release = setTimeout(() => {
            void inOrder(key, async () => {
              if (table.get(key) !== mine || mine.release === undefined) return;
              table.delete(key);
              // Not letting go only delays the next holder until the lock expires.
              await unlock(connection, key, mine).catch(() => undefined);
            });
          }, HOLD_MS);
          mine.release.unref();
        }
      }
    });
  };

  async function acquire(key: string): Promise<Held> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const expiresAt = Date.now() + LOCK_TTL_MS;
        await locks().insertOne({ _id: key, token, expiresAt: new Date(expiresAt) });
        return { token, expiresAt, hold: { remembered: undefined } };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      await locks().deleteOne({ _id: key, expiresAt: { $lt: new Date() } });
      if (Date.now() > deadline) throw new LockTimeout(key);
      // Jittered backoff so that waiters do not retry in lockstep.
      await sleep(Math.min(50, 2 * attempt) + Math.floor(Math.random() * 5));
    }
  }
}
