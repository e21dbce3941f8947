/**
 * `npm start`: one process that brings up the whole service in order — embedded Temporal and
 * FerretDB unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere, search attributes, the
 * worker, the HTTP API — and takes it down in reverse order on SIGINT/SIGTERM. If any part
 * dies, it says which and exits non-zero. With SERVICE_ROLE=api it runs no worker: one of
 * several API processes in front of shared servers, with `npm run worker` processes apart.
 * Its start-up work (admin, shipped processes, backfills, the attachment import) is safe when
 * several processes start at once.
 */
import type http from 'node:http';
import path from 'node:path';
import { Runtime, DefaultLogger, bundleWorkflowCode, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Connection as MongoConnection } from 'mongoose';
import { setHashConcurrency } from './auth/password';
import { DEFAULT_ADMIN_PASSWORD, type Config } from './config';
import { connectMongo } from './db/mongo';
import { seedDemoIfEmpty } from './domain/seed';
import { seedDemoComplaints } from './domain/seed/complaints';
import { createHealthCheck } from './health';
import { deployShippedProcesses } from './complaints/shippedProcesses';
import { backfillOpenTasks } from './projections/backfill';
import { importLegacyAttachments } from './complaints/attachmentImport';
import { complaintsSettingsFrom } from './complaints/settings';
import { createApp } from './http/app';
import { defaultWebRoot } from './http/webApp';
import { embeddedFerretdb, embeddedTemporal, startAndWaitForPort } from './infra/embeddedServers';
import { embeddedPostgres, startEmbeddedPostgres } from './infra/embeddedPostgres';
import { migrateSqliteData, needsSqliteMigration } from './infra/sqliteMigration';
import { startContainmentIndexKeeper } from './infra/containmentIndexes';
import type { ManagedProcess } from './infra/managedProcess';
import { freePort, waitUntil } from './infra/ports';
import { resolveTools } from './infra/toolchain';
import type { Logger } from './log';
import { connectClient, connectWorker, ensureSearchAttributes, temporalTarget } from './temporal/connection';
import { alertSettingsFrom } from './alerts/settings';
import { bundlerLogger, createWorker } from './worker';
import { workflowBundleOptions } from './workflowBundle';
import { wireServices } from './wiring';

interface Part {
  name: string;
  stop: () => Promise<void>;
}

