import pg from 'pg';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { isRevisionConflict, revisionGuard } from '../../server/db/revisionGuard';
import { syncRevisionGuards } from '../../server/infra/revisionGuards';
import { testEnv, uniqueName } from '../support/servers';

/**
 * Decision 0067: FerretDB runs a compare-and-set as a read and a separate write, so two writers
 * that read the same `rev` both write; the revision guard the keeper puts on `complaints` makes
 * PostgreSQL refuse the second.
 */
describe('the revision guard under FerretDB', () => {
  let mongo: Connection;
  let client: pg.Client;
  const dbName = uniqueName('revision_guard').replace(/-/g, '_');

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, dbName);
    client = new pg.Client({ connectionString: testEnv.postgresUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await mongo?.close();
  });

  it('guards complaints once: twelve compare-and-set writers on three connections lose no increment', async () => {
    // given a complaints collection of this database, guarded (the test servers' keeper does it
    // every second; one pass here makes it certain), and a second pass that finds nothing to do
    await mongo.db!.collection('complaints').insertOne({ _id: 'counted' as never, rev: 0, count: 0 });
    await syncRevisionGuards(client);
    expect((await syncRevisionGuards(client)).filter((name) => name.startsWith(`${dbName}.`))).toEqual([]);
    const connections = [mongo, ...(await Promise.all([0, 1].map(() => connectMongo(testEnv.mongoUri, dbName))))];
    try {
      // when twelve writers, four per connection, each add one ten times by read → compare-and-set
      await Promise.all(Array.from({ length: 12 }, async (_, w) => {
        const complaints = connections[w % 3]!.db!.collection<{ _id: string; rev: number; count: number }>('complaints');
        for (let k = 0; k < 10; k += 1) {
          for (;;) {
            const doc = (await complaints.findOne({ _id: 'counted' }))!;
            try {
              const res = await complaints.updateOne({ _id: 'counted', rev: doc.rev }, { $set: { rev: doc.rev + 1, count: doc.count + 1 } });
              if (res.modifiedCount === 1) break;
            } catch (err) {
              if (!isRevisionConflict(err)) throw err;
            }
          }
        }
      }));
      // then every increment is there, each once
      expect(await mongo.db!.collection('complaints').findOne({ _id: 'counted' as never })).toMatchObject({ rev: 120, count: 120 });
    } finally {
      await Promise.all(connections.slice(1).map((c) => c.close()));
    }
  });

  it('refuses a write that does not raise rev by one, and writes nothing of it', async () => {
    // given a guarded complaint at rev 3
    const complaints = mongo.db!.collection<{ _id: string; rev: number; note?: string }>('complaints');
    await complaints.insertOne({ _id: 'stale', rev: 3 });
    await syncRevisionGuards(client);
    // when a writer that read rev 2 writes rev 3 (filtered on _id alone, as FerretDB's own race does)
    const stale = complaints.updateOne({ _id: 'stale' }, { $set: { rev: 3, note: 'from an old read' } });
    // then PostgreSQL refuses it, by a message the writer recognises, and the document is as it was
    const err: unknown = await stale.then(() => undefined, (e: unknown) => e);
    expect(isRevisionConflict(err)).toBe(true);
    expect(await complaints.findOne({ _id: 'stale' })).toEqual({ _id: 'stale', rev: 3 });
  });

  it('lets the probe tell a guarded collection from an unguarded one without changing a value', async () => {
    // given a guarded complaint and a document of a collection nobody guards
    await mongo.db!.collection('complaints').insertOne({ _id: 'probed' as never, rev: 7 });
    await mongo.db!.collection('notes').insertOne({ _id: 'probed' as never, rev: 5, text: 'kept' });
    await syncRevisionGuards(client);
    let clock = 0;
    const guarded = revisionGuard(mongo, 'complaints', () => clock);
    const unguarded = revisionGuard(mongo, 'notes', () => clock);
    // when each is probed
    expect(guarded.due()).toBe(true);
    expect(await guarded.probe('probed')).toBe(true);
    expect(await unguarded.probe('probed')).toBe(false);
    // then the guarded one is atomic for good, the other is asked again only later
    expect(guarded.atomic).toBe(true);
    expect(guarded.due()).toBe(false);
    expect(unguarded.atomic).toBe(false);
    expect(unguarded.due()).toBe(false);
    clock += 5_000;
    expect(unguarded.due()).toBe(true);
    // and neither document changed its value
    expect(await mongo.db!.collection('complaints').findOne({ _id: 'probed' as never })).toEqual({ _id: 'probed', rev: 7 });
    expect(await mongo.db!.collection('notes').findOne({ _id: 'probed' as never })).toEqual({ _id: 'probed', rev: 5, text: 'kept' });
  });
});
