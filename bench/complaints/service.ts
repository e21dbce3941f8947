/**
 * The service under test in a process of its own (forked by bench/complaints.ts): the worker
 * and the API wired as `npm start` wires them, on a loopback port. Sends `ready` with its URL;
 * on `stop` shuts the worker down, drains the projections and sends its measurements.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { connectMongo } from '../../server/db/mongo';
import { createHealthCheck } from '../../server/health';
import { createApp } from '../../server/http/app';
import { createLogger } from '../../server/log';
import { wireServices } from '../../server/wiring';
import { createWorker } from '../../server/worker';
import { AesGcmPayloadCodec, encryptingDataConverter, newPayloadKey, parsePayloadKeys } from '../../server/temporal/payloadCodec';
import { startCpuProfile } from './cpuProfile';
import { profileCommands } from './dbProfile';
import { serve } from './http';
import { childMain, type ParentMessage, type ServiceConfig } from './protocol';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Each part gets 15 s to stop (a worker waiting on a locked database would hold the run). */
const bounded = (what: string, close: () => Promise<unknown>) =>
  Promise.race([close(), sleep(15_000).then(() => { throw new Error(`${what}: no end within 15 s`); })])
    .catch((err: unknown) => console.error(`# service: closing ${String(err)}`));

/** The worker's log: counts SQLITE_BUSY and document-lock timeouts, prints only the first few lines. */
function countingWorkerLog() {
  const counts = { sqliteBusy: 0, lockTimeouts: 0, printed: 0 };
  const logger = new DefaultLogger('WARN', (entry) => {
    const text = `${entry.message} ${JSON.stringify(entry.meta ?? {}, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v))}`;
    if (text.includes('SQLITE_BUSY')) counts.sqliteBusy += 1;
    if (text.includes('LockTimeout')) counts.lockTimeouts += 1;
    if (counts.printed++ < 5) console.error(`[worker ${entry.level}] ${text.slice(0, 400)}`);
  });
  return { logger, counts };
}

childMain<ServiceConfig>('the service', async (config, send) => {
  const profiler = await startCpuProfile(process.env.BENCH_CPU_PROFILE_DIR, 'service');
  const workerLog = countingWorkerLog();
  Runtime.install({ logger: workerLog.logger });
  const log = createLogger('silent');
  const stopRequested = new Promise<void>((resolve) => process.on('message', (m: ParentMessage) => { if (m.type === 'stop') resolve(); }));
  const address = config.temporalAddress;
  // Payloads encrypted as `npm start` encrypts them (decision 0023), with a key of this run's own.
  const dataConverter = encryptingDataConverter(new AesGcmPayloadCodec(parsePayloadKeys(newPayloadKey())));
  const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default', dataConverter });
  const mongo = await connectMongo(config.mongoUri, 'bench', { maxPoolSize: config.mongoPool, monitorCommands: true });
  const db = profileCommands(mongo);
  const workflowBundle = { codePath: config.workflowCodePath };
  const flushMs: number[] = [];
  const flushWaitMs: number[] = [];
  const flushInstances: number[] = [];
  // The service as `npm start` wires it (the shipped lifecycle needs no directory: dispatch names the engineer).
  const services = wireServices({
    workflowBundle, mongo, temporal: client, taskQueue: config.taskQueue, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [],
    projections: {
      flushObserver: {
        flushed({ instances, ms, waitedMs }) {
          flushMs.push(ms);
          flushWaitMs.push(waitedMs);
          flushInstances.push(instances);
        },
      },
    },
  });
  await deployShippedProcesses(services.definitions, log);
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection: workerConnection, namespace: 'default', taskQueue: config.taskQueue, deps: services.activityDeps, sinks: services.sinks, workflowBundle, dataConverter,
  });
  let workerFailure: string | null = null;
  const workerDone = worker.run().catch((err: unknown) => { workerFailure = String(err); });
  const app = createApp({
    log,
    health: createHealthCheck({ temporal: client, mongo, taskQueue: config.taskQueue }),
    mongo,
    definitions: services.definitions,
    instances: services.instances,
    tasks: services.tasks,
    directory: services.directory,
    complaints: services.complaints,
    auth: services.auth,
  });
  const server = await serve(app);
  await send({ type: 'ready', url: server.url });

  await stopRequested;
  const profileFile = await profiler.stop();
  if (profileFile) console.error(`# service: CPU profile of the main thread in ${profileFile}`);
  if (workerFailure === null && worker.getState() !== 'RUNNING') workerFailure = `the worker is ${worker.getState()}`;
  await bounded('HTTP server', server.close);
  await bounded('worker', async () => {
    worker.shutdown();
    await workerDone;
  });
  await bounded('projections', () => services.drainProjections());
  await bounded('worker connection', () => workerConnection.close());
  await bounded('client', () => client.connection.close());
  const dbLines = db.lines(Number(process.env.BENCH_DB_TOP ?? 12));
  const dbCommands = db.commands();
  await bounded('database', () => mongo.close());
  await send({
    type: 'result',
    result: { flushMs, flushWaitMs, flushInstances, sqliteBusy: workerLog.counts.sqliteBusy, lockTimeouts: workerLog.counts.lockTimeouts, dbLines, dbCommands, workerFailure },
  });
});