export class Supervisor {
  private readonly parts: Part[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  private own(name: string, stop: () => Promise<void>): void {
    this.parts.push({ name, stop });
  }

  /** A part died on its own: report it, stop the rest, exit 1. */
  private fail(part: string, detail: string): void {
    this.log.error({ part, detail }, `${part} stopped unexpectedly; shutting down`);
    void this.shutdown(1);
  }

  private watch(proc: ManagedProcess): void {
    proc.on('crash', ({ code, signal, tail }: { code: number | null; signal: string | null; tail: string }) => {
      this.fail(proc.name, `exited with ${signal ?? code}\n${tail}`);
    });
  }

  async start(): Promise<void> {
    const { config, log } = this;
    const listening: string[] = [];
    Runtime.install({
      logger: new DefaultLogger(config.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN'),
      // The SDK's own worker metrics (task slots, poll latencies, …) on a Prometheus endpoint of their own.
      ...(config.TEMPORAL_METRICS_BIND ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.TEMPORAL_METRICS_BIND } } } } : {}),
    });
    const tools = config.embeddedTemporal || config.embeddedMongo ? resolveTools() : undefined;

    let temporalAddress = config.TEMPORAL_ADDRESS;
    if (config.embeddedTemporal && tools) {
      const port = config.EMBEDDED_TEMPORAL_PORT;
      const temporal = embeddedTemporal({
        binary: tools.temporalCli,
        dataDir: config.dataDir,
        port,
        uiPort: config.EMBEDDED_TEMPORAL_UI_PORT,
        ui: config.EMBEDDED_TEMPORAL_UI,
        namespace: config.TEMPORAL_NAMESPACE,
      });
      this.watch(temporal);
      this.own(temporal.name, () => temporal.stop(3000));
      await startAndWaitForPort(temporal, port, 60_000);
      temporalAddress = `127.0.0.1:${port}`;
      listening.push(`Temporal dev server  grpc://${temporalAddress} (data: ${config.dataDir}/temporal)`);
      if (config.EMBEDDED_TEMPORAL_UI) listening.push(`Temporal Web UI      http://127.0.0.1:${config.EMBEDDED_TEMPORAL_UI_PORT}`);
    }

    let mongoUri = config.MONGODB_URI;
    if (config.embeddedMongo && tools) {
      const pg = embeddedPostgres({
        binary: tools.postgres,
        dataDir: config.dataDir,
        port: config.EMBEDDED_POSTGRES_PORT ?? (await freePort()),
        ...(config.EMBEDDED_POSTGRES_USER ? { runAs: config.EMBEDDED_POSTGRES_USER } : {}),
      });
      this.watch(pg.process);
      this.own(pg.process.name, () => pg.process.stop(5000));
      await startEmbeddedPostgres(pg);
      const port = config.EMBEDDED_FERRETDB_PORT;
      const ferret = await embeddedFerretdb({ binary: tools.ferretdb, dataDir: config.dataDir, port, postgresUrl: pg.ferretdbUrl });
      this.watch(ferret);
      this.own(ferret.name, () => ferret.stop(3000));
      await startAndWaitForPort(ferret, port, 30_000);
      mongoUri = `mongodb://127.0.0.1:${port}/`;
      listening.push(`PostgreSQL           127.0.0.1:${pg.port} (data: ${config.dataDir}/postgres)`);
      listening.push(`FerretDB (MongoDB)   ${mongoUri} (on PostgreSQL)`);
      const indexes = await startContainmentIndexKeeper({
        url: pg.url,
        onError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'PostgreSQL index check failed; retrying'),
        onCreated: (names) => log.info({ indexes: names.length }, 'PostgreSQL containment indexes created'),
      });
      this.own('PostgreSQL index keeper', () => indexes.stop());
      if (needsSqliteMigration(config.dataDir)) await this.migrateSqliteData(tools.ferretdb, mongoUri);
    }
    if (!temporalAddress || !mongoUri) throw new Error('unreachable: no Temporal address or MongoDB URI');

    const target = temporalTarget(config, temporalAddress);
    const client = await this.connectTemporal(target);
    this.own('Temporal client', () => client.connection.close());
    const added = await ensureSearchAttributes(client, config.TEMPORAL_NAMESPACE);
    if (added.length) log.info({ added }, 'registered custom search attributes');

    const mongo: MongoConnection = await connectMongo(mongoUri, config.MONGODB_DATABASE, { maxPoolSize: config.MONGODB_POOL_SIZE });
    this.own('MongoDB connection', () => mongo.close());
    // The first embedded start gets a demo directory to try dispatch with (SEED_DEMO=false: none).
    const demoSeeded = config.embeddedMongo && config.SEED_DEMO ? await seedDemoIfEmpty(mongo, log) : undefined;

    setHashConcurrency(config.PASSWORD_HASH_CONCURRENCY);
    // SERVICE_ROLE=api: the HTTP API only; workers run apart (`npm run worker`).
    const withWorker = config.SERVICE_ROLE === 'all';
    // Bundled once: the worker runs it and the API replays histories with it.
    const workflowBundle = await bundleWorkflowCode(workflowBundleOptions(bundlerLogger(log)));
    const services = wireServices({
      workflowBundle,
      mongo,
      temporal: client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      log,
      bpmnMaxBytes: config.BPMN_MAX_BYTES,
      allowedHosts: config.HTTP_ALLOWED_HOSTS,
      complaints: await complaintsSettingsFrom(config),
      authTokenTtlHours: config.AUTH_TOKEN_TTL_HOURS,
      abuse: {
        loginMaxFailures: config.LOGIN_MAX_FAILURES, loginLockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
        loginIpMaxFailures: config.LOGIN_IP_MAX_FAILURES, unauthenticatedPerMinute: config.UNAUTHENTICATED_RATE_LIMIT,
      },
      alerts: alertSettingsFrom(config),
      slaIndexRefreshMs: config.SLA_INDEX_REFRESH_SECONDS * 1000,
      // Other processes' clock changes reach this overview through the SLA feed; with a worker here, its own go out through it.
      slaFeed: { publish: withWorker, followMs: config.SLA_INDEX_FOLLOW_SECONDS * 1000 },
    });
    // Stopped after the projection writes: their last incidents still enqueue (and are dropped).
    // The first full read of the SLA clocks takes seconds per 100,000 clocks: start it now, not on the first overview.
    services.sla.clocks.ready().catch((err: unknown) => log.warn({ err }, 'SLA clock index not read; the overview will retry'));
    this.own('SLA index and alerts', () => {
      services.sla.stop();
      services.alerts?.stop();
      return Promise.resolve();
    });
    if (!config.embeddedMongo && !config.CUSTOMER_LINK_KEY) {
      log.warn('CUSTOMER_LINK_KEY is not set: customer links use DATA_DIR/customer-link.key, so only processes sharing this DATA_DIR verify each other\'s links; set one key on every API and worker process');
    }
    if (config.ADMIN_PASSWORD === DEFAULT_ADMIN_PASSWORD && config.NODE_ENV !== 'test') {
      log.warn('ADMIN_PASSWORD is the documented default: set it, or change the admin password, before anyone else can reach the API');
    }
    await services.auth.ensureAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
    // Idempotent: an unchanged shipped diagram creates no new version.
    await deployShippedProcesses(services.definitions, log);
    await backfillOpenTasks(services.projections, log);
    // Photos of versions that kept them under DATA_DIR/attachments move into the database once.
    await importLegacyAttachments({ dir: path.join(config.dataDir, 'attachments'), files: services.attachmentFiles, complaints: services.complaintStore.models.complaints, log });
    // Stopped after the worker (parts stop in reverse order): the last projection writes land.
    this.own('projection writes', async () => {
      await services.drainProjections();
      services.stopProjections();
    });

    if (withWorker) {
      const workerConnection = await connectWorker(target);
      const worker: Worker = await createWorker({
        connection: workerConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        deps: services.activityDeps,
        sinks: services.sinks,
        workflowBundle,
      });
      const workerDone = worker.run();
      workerDone.then(
        () => { if (!this.stopping) this.fail('Temporal worker', 'stopped'); },
        (err: unknown) => this.fail('Temporal worker', err instanceof Error ? err.message : String(err)),
      );
      this.own('Temporal worker', async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerDone.catch(() => undefined);
        await workerConnection.close();
      });
      listening.push(`Temporal worker      task queue "${config.TEMPORAL_TASK_QUEUE}" in namespace "${config.TEMPORAL_NAMESPACE}"`);
    } else {
      listening.push(`Temporal worker      none in this process (SERVICE_ROLE=api): \`npm run worker\` processes serve task queue "${config.TEMPORAL_TASK_QUEUE}"`);
    }

    const app = createApp({
      log,
      health: createHealthCheck({ temporal: client, mongo, taskQueue: config.TEMPORAL_TASK_QUEUE }),
      mongo,
      bpmnMaxBytes: config.BPMN_MAX_BYTES,
      definitions: services.definitions,
      instances: services.instances,
      tasks: services.tasks,
      directory: services.directory,
      complaints: services.complaints,
      auth: services.auth,
      metrics: services.metrics,
      sla: services.sla,
      ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
      webRoot: defaultWebRoot(),
    });
    const server = await new Promise<http.Server>((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
      s.once('error', reject);
    });
    this.own('HTTP API', () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
    listening.push(`Web app              http://${config.HOST}:${config.PORT}/ (designer, inbox, instances, SLA)`);
    listening.push(`HTTP API             http://${config.HOST}:${config.PORT}/api (health: /api/health, metrics: /metrics)`);
    if (config.TEMPORAL_METRICS_BIND) listening.push(`Temporal SDK metrics http://${config.TEMPORAL_METRICS_BIND}/metrics`);

    process.stdout.write(`\nComplaint BPM is running:\n${listening.map((l) => `  ${l}`).join('\n')}\n\n`);
    if (demoSeeded) this.seedComplaintsInBackground(`http://${config.HOST}:${config.PORT}`, config);
  }

  /**
   * First embedded start: demo complaints in every state, made through the API just started
   * (server/domain/seed/complaints.ts). In the background, so the service is usable at once;
   * stopped with the service; a failure is a warning, not a failed start.
   */
  private seedComplaintsInBackground(baseUrl: string, config: Config): void {
    const { log } = this;
    const abort = new AbortController();
    const done = (async () => {
      const login = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, signal: abort.signal,
        body: JSON.stringify({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`the admin login answered ${login.status}`);
      const { token } = (await login.json()) as { token: string };
      await seedDemoComplaints({ baseUrl, token, signal: abort.signal, progress: (line) => log.info(line) });
      log.info('demo complaints ready (one in every state); SEED_DEMO=false turns this off');
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) log.warn({ err: err instanceof Error ? err.message : String(err) }, 'demo complaints not completed');
    });
    this.own('demo complaints', async () => {
      abort.abort();
      await done;
    });
  }

  /** A DATA_DIR of the SQLite-based versions: copied into PostgreSQL and verified before anything else runs. */
  private async migrateSqliteData(ferretdbBinary: string, targetUri: string): Promise<void> {
    const { log, config } = this;
    log.warn({ from: `${config.dataDir}/ferretdb` }, 'this DATA_DIR holds data of the SQLite-based version: copying it into PostgreSQL first');
    const report = await migrateSqliteData({
      ferretdbBinary, dataDir: config.dataDir, targetUri, progress: (line) => log.info(line),
    });
    log.info({ documents: report.documents, keptAt: report.keptAt }, 'SQLite data copied and verified; the old files are kept (delete them once you trust the new store)');
  }

  private async connectTemporal(target: ReturnType<typeof temporalTarget>): Promise<Client> {
    let client: Client | undefined;
    // The dev server opens its port before its frontend serves requests.
    await waitUntil(`Temporal at ${target.address}`, async () => {
      client ??= await connectClient(target);
      await client.workflowService.describeNamespace({ namespace: target.namespace });
      return true;
    }, 60_000, 300);
    if (!client) throw new Error('unreachable');
    return client;
  }

  /** Stops every part in reverse order; the whole stop is bounded by SHUTDOWN_TIMEOUT_MS. */
  shutdown(code: number): Promise<void> {
    this.stopping ??= (async () => {
      const force = setTimeout(() => {
        this.log.error('shutdown took too long; forcing exit');
        this.exit(code || 1);
      }, this.config.SHUTDOWN_TIMEOUT_MS);
      for (const part of [...this.parts].reverse()) {
        try {
          await part.stop();
          this.log.info({ part: part.name }, 'stopped');
        } catch (err) {
          this.log.warn({ part: part.name, err }, 'error while stopping');
        }
      }
      clearTimeout(force);
      this.exit(code);
    })();
    return this.stopping;
  }
}
