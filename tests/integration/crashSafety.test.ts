/**
 * Crash safety (issue 12 item 5, decision 0025): what an unclean stop leaves behind is repaired
 * or completed, never duplicated.
 *
 * - Read models: a worker whose projection writes never land (as when it is killed before it
 *   flushes, or the database is down until the writer gives up) leaves the inbox and the
 *   instance list behind the engine; the reconciler brings them to what the engine says.
 * - Intake: an Idempotency-Key written without its complaint (the request died in between)
 *   is completed by the retry, not answered 409 forever.
 * - Evaluation: stored before the message that closes the complaint is delivered; when storing
 *   fails, the process has not heard of it, and the retry with the same key completes it once.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { deployShippedProcesses } from '../../server/complaints/shippedProcesses';
import { instanceStateQuery } from '../../workflows/processInstance/messages';
import { processInstanceIdOf } from '../../server/complaints/service';
import { waitUntil } from '../../server/infra/ports';
import { subscriptionKey } from '../../server/projections/models';
import { startTestWorker, testEnv } from '../support/servers';
import { tcpProxy, type TcpProxy } from '../support/tcpProxy';
import { startStack, type Stack } from '../support/stack';
import { intake } from './complaintSupport';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

const engineView = (stack: Stack, id: string) => stack.client.workflow.getHandle(id).query(instanceStateQuery);
const inboxOf = async (stack: Stack, instanceId: string) =>
  (await stack.services.projections.openTasks.find({ instanceId }).lean()).map((t) => `${t.elementId}:${t.state}`).sort();

describe('read models repaired from the engine after lost projection writes', () => {
  let stack: Stack;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  /** Incident alerts (ALERT_WEBHOOK_URL) reach this receiver. */
  const alerts: Array<{ data: { kind: string; instance: string; element: string } }> = [];
  const hook = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      alerts.push(JSON.parse(raw) as (typeof alerts)[number]);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
    stack = await startStack({ worker: false, alerts: { channel: 'webhook', url: hookUrl, baseDelayMs: 20 } });
    // A worker whose snapshots never reach the database: every projection write is lost.
    worker = await startTestWorker(stack.taskQueue, stack.services.activityDeps, { projection: { instanceChanged: { fn: () => undefined } } }, stack.dataConverter);
    expect((await stack.api('POST', '/api/definitions', fixture('support-ticket.bpmn'), 'application/xml')).status).toBe(201);
  });

  afterAll(async () => {
    await worker?.stop();
    await stack?.stop();
    hook.closeAllConnections();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('brings the inbox and the instance list to what the engine says, at each step, and ends ended instances', async () => {
    // given an instance waiting on its user task, with nothing projected
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/support-ticket/instances', { variables: { amount: 5, ticketId: `T-${randomUUID()}` } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    await waitUntil('review open in the engine', async () => (await engineView(stack, id)).tasks.some((t) => t.elementId === 'review'), 20_000, 100);
    expect(await inboxOf(stack, id)).toEqual([]);

    // when the full pass runs (as at worker start)
    await stack.services.reconciler.full();

    // then the inbox shows the engine's task and the instance list its state
    expect(await inboxOf(stack, id)).toEqual(['review:open']);
    const listed = await stack.services.projections.instances.findById(id).lean();
    expect(listed).toMatchObject({ status: 'active', activeElements: ['review'] });

    // when the task is completed (its close is lost too) and the cheap pass cannot see it, the full pass can
    const task = (await stack.services.projections.openTasks.findOne({ instanceId: id }).lean())!;
    expect((await stack.api('POST', `/api/tasks/${task._id}/complete`, { variables: {} })).status).toBe(200);
    await waitUntil('review completed in the engine', async () => (await engineView(stack, id)).activeElements.includes('wait-for-customer'), 20_000, 100);
    expect(await inboxOf(stack, id)).toEqual(['review:open']);
    await stack.services.reconciler.full();
    expect(await inboxOf(stack, id)).toEqual([]);
    expect((await stack.services.projections.tasks.findById(task._id).lean())?.state).toBe('completed');
    expect((await stack.services.projections.instances.findById(id).lean())?.activeElements).toEqual(['wait-for-customer']);

    // when the instance ends (by terminate, which the workflow never reports) the cheap pass sees the disagreement
    await stack.client.workflow.getHandle(id).terminate('test');
    await waitUntil('not running in visibility', async () => {
      const listedRunning = stack.client.workflow.list({ query: `WorkflowId = '${id}' AND ExecutionStatus = 'Running'` });
      for await (const _ of listedRunning) return false;
      return true;
    }, 20_000, 200);
    const pass = await stack.services.reconciler.cheap();
    expect(pass).toMatchObject({ repaired: 1, failed: 0 });
    expect((await stack.services.projections.instances.findById(id).lean())?.status).toBe('terminated');
    // and a second pass finds nothing to do
    expect(await stack.services.reconciler.cheap()).toMatchObject({ repaired: 0 });
  });

  it('lists and alerts an incident whose projection was lost once the engine is asked', async () => {
    // given an instance stuck on an incident (a FEEL range over the iteration limit), with nothing projected
    const xml = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
      <bpmn:process id="lost-incident" isExecutable="true"><bpmn:startEvent id="S" />
      <bpmn:scriptTask id="Work"><bpmn:extensionElements><zeebe:script expression="=for x in 1..n return x" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="E" /><bpmn:sequenceFlow id="A" sourceRef="S" targetRef="Work" /><bpmn:sequenceFlow id="B" sourceRef="Work" targetRef="E" /></bpmn:process></bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', xml, 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/lost-incident/instances', { variables: { n: 1e9 } });
    const id = started.body.instanceId;
    await waitUntil('the incident in the engine', async () => (await engineView(stack, id)).incidents.length === 1, 20_000, 100);
    const listed = async () => (await stack.api<{ items: Array<{ instanceId: string; elementId: string }> }>('GET', '/api/incidents?key=lost-incident')).body.items;
    expect(await listed()).toEqual([]);
    expect(alerts.filter((a) => a.data.instance === id)).toEqual([]);
    // when the cheap pass runs (running in Temporal, unknown to the read model)
    await stack.services.reconciler.cheap();
    // then the incident is listed where operators look for it
    expect(await listed()).toEqual([expect.objectContaining({ instanceId: id, elementId: 'Work' })]);
    expect((await stack.api<{ items: Array<{ id: string }> }>('GET', '/api/instances?hasIncidents=true')).body.items.map((i) => i.id)).toContain(id);
    // and alerted, once
    await waitUntil('the incident alert', async () => Promise.resolve(alerts.some((a) => a.data.instance === id)), 20_000, 50);
    expect(alerts.filter((a) => a.data.instance === id).map((a) => a.data)).toEqual([expect.objectContaining({ kind: 'incident', instance: id, element: 'Work' })]);
    await stack.services.reconciler.full();
    await stack.services.alerts!.drain(5_000);
    expect(alerts.filter((a) => a.data.instance === id)).toHaveLength(1);
  });
});

