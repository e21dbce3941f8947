/**
 * The service in-process like `startStack()` (real FerretDB database of its own, the express
 * app on loopback, a worker with the real activities and projection sinks), but with a
 * choice of Temporal: the shared dev server, or a time-skipping test server of its own whose
 * clock only moves when the test calls `sleep` (so timers are deterministic).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities';
import { connectMongo } from '../../server/db/mongo';
import { createLogger } from '../../server/log';
import { ensureSearchAttributes } from '../../server/temporal/connection';
import { wireServices } from '../../server/wiring';
import { quietRuntime, testClient, testEnv, uniqueName } from './servers';
import { serveStack, type Stack } from './stack';
import { AesGcmPayloadCodec, encryptingDataConverter, newPayloadKey, parsePayloadKeys } from '../../server/temporal/payloadCodec';

export interface ScenarioStack extends Stack {
  /** Moves the workflow clock (time skipping) or waits for real (dev server). */
  sleep: (ms: number) => Promise<void>;
  temporal: 'dev' | 'timeSkipping';
  /** Stops the worker and runs a new one on the same task queue (a worker restart). */
  restartWorker: () => Promise<void>;
}

export async function startScenarioStack(options: { temporal: 'dev' | 'timeSkipping' }): Promise<ScenarioStack> {
  quietRuntime();
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  // As the service does: everything handed to Temporal encrypted (decision 0023).
  const payloadKeys = newPayloadKey();
  const payloadCodec = new AesGcmPayloadCodec(parsePayloadKeys(payloadKeys));
  const dataConverter = encryptingDataConverter(payloadCodec);
  const env = options.temporal === 'timeSkipping'
    ? await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testEnv.testServerBinary } },
      client: { dataConverter },
    })
    : undefined;
  const client: Client = env ? env.client : await testClient(dataConverter);
  // The dev server got them in the global setup; a fresh test server knows none.
  if (env) await ensureSearchAttributes(client, env.namespace ?? 'default');
  const connection = env ? env.nativeConnection : await NativeConnection.connect({ address: testEnv.temporalAddress });
  const mongo = await connectMongo(testEnv.mongoUri, uniqueName('scenarios').replace(/-/g, '_'));
  const taskQueue = uniqueName('scenarios');
  const services = wireServices({ mongo, temporal: client, taskQueue, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: [] });
  const newWorker = () => Worker.create({
    connection,
    taskQueue,
    activities: createActivities(services.activityDeps),
    workflowBundle: { codePath: testEnv.workflowBundle },
    sinks: services.sinks,
    dataConverter,
  });
  let worker = await newWorker();
  let running = worker.run();
  const { close, ...served } = await serveStack({ log, client, mongo, taskQueue, services, payloadCodec });
  return {
    ...served,
    payloadKeys,
    dataConverter,
    temporal: options.temporal,
    sleep: (ms) => (env ? env.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms))),
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await newWorker();
      running = worker.run();
    },
    async stop() {
      await close();
      worker.shutdown();
      await running;
      await services.drainProjections();
      await services.stopCompiler();
      if (env) {
        await env.teardown();
      } else {
        await connection.close();
        await client.connection.close();
      }
      await mongo.close();
    },
  };
}
