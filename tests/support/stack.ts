/**
 * The whole service in-process for integration tests: real FerretDB (a database of the test's
 * own), the real Temporal dev server, a worker on a task queue of its own, and the express
 * app on a loopback port. `api` acts as an admin of the stack's database; `as(role)`,
 * `login(email, password)` and `anonymous` act as others.
 */
import type { Client } from '@temporalio/client';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { AesGcmPayloadCodec, encryptingDataConverter, newPayloadKey, parsePayloadKeys } from '../../server/temporal/payloadCodec';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../server/db/mongo';
import { createHealthCheck } from '../../server/health';
import { createApp } from '../../server/http/app';
import { defaultWebRoot } from '../../server/http/webApp';
import { createLogger, type Logger } from '../../server/log';
import { wireServices, type Services, type WiringInput } from '../../server/wiring';
import { serve } from './http';
import { startTestWorker, testClient, testEnv, uniqueName } from './servers';
import { waitUntil } from '../../server/infra/ports';
import { instanceStateQuery } from '../../workflows/processInstance/messages';
import { apiClient, stackAuth, type Api, type StackAuth } from './auth';

export { apiClient };

export interface Stack {
  url: string;
  client: Client;
  mongo: Connection;
  services: Services;
  taskQueue: string;
  /** Requests as the stack's admin. */
  api: Api;
  /** Requests without a token. */
  anonymous: Api;
  as: StackAuth['as'];
  login: StackAuth['login'];
  createUser: StackAuth['createUser'];
  /** PAYLOAD_KEYS of the stack's client and worker: a worker process joining the stack needs them. */
  payloadKeys: string;
  /** The encrypting data converter of its client and worker (replays of its histories need it); undefined without encryption. */
  dataConverter: DataConverter | undefined;
  stop: () => Promise<void>;
}

/**
 * `encryptPayloads: false`: Temporal sees plain payloads, as before decision 0023 — only for
 * histories recorded to be committed (tests/replay), which must replay without a key.
 */
export async function startStack(options: {
  allowedHosts?: string[]; worker?: boolean; complaints?: WiringInput['complaints']; metricsToken?: string; alerts?: WiringInput['alerts'];
  encryptPayloads?: boolean;
  abuse?: WiringInput['abuse'];
  /** Another way to the test FerretDB (a proxy the test can cut); default the test FerretDB itself. */
  mongoUri?: string;
  /** Execution limits, deploy limits and the cancel grace period (server/limits.ts); default the service's. */
  limits?: Pick<WiringInput, 'limits' | 'deployLimits' | 'cancelGraceMs' | 'compileTimeoutMs'>;
} = {}): Promise<Stack> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const mongo = await connectMongo(options.mongoUri ?? testEnv.mongoUri, uniqueName('stack').replace(/-/g, '_'));
  // As the service does: everything handed to Temporal encrypted, with a key of this stack's own.
  const payloadKeys = newPayloadKey();
  const payloadCodec = new AesGcmPayloadCodec(parsePayloadKeys(payloadKeys));
  const dataConverter = options.encryptPayloads === false ? undefined : encryptingDataConverter(payloadCodec);
  const client = await testClient(dataConverter);
  const taskQueue = uniqueName('stack');
  const services = wireServices({ workflowBundle: { codePath: testEnv.workflowBundle }, mongo, temporal: client, taskQueue, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: options.allowedHosts ?? [], complaints: options.complaints, alerts: options.alerts, ...options.limits, ...(options.abuse ? { abuse: options.abuse } : {}) });
  const worker = options.worker === false ? undefined : await startTestWorker(taskQueue, services.activityDeps, services.sinks, dataConverter);
  const { close, ...served } = await serveStack({ log, client, mongo, taskQueue, services, metricsToken: options.metricsToken, payloadCodec });
  return {
    ...served,
    payloadKeys,
    dataConverter,
    async stop() {
      await close();
      await worker?.stop();
      await services.drainProjections();
      services.stopProjections();
      await services.stopCompiler();
      services.sla.stop();
      services.alerts?.stop();
      await client.connection.close();
      await mongo.close();
    },
  };
}

/**
 * The express app over already wired services, served on loopback with an admin of the
 * stack's database; shared by every kind of test stack.
 */
export async function serveStack(parts: {
  log: Logger; client: Client; mongo: Connection; taskQueue: string; services: Services; metricsToken?: string | undefined;
  payloadCodec?: PayloadCodec;
}): Promise<Omit<Stack, 'stop' | 'payloadKeys' | 'dataConverter'> & { close: () => Promise<void> }> {
  const { log, client, mongo, taskQueue, services } = parts;
  const app = createApp({
    log,
    health: createHealthCheck({ temporal: client, mongo, taskQueue }),
    mongo,
    definitions: services.definitions,
    instances: services.instances,
    tasks: services.tasks,
    migrations: services.migrations,
    jobs: services.jobs,
    signals: services.signals,
    complaints: services.complaints,
    compliance: services.compliance,
    auth: services.auth,
    metrics: services.metrics,
    webRoot: defaultWebRoot(),
    sla: services.sla,
    analytics: services.analytics,
    ...(parts.metricsToken ? { metricsToken: parts.metricsToken } : {}),
    ...(parts.payloadCodec ? { payloadCodec: parts.payloadCodec } : {}),
  });
  const server = await serve(app);
  const auth = await stackAuth(mongo, server.url);
  return {
    url: server.url,
    client,
    mongo,
    services,
    taskQueue,
    api: auth.admin,
    anonymous: apiClient(server.url),
    as: auth.as,
    login: auth.login,
    createUser: auth.createUser,
    close: server.close,
  };
}

/** Polls the API until `predicate` holds for the response body. */
export async function eventually<T>(stack: Stack, path: string, predicate: (body: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  let last: T | undefined;
  await waitUntil(what, async () => {
    const res = await stack.api<T>('GET', path);
    last = res.body;
    return res.status === 200 && predicate(res.body);
  }, timeoutMs, 100).catch((err: Error) => {
    throw new Error(`${err.message}; last body: ${JSON.stringify(last)}`);
  });
  return last as T;
}

/** What the engine itself says about an instance (its workflow's state query), not the read model. */
export const engineView = (stack: Stack, instanceId: string) => stack.client.workflow.getHandle(instanceId).query(instanceStateQuery);
