import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { documentLock, HOLD_MS, LOCK_COLLECTION, releaseHeldLocks } from '../../server/db/documentLock';
import { testEnv, uniqueName } from '../support/servers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('document lock', () => {
  let mongo: Connection;

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, uniqueName('document_lock').replace(/-/g, '_'));
  });

  afterAll(async () => {
    await mongo?.close();
  });

  const lockDocuments = (key: string) => mongo.collection(LOCK_COLLECTION).countDocuments({ _id: key as never });

  it('lets callers of one process take turns in arrival order, however long the queue', async () => {
    // given a lock and a holder that is slow enough that 12 turns outlast a database waiter's 5 s
    const withLock = documentLock(mongo);
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    // when 12 callers ask for the same key at once
    await Promise.all(Array.from({ length: 12 }, (_, i) => withLock('complaint:queue', async () => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(450);
      order.push(i);
      inside -= 1;
    })));
    // then one at a time, first come first served, none timed out, and the lock document is gone once held no longer
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
    await sleep(HOLD_MS + 150);
    expect(await lockDocuments('complaint:queue')).toBe(0);
  });

  it('still excludes another process (another connection) through the lock document', async () => {
    // given two connections, as two processes would have
    const other = await connectMongo(testEnv.mongoUri, mongo.db!.databaseName);
    try {
      const [a, b] = [documentLock(mongo), documentLock(other)];
      let inside = 0;
      let most = 0;
      const hold = async () => {
        inside += 1;
        most = Math.max(most, inside);
        await sleep(100);
        inside -= 1;
      };
      // when both take the same key repeatedly at the same time
      await Promise.all([...Array.from({ length: 3 }, () => a('staff:s1', hold)), ...Array.from({ length: 3 }, () => b('staff:s1', hold))]);
      // then never both at once
      expect(most).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('keeps a lock HOLD_MS for the next caller of this process, with what the work before remembered', async () => {
    // given a connection whose lock inserts are counted
    const watched = await connectMongo(testEnv.mongoUri, mongo.db!.databaseName, { monitorCommands: true });
    const inserts: string[] = [];
    watched.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'insert' && e.command.insert === LOCK_COLLECTION) inserts.push(String((e.command.documents as Array<{ _id: string }>)[0]?._id));
    });
    try {
      const withLock = documentLock(watched);
      // when three callers come one after another, each within HOLD_MS of the one before
      const seen: unknown[] = [];
      for (const step of [1, 2, 3]) {
        await withLock('complaint:burst', async (hold) => {
          seen.push(hold.remembered);
          hold.remembered = step;
        });
        await sleep(HOLD_MS / 5);
      }
      // then the lock was taken once, each caller found what the one before left, and the lock is still held
      expect(inserts).toEqual(['complaint:burst']);
      expect(seen).toEqual([undefined, 1, 2]);
      expect(await lockDocuments('complaint:burst')).toBe(1);
      // when nobody comes for HOLD_MS, then it is let go, and the next caller takes it anew with nothing remembered
      await sleep(HOLD_MS + 150);
      expect(await lockDocuments('complaint:burst')).toBe(0);
      await withLock('complaint:burst', async (hold) => { seen.push(hold.remembered); });
      expect(inserts).toEqual(['complaint:burst', 'complaint:burst']);
      expect(seen.at(-1)).toBeUndefined();
    } finally {
      await watched.close();
    }
  });

  it('lets go at once after a failed work, and on releaseHeldLocks', async () => {
    const withLock = documentLock(mongo);
    // given a work that remembers something and then fails
    await expect(withLock('complaint:failing', async (hold) => {
      hold.remembered = 'half-done';
      throw new Error('database refused the write');
    })).rejects.toThrow('database refused the write');
    // then the lock is gone at once and the next caller remembers nothing
    expect(await lockDocuments('complaint:failing')).toBe(0);
    await withLock('complaint:failing', async (hold) => { expect(hold.remembered).toBeUndefined(); });
    // and a held lock is let go when the process stops (releaseHeldLocks), not HOLD_MS later
    expect(await lockDocuments('complaint:failing')).toBe(1);
    await releaseHeldLocks(mongo);
    expect(await lockDocuments('complaint:failing')).toBe(0);
  });

  it('keeps another process waiting no longer than the hold after the work', async () => {
    // given a lock held by one process after its work
    const other = await connectMongo(testEnv.mongoUri, mongo.db!.databaseName);
    try {
      let releasedAt = 0;
      await documentLock(mongo)('staff:held', async () => { releasedAt = Date.now(); });
      // when another process asks for it
      let enteredAt = 0;
      await documentLock(other)('staff:held', async () => { enteredAt = Date.now(); });
      // then it gets it once the hold ran out (plus its backoff), not after the lock's expiry
      expect(enteredAt - releasedAt).toBeGreaterThanOrEqual(HOLD_MS - 20);
      expect(enteredAt - releasedAt).toBeLessThan(HOLD_MS + 1500);
    } finally {
      await releaseHeldLocks(other);
      await other.close();
    }
  });
});
