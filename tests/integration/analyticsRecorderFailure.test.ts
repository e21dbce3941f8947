/**
 * The analytics recorder runs on its own, from a timer: a database that refuses its rollup
 * writes mid-pass (here a PostgreSQL trigger under FerretDB) must not end the process with an
 * unhandled rejection. It logs what it lost and keeps counting the complaints after it.
 * (At 10 complaints/s a pass fills the 400-increment batch and writes it mid-pass; a closed
 * connection there crashed the bench's service.)
 */
import type { Connection } from 'mongoose';
import { Client as PgClient } from 'pg';
import { createAnalyticsRecorder } from '../../server/analytics/recorder';
import { analyticsModels } from '../../server/analytics/model';
import type { ComplaintRecord } from '../../server/complaints/model';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { testEnv, uniqueName } from '../support/servers';

const COMPLAINTS = 200;

describe('the analytics recorder when the database refuses its counts', () => {
  const dbName = uniqueName('analytics_refused').replace(/-/g, '_');
  let mongo: Connection;
  let pg: PgClient;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    mongo = await connectMongo(testEnv.mongoUri, dbName);
    pg = new PgClient({ connectionString: testEnv.postgresUrl });
    await pg.connect();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await pg?.end();
    await mongo?.dropDatabase();
    await mongo?.close();
  });

  it('logs the lost increments, keeps counting and never rejects', async () => {
    // given the rollups collection exists and PostgreSQL refuses every write to its table
    const { rollups, facts } = analyticsModels(mongo);
    await rollups.collection.insertOne({ _id: 'probe' } as never);
    await rollups.collection.deleteOne({ _id: 'probe' } as never);
    const { rows } = await pg.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM "${dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'analytics_rollups'`);
    expect(rows).toHaveLength(1);
    await pg.query(`CREATE OR REPLACE FUNCTION "${dbName}".refuse_counts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await pg.query(`CREATE TRIGGER refuse_counts BEFORE INSERT OR UPDATE ON "${dbName}"."${rows[0]!.table}" FOR EACH ROW EXECUTE FUNCTION "${dbName}".refuse_counts()`);

    const warnings: Array<{ msg: string; increments?: number }> = [];
    const log = createLogger('warn', 'test', { write: (line: string) => warnings.push(JSON.parse(line) as { msg: string }) });
    const recorder = createAnalyticsRecorder(mongo, log);
    // when enough complaints are told for a pass to write counts mid-pass
    const filedAt = new Date();
    for (let i = 0; i < COMPLAINTS; i += 1) {
      recorder.complaintChanged({
        _id: `cmp-refused-${i}`, customerId: `cust-${i % 7}`, category: ['appliance', 'delivery', 'billing'][i % 3], departments: ['after-sales'],
        engineer: null, status: 'open', evaluations: [], createdAt: filedAt, instanceId: null,
      } as unknown as ComplaintRecord);
    }
    await recorder.drain();

    // then the refused writes are logged with what they lost, one of them mid-pass
    const lost = warnings.filter((w) => w.msg.startsWith('analytics: adding counts failed'));
    expect(lost.length).toBeGreaterThanOrEqual(2);
    expect(lost.every((w) => (w.increments ?? 0) > 0)).toBe(true);
    // and every complaint after the first failure was still counted (its fact written)
    expect(await facts.countDocuments({})).toBe(COMPLAINTS);
    expect(await rollups.countDocuments({})).toBe(0);
    expect(unhandled).toEqual([]);
  });
});
