/**
 * Crash safety (issue 12 item 5, decision 0025): what an unclean stop leaves behind is repaired
 * or completed, never duplicated.
 *
 * Read models: a worker whose projection writes never land (as when it is killed before it
 * flushes, or the database is down until the writer gives up) leaves the inbox and the instance
 * list behind the engine; the reconciler brings them to what the engine says.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { waitUntil } from '../../server/infra/ports';
import { startTestWorker } from '../support/servers';
import { engineView, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

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
