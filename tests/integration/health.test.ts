import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import { HealthReportSchema } from '../../server/api/health/router';
import { connectMongo } from '../../server/db/mongo';
import { createHealthCheck } from '../../server/health';
import { createApp } from '../../server/http/app';
import { embeddedFerretdb, startAndWaitForPort } from '../../server/infra/embeddedServers';
import type { ManagedProcess } from '../../server/infra/managedProcess';
import { resolveTools } from '../../server/infra/toolchain';
import { createLogger } from '../../server/log';
import { serve } from '../support/http';
import { testPort } from '../support/ports';
import { startTestWorker, testClient, testEnv, uniqueName } from '../support/servers';

describe('GET /api/health', () => {
  // A FerretDB of this test's own, so that stopping it does not disturb other tests.
  let ferret: ManagedProcess;
  let mongo: Connection;
  let client: Client;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let api: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const port = await testPort();
    const dataDir = fs.mkdtempSync(path.join(testEnv.dir, 'health-'));
    ferret = await embeddedFerretdb({ binary: resolveTools().ferretdb, dataDir, port });
    await startAndWaitForPort(ferret, port, 30_000);
    mongo = await connectMongo(`mongodb://127.0.0.1:${port}/`, 'health_test');
    const taskQueue = uniqueName('health');
    worker = await startTestWorker(taskQueue);
    client = await testClient();
    const health = createHealthCheck({ temporal: client, mongo, taskQueue, probeTimeoutMs: 10_000 });
    api = await serve(createApp({ log: createLogger('silent'), health }));
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await client?.connection.close();
    await mongo?.close();
    await ferret?.stop();
  });

  it('is 200 with every part ok when Temporal, MongoDB and a worker answer', async () => {
    // when
    const res = await fetch(`${api.url}/api/health`);
    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', temporal: 'ok', mongo: 'ok', worker: 'ok' });
  });

  it('ran a real probe workflow through the worker', async () => {
    // given a health check
    await fetch(`${api.url}/api/health`);
    // then Temporal has a completed probe workflow whose result came from the activity
    const probes = client.workflow.list({ query: `WorkflowType = 'healthProbe' AND ExecutionStatus = 'Completed'` });
    let found = 0;
    for await (const probe of probes) {
      if (probe.taskQueue === worker.worker.options.taskQueue) found += 1;
    }
    expect(found).toBeGreaterThanOrEqual(1);
  });

  it('is 503 naming MongoDB when FerretDB is stopped', async () => {
    // given FerretDB is gone
    await ferret.stop();
    // when
    const res = await fetch(`${api.url}/api/health`);
    // then
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'unavailable', temporal: 'ok', mongo: 'down', worker: 'ok' });
    expect(body.errors.mongo).toEqual(expect.any(String));
    expect(body.errors.temporal).toBeUndefined();
    // the request id every error body carries, declared in the report's schema too
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    expect(HealthReportSchema.strict().safeParse(body).success).toBe(true);
  });
});