describe('intake and evaluation after an interrupted request', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const admin = async () => {
    const user = await stack.createUser({ roles: ['admin'] });
    return (await stack.login(user.email, user.password)).token;
  };
  const post = async (url: string, body: unknown, key: string) => fetch(`${stack.url}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await admin()}`, 'idempotency-key': key },
    body: JSON.stringify(body),
  });

  it('completes an intake whose key was written without its complaint, once', async () => {
    // given a key document left by a request that died before writing its complaint
    const key = `intake-${randomUUID()}`;
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    const complaintId = `cmp-${randomUUID()}`;
    const keyId = createHash('sha256').update(`${customer}\u0000${key}`).digest('hex');
    await stack.services.complaintStore.models.intakeKeys.create({ _id: keyId, complaintId, createdAt: new Date() });

    // when the client retries with the same key (twice at once)
    const [a, b] = await Promise.all([post('/api/complaints', intake(customer), key), post('/api/complaints', intake(customer), key)]);

    // then the complaint of that key is filed once, with its lifecycle under the derived id
    const bodies = await Promise.all([a, b].map(async (r) => (await r.json()) as { id: string; instanceId: string }));
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(bodies.map((x) => x.id)).toEqual([complaintId, complaintId]);
    expect(bodies[0]!.instanceId).toBe(processInstanceIdOf(complaintId));
    expect((await stack.client.workflow.getHandle(processInstanceIdOf(complaintId)).describe()).status.name).toBe('RUNNING');
    expect(await stack.services.complaintStore.models.complaints.countDocuments({ customerId: customer })).toBe(1);
  });

  it('starts the process of a complaint whose intake died after writing it, once', async () => {
    // given a complaint written by an intake that died before starting its process
    const complaintId = `cmp-${randomUUID()}`;
    await stack.services.complaintStore.create({ _id: complaintId, instanceId: processInstanceIdOf(complaintId), channel: 'app', customerId: 'cust-orphan', customerTier: 'standard', product: 'Kettle K2', title: 'Kettle stopped heating', description: 'd', location: null, photos: [], contact: null, dispatchMode: 'auto' });
    await expect(stack.client.workflow.getHandle(processInstanceIdOf(complaintId)).describe()).rejects.toThrow();

    // when the reconciler's intake repair runs (twice)
    const first = await stack.services.complaints.complaints.resumeIntakes(0);
    const second = await stack.services.complaints.complaints.resumeIntakes(0);

    // then its lifecycle runs under the derived id, started once
    expect([first, second]).toEqual([1, 0]);
    expect((await stack.client.workflow.getHandle(processInstanceIdOf(complaintId)).describe()).status.name).toBe('RUNNING');
  });

  it('stores the evaluation before the message that closes the complaint is delivered', async () => {
    // given a complaint awaiting its evaluation (a process waiting for complaint-evaluated)
    const diagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="awaits-evaluation" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
    <bpmn:receiveTask id="wait" messageRef="m" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
  <bpmn:message id="m" name="complaint-evaluated"><bpmn:extensionElements><zeebe:subscription correlationKey="=complaintId" /></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', diagram, 'application/xml')).status).toBe(201);
    const complaintId = `cmp-${randomUUID()}`;
    const started = await stack.services.instances.start('awaits-evaluation', { variables: { complaintId } });
    const { store } = { store: stack.services.complaintStore };
    await store.create({ _id: complaintId, instanceId: started.instanceId, channel: 'app', customerId: 'cust-eval', customerTier: 'standard', product: 'Kettle', title: 't', description: 'd', location: null, photos: [], contact: null, dispatchMode: 'auto' });
    await store.mutate(complaintId, () => ({ set: { status: 'awaiting_evaluation' } }));
    await waitUntil('subscription projected', async () => Boolean(await stack.services.projections.instances.exists({ _id: started.instanceId, subscriptionKeys: subscriptionKey('complaint-evaluated', complaintId) })), 20_000, 100);

    // when the evaluation cannot be stored (another process holds the complaint's document lock)
    await stack.mongo.collection<{ _id: string; token: string; expiresAt: Date }>('document_locks')
      .insertOne({ _id: `complaint:${complaintId}`, token: 'elsewhere', expiresAt: new Date(Date.now() + 120_000) });
    const key = `eval-${randomUUID()}`;
    const refused = await post(`/api/complaints/${complaintId}/evaluation`, { stars: 5, tags: [] }, key);

    // then the client is told to retry and the process has not heard of it
    expect(refused.status).toBe(503);
    expect((await engineView(stack, started.instanceId)).activeElements).toEqual(['wait']);

    // when the lock is gone and the client retries with the same key (twice)
    await stack.mongo.collection('document_locks').deleteOne({ _id: `complaint:${complaintId}` } as never);
    const first = await post(`/api/complaints/${complaintId}/evaluation`, { stars: 5, tags: [] }, key);
    const again = await post(`/api/complaints/${complaintId}/evaluation`, { stars: 5, tags: [] }, key);

    // then one evaluation is stored, once on the timeline, and the process got it
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    await waitUntil('process received the evaluation', async () => (await stack.client.workflow.getHandle(started.instanceId).describe()).status.name === 'COMPLETED', 20_000, 100);
    const stored = (await store.get(complaintId))!;
    expect(stored.evaluations.map((e) => [e.stars, e.state])).toEqual([[5, 'delivered']]);
    expect(stored.timeline.filter((e) => e.what.startsWith('evaluated'))).toHaveLength(1);
  });
});

