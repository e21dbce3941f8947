import pg from 'pg';
import type { Connection } from 'mongoose';
import { Schema } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { containmentIndexName, syncContainmentIndexes } from '../../server/infra/containmentIndexes';
import { testEnv, uniqueName } from '../support/servers';

/** How often PostgreSQL used each index of a schema. */
async function indexScans(client: pg.Client, schema: string): Promise<Map<string, number>> {
  const res = await client.query<{ indexrelname: string; idx_scan: string }>(
    'SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE schemaname = $1', [schema]);
  return new Map(res.rows.map((r) => [r.indexrelname, Number(r.idx_scan)]));
}

describe('containment indexes under FerretDB', () => {
  let mongo: Connection;
  let client: pg.Client;
  const dbName = uniqueName('containment').replace(/-/g, '_');

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, dbName);
    client = new pg.Client({ connectionString: testEnv.postgresUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await mongo?.close();
  });

  it('gives _id and every declared index field a GIN twin that finds by equality use', async () => {
    // given a collection with a declared index on `status` and documents in it
    // (enough of them that an index beats reading the table: PostgreSQL plans by cost)
    const Model = mongo.model('Thing', new Schema({ _id: String, status: String, owner: String, note: String }, { versionKey: false }), 'things');
    await Model.init();
    for (let i = 0; i < 3000; i += 100) {
      await Model.insertMany(Array.from({ length: 100 }, (_, j) => ({ _id: `t-${i + j}`, status: j % 30 ? 'closed' : 'open', owner: `o-${j % 10}`, note: 'n'.repeat(400) })));
    }
    await Model.collection.createIndex({ status: 1, owner: 1 });
    // when the keeper runs (the test servers run it every second; one pass here makes it certain)
    await syncContainmentIndexes(client);
    // then the twins exist on FerretDB's table for the collection
    const table = (await client.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'things'`)).rows[0]!.table;
    const names = ['_id', 'status', 'owner'].map((f) => containmentIndexName(table, f));
    const before = await indexScans(client, dbName);
    for (const name of names) expect(before.has(name)).toBe(true);
    // and a find by _id and one by status go through them (PostgreSQL counts the scans)
    expect(await Model.findById('t-60').lean()).toMatchObject({ status: 'open', owner: 'o-0' });
    expect(await Model.countDocuments({ status: 'open' })).toBe(120);
    await client.query('ANALYZE');
    // (an idle backend reports its counts within PostgreSQL's idle interval, 10 s)
    const used = (after: Map<string, number>, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    let after = await indexScans(client, dbName);
    for (let i = 0; i < 100 && (used(after, names[0]!) < 1 || used(after, names[1]!) < 1); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await indexScans(client, dbName);
    }
    expect(used(after, names[0]!)).toBeGreaterThanOrEqual(1);
    expect(used(after, names[1]!)).toBeGreaterThanOrEqual(1);
    // and a second pass creates nothing
    expect((await syncContainmentIndexes(client)).filter((n) => n.startsWith(`${dbName}.`))).toEqual([]);
    // and every twin is written directly, without GIN's pending list
    for (const name of names) expect(await pendingListOf(client, dbName, name)).toEqual({ fastupdate: false, pendingTuples: 0 });
  }, 60_000);

  it('switches a twin made with GIN\'s pending list to direct updates and merges what waits in it', async () => {
    // given a collection whose _id twin was made the way earlier versions made it (fastupdate on)
    const Model = mongo.model('Pending', new Schema({ _id: String, note: String }, { versionKey: false }), 'pending_things');
    await Model.init();
    await Model.create({ _id: 'p-0', note: 'first' });
    const table = (await client.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'pending_things'`)).rows[0]!.table;
    const name = containmentIndexName(table, '_id');
    // (in one transaction: the test servers' own keeper, every second, must not recreate the
    // twin between the drop and the create)
    await client.query('BEGIN');
    await client.query(`DROP INDEX IF EXISTS "${dbName}"."${name}"`);
    await client.query(`CREATE INDEX "${name}" ON "${dbName}"."${table}" USING gin ((_jsonb -> '_id') jsonb_path_ops)`);
    await client.query('COMMIT');
    // and documents inserted since, waiting in its pending list
    await Model.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `p-${i + 1}`, note: 'later' })));
    expect((await pendingListOf(client, dbName, name)).pendingTuples).toBeGreaterThan(0);
    // when the keeper passes
    await syncContainmentIndexes(client);
    // then the twin takes entries directly and its pending list is empty
    expect(await pendingListOf(client, dbName, name)).toEqual({ fastupdate: false, pendingTuples: 0 });
    // and it still finds by _id
    expect(await Model.findById('p-150').lean()).toMatchObject({ note: 'later' });
  }, 60_000);
});

/** Whether a GIN index buffers new entries (fastupdate) and how many wait in its pending list. */
async function pendingListOf(client: pg.Client, schema: string, index: string): Promise<{ fastupdate: boolean; pendingTuples: number }> {
  await client.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
  const qualified = `"${schema}"."${index}"`;
  const options = (await client.query<{ options: string[] | null }>('SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass', [qualified])).rows[0]!.options ?? [];
  const stats = (await client.query<{ pending_tuples: string }>('SELECT pending_tuples FROM pgstatginindex($1::regclass)', [qualified])).rows[0]!;
  return { fastupdate: !options.includes('fastupdate=off'), pendingTuples: Number(stats.pending_tuples) };
}
