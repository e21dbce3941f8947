import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { embeddedFerretdb, startAndWaitForPort } from '../../server/infra/embeddedServers';
import { embeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/infra/embeddedPostgres';
import type { ManagedProcess } from '../../server/infra/managedProcess';
import { testPort } from '../support/ports';
import { migrateSqliteData, migratedFolder, MigrationError, needsSqliteMigration } from '../../server/infra/sqliteMigration';
import { resolveTools } from '../../server/infra/toolchain';
import { testEnv } from '../support/servers';

const { MongoClient } = mongoose.mongo;
type MongoClientT = InstanceType<typeof MongoClient>;

/** A DATA_DIR as the SQLite-based versions left it: FerretDB's SQLite files with our data. */
async function sqliteEraDataDir(dataDir: string, complaints: number): Promise<void> {
  const port = await testPort();
  const old = await embeddedFerretdb({ binary: resolveTools().ferretdb, dataDir, port });
  await startAndWaitForPort(old, port, 30_000);
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { retryWrites: false });
  try {
    const db = client.db('complaint_bpm');
    await db.collection('complaints').createIndex({ customerId: 1 });
    for (let i = 0; i < complaints; i += 50) {
      await db.collection('complaints').insertMany(Array.from({ length: Math.min(50, complaints - i) }, (_, j) => ({
        _id: `cmp-${i + j}` as never, customerId: `cust-${(i + j) % 7}`, status: 'closed', title: `complaint ${i + j}`,
        timeline: [{ id: `e-${i + j}`, what: 'received', when: new Date(1_700_000_000_000 + i + j) }],
      })));
    }
    // The projection of the SQLite era joined message name and correlation key with NUL.
    await db.collection('instances').insertOne({ _id: 'pi-1' as never, status: 'active', subscriptionKeys: ['complaint-evaluated\u0000cmp-1'] });
    await client.db('other_db').collection('notes').insertOne({ _id: 'n-1' as never, text: 'kept too' });
  } finally {
    await client.close();
    await old.stop(5000);
  }
}

describe('moving a SQLite-era DATA_DIR into PostgreSQL', () => {
  let dataDir: string;
  let pg: EmbeddedPostgres;
  let ferret: ManagedProcess;
  let targetUri: string;
  let target: MongoClientT;
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(testEnv.dir, 'migration-'));
    await sqliteEraDataDir(dataDir, 230);
    pg = embeddedPostgres({ binary: resolveTools().postgres, dataDir, port: await testPort() });
    await startEmbeddedPostgres(pg);
    const port = await testPort();
    ferret = await embeddedFerretdb({ binary: resolveTools().ferretdb, dataDir, port, postgresUrl: pg.ferretdbUrl });
    await startAndWaitForPort(ferret, port, 30_000);
    targetUri = `mongodb://127.0.0.1:${port}/`;
    target = await MongoClient.connect(targetUri, { retryWrites: false });
  }, 120_000);

  afterAll(async () => {
    await target?.close();
    await ferret?.stop(3000);
    await pg?.process.stop(5000);
  });

  it('refuses to merge into a database that already holds the same database', async () => {
    // given the new store already has a complaint_bpm database (e.g. a start that skipped the migration)
    await target.db('complaint_bpm').collection('complaints').insertOne({ _id: 'cmp-new' as never });
    // when migrating, then it stops with a message and leaves the old files in place
    await expect(migrateSqliteData({ ferretdbBinary: resolveTools().ferretdb, dataDir, targetUri, progress: () => undefined }))
      .rejects.toThrow(MigrationError);
    expect(needsSqliteMigration(dataDir)).toBe(true);
    await target.db('complaint_bpm').dropDatabase();
  }, 120_000);

  it('recopies from scratch after a copy that stopped half-way, and verifies the counts', async () => {
    // given a migration that crashed after copying part of the complaints
    fs.writeFileSync(path.join(dataDir, 'sqlite-migration.json'), JSON.stringify({ state: 'copying', databases: ['complaint_bpm', 'other_db'], at: new Date().toISOString() }));
    await target.db('complaint_bpm').collection('complaints').insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: `cmp-${i}` as never })));
    // when the next start migrates
    const report = await migrateSqliteData({ ferretdbBinary: resolveTools().ferretdb, dataDir, targetUri, progress: (l) => lines.push(l) });
    // then every document is there exactly once, with its index and content
    const db = target.db('complaint_bpm');
    expect(report.databases).toEqual({ complaint_bpm: { complaints: 230, instances: 1 }, other_db: { notes: 1 } });
    expect(report.documents).toBe(232);
    expect(await db.collection('complaints').countDocuments({})).toBe(230);
    expect(await db.collection('complaints').findOne({ _id: 'cmp-123' as never })).toMatchObject({ customerId: 'cust-4', title: 'complaint 123', timeline: [{ id: 'e-123', what: 'received' }] });
    expect((await db.collection('complaints').indexes()).map((i) => i.name)).toContain('customerId_1');
    expect(await target.db('other_db').collection('notes').findOne({ _id: 'n-1' as never })).toMatchObject({ text: 'kept too' });
    // NUL (which jsonb cannot hold) became the unit separator the projection now uses
    expect(await db.collection('instances').findOne({ _id: 'pi-1' as never })).toMatchObject({ subscriptionKeys: ['complaint-evaluated\u001fcmp-1'] });
    // and the old files are kept aside, the state says verified, and a next start does nothing
    expect(report.keptAt).toBe(migratedFolder(dataDir));
    expect(fs.readdirSync(report.keptAt).some((f) => f.endsWith('.sqlite'))).toBe(true);
    expect(needsSqliteMigration(dataDir)).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'sqlite-migration.json'), 'utf8'))).toMatchObject({ state: 'verified', counts: report.databases });
    expect(lines).toContain('copied complaint_bpm.complaints: 230 documents');
    expect(lines.some((l) => l.includes('stopped half-way'))).toBe(true);
  }, 180_000);
});
