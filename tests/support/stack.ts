/**
 * The whole service in-process for integration tests: real FerretDB (a database of the test's
 * own), the real Temporal dev server, a worker on a task queue of its own, and the express
 * app on a loopback port. `api` acts as an admin of the stack's database; `as(role)`,
 * `login(email, password)` and `anonymous` act as others.
 */
import type { Client } from '@temporalio/client';
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
  stop: () => Promise<void>;
}

export async function startStack(options: { allowedHosts?: string[]; worker?: boolean; complaints?: WiringInput['complaints']; metricsToken?: string; alerts?: WiringInput['alerts']; abuse?: WiringInput['abuse'] } = {}): Promise<Stack> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const mongo = await connectMongo(testEnv.mongoUri, uniqueName('stack').replace(/-/g, '_'));
  const client = await testClient();
  const taskQueue = uniqueName('stack');
  const services = wireServices({ workflowBundle: { codePath: testEnv.workflowBundle }, mongo, temporal: client, taskQueue, log, bpmnMaxBytes: 2 * 1024 * 1024, allowedHosts: options.allowedHosts ?? [], complaints: options.complaints, alerts: options.alerts, ...(options.abuse ? { abuse: options.abuse } : {}) });
  const worker = options.worker === false ? undefined : await startTestWorker(taskQueue, services.activityDeps, services.sinks);
  const { close, ...served } = await serveStack({ log, client, mongo, taskQueue, services, metricsToken: options.metricsToken });
  return {
    ...served,
    async stop() {
      await close();
      await worker?.stop();
      await services.drainProjections();
      services.stopProjections();
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
}): Promise<Omit<Stack, 'stop'> & { close: () => Promise<void> }> {
  const { log, client, mongo, taskQueue, services } = parts;
  const app = createApp({
    log,
    health: createHealthCheck({ temporal: client, mongo, taskQueue }),
    mongo,
    definitions: services.definitions,
    instances: services.instances,
    tasks: services.tasks,
    complaints: services.complaints,
    auth: services.auth,
    metrics: services.metrics,
    webRoot: defaultWebRoot(),
    sla: services.sla,
    ...(parts.metricsToken ? { metricsToken: parts.metricsToken } : {}),
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
