/**
 * A worker process dies (SIGKILL) while 20 instances wait on a timer after an outbound call; a
 * new worker process (dist/server/workerMain.js, `npm run worker`) takes over from Temporal's
 * history. Every instance completes and the remote side applies each call exactly once: the
 * Idempotency-Key that http.request sends dedupes any second delivery.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { testEnv } from '../support/servers';
import { eventually, startStack, type Stack } from '../support/stack';
import { running, spawnWorker, type WorkerChild } from '../support/workerChild';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
const INSTANCES = 20;

/** A remote "payments" endpoint: slow first delivery per key, idempotent on Idempotency-Key. */
function paymentsEndpoint() {
  const deliveries = new Map<string, number>();
  const applied = new Map<string, Promise<void>>();
  let appliedCount = 0;
  const server = http.createServer((req, res) => {
    const key = req.headers['idempotency-key'];
    req.resume();
    if (typeof key !== 'string' || req.method !== 'POST') {
      res.writeHead(400).end();
      return;
    }
    deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    let effect = applied.get(key);
    if (!effect) {
      effect = new Promise<void>((resolve) => setTimeout(resolve, 1500)).then(() => { appliedCount += 1; });
      applied.set(key, effect);
    }
    void effect.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ charged: true })));
  });
  return {
    deliveries,
    get appliedCount() { return appliedCount; },
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/charges`;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}


describe('a worker process killed mid-flight', () => {
  let stack: Stack;
  const payments = paymentsEndpoint();
  const children: WorkerChild[] = [];
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    workerEnv = {
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      MONGODB_URI: testEnv.mongoUri,
      MONGODB_DATABASE: stack.mongo.name,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      HTTP_ALLOWED_HOSTS: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The stack's client reads what this worker writes: the same payload keys.
      PAYLOAD_KEYS: stack.payloadKeys,
    };
    const deployed = await stack.api('POST', '/api/definitions', fixture('charge-then-wait.bpmn'), 'application/xml');
    expect(deployed.status).toBe(201);
  });

  afterAll(async () => {
    for (const { child, exited } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await payments.close();
    await stack?.stop();
  });

  it('lets a new worker finish every instance, with each charge applied once', async () => {
    // given a worker process and 20 instances that charged an order and now wait on a 4 s timer
    const endpoint = await payments.listen();
    const first = spawnWorker(workerEnv);
    children.push(first);
    await running(first);
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES; i += 1) {
      const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/charge-then-wait/instances', {
        variables: { endpoint, order: `ORDER-${i}` },
      });
      expect(started.status).toBe(201);
      ids.push(started.body.instanceId);
    }
    await eventually<{ items: Array<{ id: string; activeElements: string[] }> }>(stack, '/api/instances?key=charge-then-wait&status=active&pageSize=100',
      (page) => page.items.filter((i) => i.activeElements.includes('wait')).length === INSTANCES, 'all instances waiting on the timer');

    // when the worker is killed while they wait, and a new one starts
    first.child.kill('SIGKILL');
    await first.exited;
    const waitingAtKill = await Promise.all(ids.map(async (id) => (await stack.client.workflow.getHandle(id).describe()).status.name));
    const second = spawnWorker(workerEnv);
    children.push(second);
    await running(second);

    // then every instance completes on the new worker
    expect(waitingAtKill).toEqual(ids.map(() => 'RUNNING'));
    const results = await Promise.all(ids.map((id) => stack.client.workflow.getHandle(id).result() as Promise<{ status: string; variables: { status?: number } }>));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 'completed'));
    expect(results.map((r) => r.variables.status)).toEqual(ids.map(() => 200));
    // and every idempotency key (`${workflowId}:${jobKey}`) was delivered, each applied once
    expect([...payments.deliveries.keys()].map((key) => key.split(':')[0]).sort()).toEqual([...ids].sort());
    expect(payments.appliedCount).toBe(INSTANCES);
    const duplicates = [...payments.deliveries.values()].reduce((sum, n) => sum + n - 1, 0);
    process.stdout.write(`worker crash: ${INSTANCES} instances, ${payments.deliveries.size} keys, ${duplicates} duplicate deliveries\n`);
    // and the projections show them completed
    await eventually<{ items: unknown[] }>(stack, '/api/instances?key=charge-then-wait&status=completed&pageSize=100',
      (page) => page.items.length === INSTANCES, 'completed instances projected');
    // and the new worker stops cleanly on SIGTERM
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
