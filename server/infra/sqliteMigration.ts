/**
 * Moves a DATA_DIR written by the SQLite-based versions (FerretDB's SQLite files in
 * DATA_DIR/ferretdb) into the embedded PostgreSQL, on the first start after the upgrade
 * (decision 0013). Never starts silently on an empty database next to the old one:
 *
 * 1. a FerretDB on the old SQLite files is started read-side on a free port;
 * 2. `DATA_DIR/sqlite-migration.json` records `copying` with the databases about to be filled;
 *    a start that finds `copying` (a crash mid-copy) drops those databases in PostgreSQL and
 *    copies again;
 * 3. every collection of every database is copied with its indexes, in batches, and counted on
 *    both sides; any difference stops the start with the counts;
 * 4. only then `verified` is recorded and DATA_DIR/ferretdb is renamed to
 *    DATA_DIR/ferretdb-sqlite-migrated (kept: delete it once you trust the new store).
 */
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { embeddedFerretdb, startAndWaitForPort } from './embeddedServers';
import { freePort } from './ports';

/** Documents per insertMany: one multi-row INSERT in FerretDB, far below its hang threshold. */
const BATCH = 100;
const { MongoClient } = mongoose.mongo;
type Db = mongoose.mongo.Db;
const SYSTEM_DATABASES = new Set(['admin', 'local', 'config']);

export interface MigrationOptions {
  ferretdbBinary: string;
  dataDir: string;
  /** MongoDB URI of the new (PostgreSQL-backed) FerretDB, already running. */
  targetUri: string;
  progress: (line: string) => void;
}

export interface MigrationReport {
  databases: Record<string, Record<string, number>>;
  documents: number;
  keptAt: string;
}

interface State {
  state: 'copying' | 'verified';
  databases: string[];
  counts?: Record<string, Record<string, number>>;
  at: string;
}

export class MigrationError extends Error {}

const oldFolder = (dataDir: string) => path.join(dataDir, 'ferretdb');
const stateFile = (dataDir: string) => path.join(dataDir, 'sqlite-migration.json');
export const migratedFolder = (dataDir: string) => path.join(dataDir, 'ferretdb-sqlite-migrated');

/** True when DATA_DIR holds FerretDB SQLite data that has not been moved yet. */
export function needsSqliteMigration(dataDir: string): boolean {
  const dir = oldFolder(dataDir);
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir).some((f) => f.endsWith('.sqlite'));
}

function writeState(dataDir: string, state: State): void {
  const file = stateFile(dataDir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

function readState(dataDir: string): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dataDir), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL's jsonb cannot hold NUL; the SQLite-era projection joined message name and
 * correlation key with one. Strings are rewritten with the unit separator that replaced it.
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.split('\u0000').join('\u001f') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNul(v)]));
  }
  return value;
}

async function copyCollection(source: Db, target: Db, name: string): Promise<number> {
  const indexes = await source.collection(name).listIndexes().toArray();
  await target.createCollection(name).catch((err: unknown) => {
    if ((err as { codeName?: string }).codeName !== 'NamespaceExists') throw err;
  });
  const secondary = indexes.filter((i) => i.name !== '_id_');
  if (secondary.length) {
    await target.collection(name).createIndexes(secondary.map(({ key, name: indexName, unique, sparse }) => ({
      key, name: indexName, ...(unique ? { unique } : {}), ...(sparse ? { sparse } : {}),
    })));
  }
  let copied = 0;
  let batch: Array<Record<string, unknown>> = [];
  for await (const doc of source.collection(name).find({})) {
    batch.push(withoutNul(doc) as Record<string, unknown>);
    if (batch.length === BATCH) {
      await target.collection(name).insertMany(batch, { ordered: true });
      copied += batch.length;
      batch = [];
    }
  }
  if (batch.length) {
    await target.collection(name).insertMany(batch, { ordered: true });
    copied += batch.length;
  }
  return copied;
}

/**
 * Copies the SQLite data into the target and verifies it (see the file comment). Throws a
 * MigrationError naming what differs; the old folder is then left where it was.
 */
export async function migrateSqliteData(options: MigrationOptions): Promise<MigrationReport> {
  const { dataDir, progress } = options;
  const port = await freePort();
  // The old FerretDB runs on the old files: a copy of nothing else, on loopback, stopped after.
  const sourceServer = await embeddedFerretdb({ binary: options.ferretdbBinary, dataDir, port });
  await startAndWaitForPort(sourceServer, port, 30_000);
  const source = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { retryWrites: false, maxPoolSize: 4 });
  const target = await MongoClient.connect(options.targetUri, { retryWrites: false, maxPoolSize: 4 });
  try {
    const listed = await source.db('admin').admin().listDatabases({ nameOnly: true });
    const databases = listed.databases.map((d) => d.name).filter((d) => !SYSTEM_DATABASES.has(d)).sort();
    const earlier = readState(dataDir);
    if (earlier?.state === 'copying') {
      progress(`an earlier migration stopped half-way: dropping its copies (${earlier.databases.join(', ')}) and copying again`);
      for (const name of earlier.databases) await target.db(name).dropDatabase();
    }
    const existing = (await target.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
    const clash = databases.filter((d) => existing.includes(d));
    if (clash.length && earlier?.state !== 'copying') {
      throw new MigrationError(`The new database already has ${clash.join(', ')} while ${oldFolder(dataDir)} still holds the old data: refusing to merge them. Move one of them away and start again.`);
    }
    writeState(dataDir, { state: 'copying', databases, at: new Date().toISOString() });
    const counts: Record<string, Record<string, number>> = {};
    let documents = 0;
    for (const name of databases) {
      counts[name] = {};
      const collections = (await source.db(name).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
      for (const collection of collections) {
        const copied = await copyCollection(source.db(name), target.db(name), collection);
        const [before, after] = await Promise.all([
          source.db(name).collection(collection).countDocuments({}),
          target.db(name).collection(collection).countDocuments({}),
        ]);
        if (before !== after || copied !== before) {
          throw new MigrationError(`${name}.${collection}: ${before} documents in SQLite, ${after} in PostgreSQL after copying ${copied}; the old data is untouched in ${oldFolder(dataDir)}`);
        }
        counts[name][collection] = after;
        documents += after;
        progress(`copied ${name}.${collection}: ${after} documents`);
      }
    }
    writeState(dataDir, { state: 'verified', databases, counts, at: new Date().toISOString() });
    await source.close();
    await sourceServer.stop(5000);
    let keptAt = migratedFolder(dataDir);
    if (fs.existsSync(keptAt)) keptAt = `${keptAt}-${Date.now()}`;
    fs.renameSync(oldFolder(dataDir), keptAt);
    return { databases: counts, documents, keptAt };
  } finally {
    await source.close().catch(() => undefined);
    await target.close().catch(() => undefined);
    await sourceServer.stop(5000);
  }
}
