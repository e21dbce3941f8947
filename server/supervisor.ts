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
import { deployLimits, executionLimits } from './limits';
import type http from 'node:http';
import path from 'node:path';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { installTemporalRuntime } from './temporal/runtime';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
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
import { embeddedPostgres, postgresAccount, startEmbeddedPostgres } from './infra/embeddedPostgres';
import { secureDataDir } from './infra/dataDir';
import { migrateSqliteData, needsSqliteMigration } from './infra/sqliteMigration';
import { startContainmentIndexKeeper } from './infra/containmentIndexes';
import type { ManagedProcess } from './infra/managedProcess';
import { freePort, waitUntil } from './infra/ports';
import { resolveTools } from './infra/toolchain';
import { scrub, type Logger } from './log';
import { connectClient, connectWorker, ensureSearchAttributes, temporalTarget } from './temporal/connection';
import { AesGcmPayloadCodec, encryptingDataConverter, loadPayloadKeys } from './temporal/payloadCodec';
import { alertSettingsFrom } from './alerts/settings';
import { bundlerLogger, createWorker } from './worker';
import { workflowBundleOptions } from './workflowBundle';
import { wireServices } from './wiring';

/** The longest wait between restarts of a part that keeps dying. */
const RESTART_MAX_DELAY_MS = 30_000;

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

  /**
   * Restarts a part that died on its own, with backoff: 1 s, doubling to RESTART_MAX_DELAY_MS;
   * back to 1 s once it has run a minute. A relaunch that fails counts as another death.
   */
  private restartOnDeath(name: string, relaunch: () => Promise<void>): (detail: string) => void {
    let attempts = 0;
    let upSince = Date.now();
    const died = (detail: string) => {
      if (this.stopping) return;
      if (Date.now() - upSince > 60_000) attempts = 0;
      attempts += 1;
      const delayMs = Math.min(RESTART_MAX_DELAY_MS, 1000 * 2 ** (attempts - 1));
      this.log.error({ part: name, detail: scrub(detail, 4000), attempt: attempts, delayMs }, `${name} stopped unexpectedly; restarting it`);
      setTimeout(() => {
        if (this.stopping) return;
        upSince = Date.now();
        relaunch().then(
          () => this.log.info({ part: name, attempt: attempts }, `${name} restarted`),
          (err: unknown) => died(`restart failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`),
        );
      }, delayMs);
    };
    return died;
  }

  /** An embedded server: restarted (relaunch) when it exits on its own. */
  private watch(proc: ManagedProcess, relaunch: () => Promise<void>): void {
    const died = this.restartOnDeath(proc.name, async () => {
      try {
        await relaunch();
      } catch (err) {
        await proc.stop(2000).catch(() => undefined);
        throw err;
      }
    });
    // The tail stays in DATA_DIR/logs: server output is not for the service log.
    proc.on('crash', ({ code, signal }: { code: number | null; signal: string | null }) => died(`exited with ${signal ?? code}`));
  }

  async start(): Promise<void> {
    const { config, log } = this;
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
      this.watch(temporal, () => startAndWaitForPort(temporal, port, 60_000));
      this.own(temporal.name, () => temporal.stop(3000));
      await this.reap(temporal);
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
      this.watch(pg.process, () => startEmbeddedPostgres(pg));
      this.own(pg.process.name, () => pg.process.stop(5000));
      await this.reap(pg.process);
      await startEmbeddedPostgres(pg);
      const port = config.EMBEDDED_FERRETDB_PORT;
      const ferret = await embeddedFerretdb({ binary: tools.ferretdb, dataDir: config.dataDir, port, postgresUrl: pg.ferretdbUrl });
      this.watch(ferret, () => startAndWaitForPort(ferret, port, 30_000));
      this.own(ferret.name, () => ferret.stop(3000));
      await this.reap(ferret);
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
    // Everything handed to Temporal is encrypted (decision 0023); the codec endpoint decodes for operators.
    const payloadCodec = new AesGcmPayloadCodec(await loadPayloadKeys(config.PAYLOAD_KEYS, config.dataDir));
    const dataConverter = encryptingDataConverter(payloadCodec);
    const client = await this.connectTemporal(target, dataConverter);
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
    const workflowBundle = await bundling;
    const services = wireServices({
      workflowBundle,
      mongo,
      temporal: client,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      log,
      bpmnMaxBytes: config.BPMN_MAX_BYTES,
      allowedHosts: config.HTTP_ALLOWED_HOSTS,
      limits: executionLimits(config),
      deployLimits: deployLimits(config),
      cancelGraceMs: config.CANCEL_GRACE_MS,
      compileTimeoutMs: config.COMPILE_TIMEOUT_MS,
      complaints: await complaintsSettingsFrom(config),
      authTokenTtlHours: config.AUTH_TOKEN_TTL_HOURS,
      abuse: {
        loginMaxFailures: config.LOGIN_MAX_FAILURES, loginLockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
        loginIpMaxFailures: config.LOGIN_IP_MAX_FAILURES, unauthenticatedPerMinute: config.UNAUTHENTICATED_RATE_LIMIT,
      },
      alerts: alertSettingsFrom(config),
      slaIndexRefreshMs: config.SLA_INDEX_REFRESH_SECONDS * 1000,
      reconcileIntervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
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
    if (!config.embeddedTemporal && !config.PAYLOAD_KEYS) {
      log.warn('PAYLOAD_KEYS is not set: Temporal payloads are encrypted with DATA_DIR/payload.keys, which other processes on this Temporal namespace do not have; set the same PAYLOAD_KEYS on every API and worker process (docs/security.md)');
    }
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
    // Message and timer start events of versions deployed before they were recorded (decision 0031).
    await services.recordExistingStarts().catch((err: unknown) => log.warn({ err }, 'start events of earlier deployments not recorded; deploy those processes again'));
    // Photos of versions that kept them under DATA_DIR/attachments move into the database once.
    await importLegacyAttachments({ dir: path.join(config.dataDir, 'attachments'), files: services.attachmentFiles, complaints: services.complaintStore.models.complaints, log });
    // Stopped after the worker (parts stop in reverse order): the last projection writes land.
    this.own('projection writes', async () => {
      await services.drainProjections();
      services.stopProjections();
      await services.stopCompiler();
    });

    if (withWorker) {
      const workerConnection = await connectWorker(target);
      const makeWorker = (): Promise<Worker> => createWorker({
        connection: workerConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        deps: services.activityDeps,
        sinks: services.sinks,
        workflowBundle,
        dataConverter,
      });
      let worker: Worker = await makeWorker();
      let workerDone: Promise<void> = Promise.resolve();
      const runWorker = () => {
        workerDone = worker.run();
        workerDone.then(
          () => { if (!this.stopping) workerDied('stopped'); },
          (err: unknown) => workerDied(err instanceof Error ? err.message : String(err)),
        );
      };
      // A worker that fails (Temporal gone too long) is made anew; its workflows replay from history.
      const workerDied = this.restartOnDeath('Temporal worker', async () => {
        worker = await makeWorker();
        runWorker();
        void services.reconciler.full().catch(() => undefined);
      });
      runWorker();
      this.own('Temporal worker', async () => {
        await services.reconciler.stop();
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await workerDone.catch(() => undefined);
        await workerConnection.close();
      });
      // Read models repaired from the engine: what an unclean stop left stale (decision 0025).
      services.reconciler.start();
      listening.push(`Temporal worker      task queue "${config.TEMPORAL_TASK_QUEUE}" in namespace "${config.TEMPORAL_NAMESPACE}"`);
    } else {
      listening.push(`Temporal worker      none in this process (SERVICE_ROLE=api): \`npm run worker\` processes serve task queue "${config.TEMPORAL_TASK_QUEUE}"`);
    }

    const app = createApp({
      log,
      maxJsonDepth: config.LIMIT_VARIABLE_DEPTH,
      health: createHealthCheck({ temporal: client, mongo, taskQueue: config.TEMPORAL_TASK_QUEUE }),
      mongo,
      bpmnMaxBytes: config.BPMN_MAX_BYTES,
      definitions: services.definitions,
      instances: services.instances,
      tasks: services.tasks,
      migrations: services.migrations,
    jobs: services.jobs,
      signals: services.signals,
      directory: services.directory,
      complaints: services.complaints,
      compliance: services.compliance,
      auth: services.auth,
      metrics: services.metrics,
      sla: services.sla,
      analytics: services.analytics,
      ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
      webRoot: defaultWebRoot(),
      payloadCodec,
    });
    const server = await new Promise<http.Server>((resolve, reject) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
      s.once('error', reject);
    });
    // Stopped first: no new connections, idle keep-alive ones closed, requests in flight
    // answered (up to half the shutdown bound; then their connections are cut).
    this.own('HTTP API', () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), Math.floor(config.SHUTDOWN_TIMEOUT_MS / 2));
      cut.unref();
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

  /** Kills what a supervisor killed with -9 left running of this part (its pid file). */
  private async reap(proc: ManagedProcess): Promise<void> {
    const pid = await proc.reapOrphan();
    if (pid) this.log.warn({ part: proc.name, pid }, 'killed a leftover of an earlier run (its supervisor was killed)');
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