describe('side effects of a retried incident', () => {
  let stack: Stack;
  let server: http.Server;
  let endpoint: string;
  const deliveries: string[] = [];
  let failing = true;

  beforeAll(async () => {
    // A remote side that fails until told otherwise, and records each delivery's Idempotency-Key.
    server = http.createServer((req, res) => {
      req.resume();
      deliveries.push(String(req.headers['idempotency-key']));
      res.writeHead(failing ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charges`;
    stack = await startStack({ allowedHosts: ['127.0.0.1'] });
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps the idempotency key of the element activation when an incident is resolved', async () => {
    // given a service task whose only attempt failed into an incident
    const diagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="charge-once" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="charge" />
    <bpmn:serviceTask id="charge">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" retries="1" />
        <zeebe:ioMapping>
          <zeebe:input source="=endpoint" target="url" />
          <zeebe:input source="=&quot;POST&quot;" target="method" />
          <zeebe:input source="={order: 1}" target="body" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', diagram, 'application/xml')).status).toBe(201);
    const { instanceId } = (await stack.api<{ instanceId: string }>('POST', '/api/processes/charge-once/instances', { variables: { endpoint } })).body;
    await waitUntil('incident raised', async () => (await engineView(stack, instanceId)).incidents.length === 1, 30_000, 100);
    const [incident] = (await engineView(stack, instanceId)).incidents;

    // when the remote side is back and an operator resolves the incident (a new job)
    failing = false;
    expect((await stack.api('POST', `/api/instances/${instanceId}/incidents/${incident!.id}/resolve`)).status).toBe(204);
    await waitUntil('instance completed', async () => (await engineView(stack, instanceId)).status === 'completed', 30_000, 100);

    // then both deliveries carried one idempotency key, so the remote side applies the charge once
    expect(deliveries).toHaveLength(2);
    expect(new Set(deliveries).size).toBe(1);
    expect(deliveries[0]).toMatch(new RegExp(`^${instanceId}:activation-`));
  });
});

describe('intake while the database is unreachable', () => {
  let stack: Stack;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(testEnv.mongoUri);
    proxy = await tcpProxy(target.hostname, Number(target.port));
    const uri = new URL(testEnv.mongoUri);
    uri.port = String(proxy.port);
    stack = await startStack({ mongoUri: uri.toString() });
    await deployShippedProcesses(stack.services.definitions);
  });

  afterAll(async () => {
    proxy?.restore();
    await stack?.stop();
    await proxy?.close();
  });

  it('answers 503 and writes nothing, and the retry with the same key files the complaint once', async () => {
    // given a signed-in agent, and the database gone
    const agent = await stack.createUser({ roles: ['agent'] });
    const { token } = await stack.login(agent.email, agent.password);
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    const key = `intake-${randomUUID()}`;
    const send = () => fetch(`${stack.url}/api/complaints`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key }, body: JSON.stringify(intake(customer)),
    });
    proxy.cut();

    // when a complaint is filed
    const refused = await send();

    // then the client is told to retry, with no incident id and nothing stored
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await refused.json()).toMatchObject({ error: 'unavailable' });
    proxy.restore();
    await waitUntil('database back', async () => Boolean(await stack.mongo.db!.admin().ping()), 20_000, 200);
    expect(await stack.services.complaintStore.models.complaints.countDocuments({ customerId: customer })).toBe(0);

    // when the client retries with the same key
    const filed = await send();

    // then the complaint is filed once and its lifecycle runs
    expect(filed.status).toBe(201);
    const body = (await filed.json()) as { id: string; instanceId: string };
    expect((await stack.client.workflow.getHandle(body.instanceId).describe()).status.name).toBe('RUNNING');
    expect(await stack.services.complaintStore.models.complaints.countDocuments({ customerId: customer })).toBe(1);
  });
});
