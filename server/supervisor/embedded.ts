/**
 * The embedded servers `npm start` runs when TEMPORAL_ADDRESS / MONGODB_URI do not point
 * elsewhere: the Temporal dev server, then PostgreSQL with FerretDB on it (and the keeper of
 * its containment indexes, and the one-time copy of a SQLite-era DATA_DIR). Each is watched
 * (restarted when it dies), owned (stopped at shutdown) and reaped first (a leftover of a
 * supervisor killed with -9).
 */
import type { Config } from '../config';
import { startContainmentIndexKeeper } from '../infra/containmentIndexes';
import { embeddedPostgres, startEmbeddedPostgres } from '../infra/embeddedPostgres';
import { embeddedFerretdb, embeddedTemporal, startAndWaitForPort } from '../infra/embeddedServers';
import { freePort } from '../infra/ports';
import { migrateSqliteData, needsSqliteMigration } from '../infra/sqliteMigration';
import type { ToolPaths } from '../infra/toolchain';
import type { Logger } from '../log';
import type { Parts } from './parts';

/** Starts the Temporal dev server; its address. */
export async function startEmbeddedTemporal(parts: Parts, config: Config, tools: ToolPaths, listening: string[]): Promise<string> {
  const port = config.EMBEDDED_TEMPORAL_PORT;
  const temporal = embeddedTemporal({
    binary: tools.temporalCli,
    dataDir: config.dataDir,
    port,
    uiPort: config.EMBEDDED_TEMPORAL_UI_PORT,
    ui: config.EMBEDDED_TEMPORAL_UI,
    namespace: config.TEMPORAL_NAMESPACE,
  });
  parts.watch(temporal, () => startAndWaitForPort(temporal, port, 60_000, 'EMBEDDED_TEMPORAL_PORT'));
  parts.own(temporal.name, () => temporal.stop(3000));
  await parts.reap(temporal);
  await startAndWaitForPort(temporal, port, 60_000, 'EMBEDDED_TEMPORAL_PORT');
  const address = `127.0.0.1:${port}`;
  listening.push(`Temporal dev server  grpc://${address} (data: ${config.dataDir}/temporal)`);
  if (config.EMBEDDED_TEMPORAL_UI) listening.push(`Temporal Web UI      http://127.0.0.1:${config.EMBEDDED_TEMPORAL_UI_PORT}`);
  return address;
}

/** Starts PostgreSQL and FerretDB on it (copying a SQLite-era DATA_DIR in first); the MongoDB URI. */
export async function startEmbeddedDatabase(parts: Parts, config: Config, log: Logger, tools: ToolPaths, listening: string[]): Promise<string> {
  const pg = embeddedPostgres({
    binary: tools.postgres,
    dataDir: config.dataDir,
    port: config.EMBEDDED_POSTGRES_PORT ?? (await freePort()),
    ...(config.EMBEDDED_POSTGRES_USER ? { runAs: config.EMBEDDED_POSTGRES_USER } : {}),
  });
  parts.watch(pg.process, () => startEmbeddedPostgres(pg));
  parts.own(pg.process.name, () => pg.process.stop(5000));
  await parts.reap(pg.process);
  await startEmbeddedPostgres(pg);
  const port = config.EMBEDDED_FERRETDB_PORT;
  const ferret = await embeddedFerretdb({ binary: tools.ferretdb, dataDir: config.dataDir, port, postgresUrl: pg.ferretdbUrl });
  parts.watch(ferret, () => startAndWaitForPort(ferret, port, 30_000, 'EMBEDDED_FERRETDB_PORT'));
  parts.own(ferret.name, () => ferret.stop(3000));
  await parts.reap(ferret);
  await startAndWaitForPort(ferret, port, 30_000, 'EMBEDDED_FERRETDB_PORT');
  const mongoUri = `mongodb://127.0.0.1:${port}/`;
  listening.push(`PostgreSQL           127.0.0.1:${pg.port} (data: ${config.dataDir}/postgres)`);
  listening.push(`FerretDB (MongoDB)   ${mongoUri} (on PostgreSQL)`);
  const indexes = await startContainmentIndexKeeper({
    url: pg.url,
    onError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'PostgreSQL index check failed; retrying'),
    onCreated: (names) => {
      const guards = names.filter((name) => name.endsWith('(revision guard)')).length;
      log.info({ indexes: names.length - guards, revisionGuards: guards }, 'PostgreSQL containment indexes and revision guards created');
    },
  });
  parts.own('PostgreSQL index keeper', () => indexes.stop());
  if (needsSqliteMigration(config.dataDir)) await copySqliteData(config, log, tools.ferretdb, mongoUri);
  return mongoUri;
}

/** A DATA_DIR of the SQLite-based versions: copied into PostgreSQL and verified before anything else runs. */
async function copySqliteData(config: Config, log: Logger, ferretdbBinary: string, targetUri: string): Promise<void> {
  log.warn({ from: `${config.dataDir}/ferretdb` }, 'this DATA_DIR holds data of the SQLite-based version: copying it into PostgreSQL first');
  const report = await migrateSqliteData({
    ferretdbBinary, dataDir: config.dataDir, targetUri, progress: (line) => log.info(line),
  });
  log.info({ documents: report.documents, keptAt: report.keptAt }, 'SQLite data copied and verified; the old files are kept (delete them once you trust the new store)');
}
