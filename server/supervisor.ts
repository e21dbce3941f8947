/**
 * `npm start`: one process that brings up the whole service in order — embedded Temporal and
 * FerretDB unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere, search attributes, the
 * worker, the HTTP API — and takes it down in reverse order on SIGINT/SIGTERM (the HTTP API
 * first, draining the requests in flight). A part that dies (an embedded server, the worker)
 * is restarted with backoff, 1 s doubling to 30 s (decision 0026); children a supervisor killed
 * with -9 left behind are found by their pid files in DATA_DIR/pids and killed at the next
 * start. With SERVICE_ROLE=api it runs no worker: one of
 * several API processes in front of shared servers, with `npm run worker` processes apart.
 * Its start-up work (admin, shipped processes, backfills, the attachment import) is safe when
 * several processes start at once.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Connection as MongoConnection } from 'mongoose';
import { setHashConcurrency } from './auth/password';
import type { Config } from './config';
import { connectMongo } from './db/mongo';
import { releaseHeldLocks } from './db/documentLock';
import { seedDemoIfEmpty } from './domain/seed';
import { secureDataDir } from './infra/dataDir';
import { postgresAccount } from './infra/embeddedPostgres';
import { waitUntil } from './infra/ports';
import { resolveTools } from './infra/toolchain';
import type { Logger } from './log';
import { connectClient, ensureSearchAttributes, temporalTarget } from './temporal/connection';
import { AesGcmPayloadCodec, encryptingDataConverter, loadPayloadKeys } from './temporal/payloadCodec';
import { installTemporalRuntime } from './temporal/runtime';
import { bundlerLogger } from './worker';
import { workflowBundleOptions } from './workflowBundle';
import { seedComplaintsInBackground } from './supervisor/demoComplaints';
import { startEmbeddedDatabase, startEmbeddedTemporal } from './supervisor/embedded';
import { serveHttp } from './supervisor/http';
import { Parts } from './supervisor/parts';
import { startUpWork, wireFromConfig } from './supervisor/services';
import { startWorker } from './supervisor/worker';

/**
 * The steps of a start, in order; each owns what it started (server/supervisor/parts.ts), so
 * a stop takes them down in reverse: the HTTP API, the worker, the projection writes, the SLA
 * index, the connections, the embedded servers.
 */
export class Supervisor {
  private readonly parts: Parts;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    exit: (code: number) => void = (code) => process.exit(code),
  ) {
    this.parts = new Parts(log, config.SHUTDOWN_TIMEOUT_MS, exit);
  }

  async start(): Promise<void> {
    const { config, log, parts } = this;
    const listening: string[] = [];
    // Temporal's logs through pino; the SDK's own worker metrics (task slots, poll latencies, …) on a Prometheus endpoint of their own.
    installTemporalRuntime(log, { logLevel: config.LOG_LEVEL, metricsBind: config.TEMPORAL_METRICS_BIND });
    // Bundled once (the worker runs it, the API replays histories with it), from the start on:
    // webpack needs nothing the servers below provide, so it runs while they come up.
    const bundling = bundleWorkflowCode(workflowBundleOptions(bundlerLogger(log)));
    bundling.catch(() => undefined); // awaited below; a start that fails earlier must not leave it unhandled
    const tools = config.embeddedTemporal || config.embeddedMongo ? resolveTools() : undefined;
    // Before anything is written there: DATA_DIR 0700 (0710 for PostgreSQL's account when that is not ours), files 0600.
    const pgAccount = config.embeddedMongo ? postgresAccount(config.EMBEDDED_POSTGRES_USER) : undefined;
    const secured = secureDataDir(config.dataDir, pgAccount?.gid);
    if (secured.tightened.length) log.warn({ tightened: secured.tightened.length, first: secured.tightened.slice(0, 5) }, 'DATA_DIR: files and folders others could read were made private (0600 / 0700)');

    const temporalAddress = config.embeddedTemporal && tools ? await startEmbeddedTemporal(parts, config, tools, listening) : config.TEMPORAL_ADDRESS;
    const mongoUri = config.embeddedMongo && tools ? await startEmbeddedDatabase(parts, config, log, tools, listening) : config.MONGODB_URI;
    if (!temporalAddress || !mongoUri) throw new Error('unreachable: no Temporal address or MongoDB URI');

    const target = temporalTarget(config, temporalAddress);
    // Everything handed to Temporal is encrypted (decision 0023); the codec endpoint decodes for operators.
    const payloadCodec = new AesGcmPayloadCodec(await loadPayloadKeys(config.PAYLOAD_KEYS, config.dataDir));
    const dataConverter = encryptingDataConverter(payloadCodec);
    const client = await this.connectTemporal(target, dataConverter);
    parts.own('Temporal client', () => client.connection.close());
    const added = await ensureSearchAttributes(client, config.TEMPORAL_NAMESPACE);
    if (added.length) log.info({ added }, 'registered custom search attributes');

    const mongo: MongoConnection = await connectMongo(mongoUri, config.MONGODB_DATABASE, { maxPoolSize: config.MONGODB_POOL_SIZE });
    // Locks held for a next caller (decision 0062) are let go first, so a restart need not wait them out.
    parts.own('MongoDB connection', async () => {
      await releaseHeldLocks(mongo);
      await mongo.close();
    });
    // The first embedded start gets a demo directory to try dispatch with (SEED_DEMO=false: none).
    const demoSeeded = config.embeddedMongo && config.SEED_DEMO ? await seedDemoIfEmpty(mongo, log) : undefined;

    setHashConcurrency(config.PASSWORD_HASH_CONCURRENCY);
    // SERVICE_ROLE=api: the HTTP API only; workers run apart (`npm run worker`).
    const withWorker = config.SERVICE_ROLE === 'all';
    const workflowBundle = await bundling;
    const services = await wireFromConfig(parts, config, log, { workflowBundle, mongo, client, withWorker });
    await startUpWork(parts, config, log, services);

    if (withWorker) {
      await startWorker(parts, config, { target, services, workflowBundle, dataConverter }, listening);
    } else {
      listening.push(`Temporal worker      none in this process (SERVICE_ROLE=api): \`npm run worker\` processes serve task queue "${config.TEMPORAL_TASK_QUEUE}"`);
    }

    await serveHttp(parts, config, log, { client, mongo, services, payloadCodec }, listening);

    process.stdout.write(`\nComplaint BPM is running:\n${listening.map((l) => `  ${l}`).join('\n')}\n\n`);
    if (demoSeeded) seedComplaintsInBackground(parts, log, `http://${config.HOST}:${config.PORT}`, config);
  }

  private async connectTemporal(target: ReturnType<typeof temporalTarget>, dataConverter: DataConverter): Promise<Client> {
    let client: Client | undefined;
    // The dev server opens its port before its frontend serves requests.
    await waitUntil(`Temporal at ${target.address}`, async () => {
      client ??= await connectClient(target, dataConverter);
      await client.workflowService.describeNamespace({ namespace: target.namespace });
      return true;
    }, 60_000, 300);
    if (!client) throw new Error('unreachable');
    return client;
  }

  /** Stops every part in reverse order; the whole stop is bounded by SHUTDOWN_TIMEOUT_MS. */
  shutdown(code: number): Promise<void> {
    return this.parts.shutdown(code);
  }
}
