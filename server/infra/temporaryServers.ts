/**
 * A Temporal dev server and a FerretDB (on a PostgreSQL) of their own, on free loopback ports in
 * a temp folder, ready to use (frontend answering, search attributes registered): what the
 * integration tests and the benchmarks run on. `stop()` stops them and removes the folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectClient, ensureSearchAttributes } from '../temporal/connection';
import { embeddedFerretdb, embeddedTemporal, startAndWaitForPort } from './embeddedServers';
import { embeddedPostgres, startEmbeddedPostgres } from './embeddedPostgres';
import { startContainmentIndexKeeper, type ContainmentIndexKeeper } from './containmentIndexes';
import type { ManagedProcess } from './managedProcess';
import { freePort, waitUntil } from './ports';
import { resolveTools } from './toolchain';

export interface TemporaryServers {
  dir: string;
  temporal: ManagedProcess;
  ferret: ManagedProcess;
  postgres: ManagedProcess;
  /** postgres:// URL of the cluster under FerretDB (tests inspect its indexes). */
  postgresUrl: string;
  temporalAddress: string;
  mongoUri: string;
  stop(): Promise<void>;
}

/**
 * `containmentKeeper: false` leaves the GIN twins to the caller (bench:db compares their settings);
 * `port` picks the servers' ports (tests pick from a range nothing else takes in between).
 */
export async function startTemporaryServers(options: {
  prefix: string; dynamicConfig?: string[]; containmentKeeper?: boolean; port?: () => Promise<number>;
}): Promise<TemporaryServers> {
  const tools = resolveTools();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  // mkdtemp makes it 0700; PostgreSQL runs as another user when we are root and must pass through.
  fs.chmodSync(dir, 0o711);
  const pick = options.port ?? (() => freePort());
  const [temporalPort, ferretPort, postgresPort] = [await pick(), await pick(), await pick()];
  const temporal = embeddedTemporal({
    binary: tools.temporalCli,
    dataDir: dir,
    port: temporalPort,
    ui: false,
    namespace: 'default',
    ...(options.dynamicConfig ? { dynamicConfig: options.dynamicConfig } : {}),
  });
  const pg = embeddedPostgres({ binary: tools.postgres, dataDir: dir, port: postgresPort });
  const ferret = await embeddedFerretdb({ binary: tools.ferretdb, dataDir: dir, port: ferretPort, postgresUrl: pg.ferretdbUrl });
  let indexes: ContainmentIndexKeeper | undefined;
  const stop = async () => {
    await indexes?.stop();
    await Promise.all([temporal.stop(3000), ferret.stop(3000)]);
    await pg.process.stop(5000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([
      startAndWaitForPort(temporal, temporalPort, 60_000),
      startEmbeddedPostgres(pg).then(() => startAndWaitForPort(ferret, ferretPort, 30_000)),
    ]);
    if (options.containmentKeeper !== false) indexes = await startContainmentIndexKeeper({ url: pg.url, intervalMs: 1000, onError: () => undefined });
    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const client = await connectClient({ address: temporalAddress, namespace: 'default' });
    try {
      // The dev server opens its port before its frontend serves requests.
      await waitUntil('Temporal frontend', async () => {
        await client.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      }, 60_000, 300);
      await ensureSearchAttributes(client, 'default');
    } finally {
      await client.connection.close();
    }
    return { dir, temporal, ferret, postgres: pg.process, postgresUrl: pg.url, temporalAddress, mongoUri: `mongodb://127.0.0.1:${ferretPort}/`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
