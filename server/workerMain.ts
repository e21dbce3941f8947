/**
 * `npm run worker`: a Temporal worker only (no HTTP API, no embedded servers), to scale out
 * workers or run them apart from the API. Same configuration as `npm start`, but
 * TEMPORAL_ADDRESS and MONGODB_URI must point at running servers, and CUSTOMER_LINK_KEY and
 * PUBLIC_BASE_URL should be those of the API processes (the resolution notice links to the
 * customer page). Stops cleanly on
 * SIGINT/SIGTERM: the worker finishes or hands back its tasks, projection writes land, the
 * connections close.
 */
import { logUnhandledRejections } from './infra/unhandled';
import { deployLimits, executionLimits } from './limits';
import { ConfigError, loadConfig, type Config } from './config';
import { connectMongo } from './db/mongo';
import { releaseHeldLocks } from './db/documentLock';
import { createLogger } from './log';
import { freePort } from './infra/ports';
import { serveWorkerMetrics } from './metrics/workerEndpoint';
import { installTemporalRuntime } from './temporal/runtime';
import { restrictNewFiles, secureDataDir } from './infra/dataDir';
import { connectClient, connectWorker, temporalTarget } from './temporal/connection';
import { AesGcmPayloadCodec, encryptingDataConverter, loadPayloadKeys } from './temporal/payloadCodec';
import { alertSettingsFrom } from './alerts/settings';
import { complaintsSettingsFrom } from './complaints/settings';
import { createWorker } from './worker';
import { wireServices } from './wiring';

function configOrExit(): Config & { TEMPORAL_ADDRESS: string; MONGODB_URI: string } {
  try {
    const config = loadConfig();
    const missing = [config.TEMPORAL_ADDRESS ? '' : 'TEMPORAL_ADDRESS', config.MONGODB_URI ? '' : 'MONGODB_URI'].filter(Boolean);
    if (missing.length) {
      process.stderr.write(`The worker does not start embedded servers: set ${missing.join(' and ')} to the running ones (or use \`npm start\`).\n`);
    } else if (!config.PAYLOAD_KEYS) {
      // A key of its own would make its payloads unreadable to every other process (decision 0023).
      process.stderr.write('The worker needs PAYLOAD_KEYS: the payload keys of the API processes and the other workers (see docs/security.md).\n');
    } else {
      return { ...config, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS!, MONGODB_URI: config.MONGODB_URI! };
    }
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  }
  process.exit(2);
}

async function main(): Promise<void> {
  restrictNewFiles();
  const config = configOrExit();
  const log = createLogger(config.LOG_LEVEL);
  // The keys it may keep in DATA_DIR (customer links, payloads) are private; a pass-through 0710 of `npm start` stays.
  secureDataDir(config.dataDir);
  // The SDK's exporter: where TEMPORAL_METRICS_BIND says, else on a loopback port of its own
  // when this worker serves metrics (its page is read into ours).
  const sdkBind = config.TEMPORAL_METRICS_BIND ?? (config.WORKER_METRICS_PORT ? `127.0.0.1:${await freePort()}` : undefined);
  installTemporalRuntime(log, { logLevel: config.LOG_LEVEL, metricsBind: sdkBind });
  const target = temporalTarget(config, config.TEMPORAL_ADDRESS);
  const dataConverter = encryptingDataConverter(new AesGcmPayloadCodec(await loadPayloadKeys(config.PAYLOAD_KEYS, config.dataDir)));
  const client = await connectClient(target, dataConverter);
  const mongo = await connectMongo(config.MONGODB_URI, config.MONGODB_DATABASE, { maxPoolSize: config.MONGODB_POOL_SIZE });
  if (!config.CUSTOMER_LINK_KEY) {
    log.warn('CUSTOMER_LINK_KEY is not set: the links in resolution notices are signed with DATA_DIR/customer-link.key and verify only on API processes sharing this DATA_DIR; set one key on every API and worker process');
  }
  const services = wireServices({
    mongo,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    log,
    bpmnMaxBytes: config.BPMN_MAX_BYTES,
    allowedHosts: config.HTTP_ALLOWED_HOSTS,
    limits: executionLimits(config),
    deployLimits: deployLimits(config),
    // The resolution notice's customer link: the same key and base URL as the API processes.
    complaints: await complaintsSettingsFrom(config),
    alerts: alertSettingsFrom(config),
    // No overview here: the clocks this worker writes reach the API processes through the SLA feed.
    slaIndex: false,
    slaFeed: { publish: true, followMs: 0 },
    reconcileIntervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
    projections: { lingerMs: config.PROJECTION_LINGER_MS },
  });
  const metricsServer = config.WORKER_METRICS_PORT === undefined ? undefined : await serveWorkerMetrics({
    host: config.HOST,
    port: config.WORKER_METRICS_PORT,
    registry: services.metrics.registry,
    sdkUrl: sdkBind && `http://${sdkBind.replace(/^(0\.0\.0\.0|\[::\]):/, '127.0.0.1:')}/metrics`,
    token: config.METRICS_TOKEN,
    log,
  });
  const connection = await connectWorker(target);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: services.activityDeps,
    sinks: services.sinks,
    concurrency: { workflowTasks: config.WORKER_MAX_WORKFLOW_TASKS, jobs: config.WORKER_MAX_JOBS },
    dataConverter,
  });
  let stopping = false;
  logUnhandledRejections(log, () => stopping);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      log.info({ signal }, 'stopping worker');
      void services.reconciler.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      setTimeout(() => {
        log.error('shutdown took too long; forcing exit');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
  process.stdout.write(`Temporal worker running: task queue "${config.TEMPORAL_TASK_QUEUE}" in namespace "${config.TEMPORAL_NAMESPACE}" at ${config.TEMPORAL_ADDRESS}\n`);
  // Read models repaired from the engine: what an unclean stop left stale (decision 0025).
  services.reconciler.start();
  try {
    await worker.run();
  } finally {
    metricsServer?.close();
    await services.drainProjections();
    services.stopProjections();
    await services.alerts?.drain(2000);
    services.alerts?.stop();
    await connection.close();
    await client.connection.close();
    await releaseHeldLocks(mongo);
    await mongo.close();
  }
  log.info('worker stopped');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
