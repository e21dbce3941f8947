import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { documentLock, LOCK_COLLECTION } from '../../server/db/documentLock';
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
    // then one at a time, first come first served, none timed out, and the lock document is gone
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(await mongo.collection(LOCK_COLLECTION).countDocuments({ _id: 'complaint:queue' as never })).toBe(0);
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
});
