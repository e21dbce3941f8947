/**
 * Alerts on a loopback receiver standing in for the webhook / group robot: a new incident of
 * a real instance and a new SLA breach each post one short message without customer data;
 * failures are retried with backoff, a refused robot key is not, and a full queue drops
 * instead of blocking the writer.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlertNotifier } from '../../server/alerts/notifier';
import { createLogger } from '../../server/log';
import type { SlaBreachRecord } from '../../server/projections/slaModels';
import { waitUntil } from '../../server/infra/ports';
import { startStack, type Stack } from '../support/stack';

interface Received { path: string; headers: http.IncomingHttpHeaders; raw: string; body: Record<string, unknown> }

/** A loopback HTTP server recording each POST; `answer` decides the reply per request number. */
async function receiver(answer: (n: number) => { status: number; body: unknown; holdMs?: number } = () => ({ status: 200, body: { ok: true } })) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) as Record<string, unknown> });
      const reply = answer(received.length);
      setTimeout(() => res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body)), reply.holdMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const breach = (id: string): SlaBreachRecord => ({
  _id: `pi-${id}.resolution`, instanceId: `pi-${id}`, clockKey: 'resolution', complaintId: `C-${id}`, definitionKey: 'complaint-handling',
  policyId: 'resolution-8h', metric: 'resolution', elementId: 'repair', taskId: `pi-${id}.t1`, department: 'technical', severity: 'high',
  engineerId: 'eng-7', dueAt: new Date('2026-11-23T09:00:00Z'), breachedAt: new Date('2026-11-23T09:00:01Z'), escalatedTo: ['sup-1'],
});

const FAILING_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="crm-lookup" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call-crm" />
    <bpmn:serviceTask id="call-crm" name="Call the CRM">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="http.request" retries="1" />
        <zeebe:ioMapping><zeebe:input source="=&quot;http://crm.invalid/customers&quot;" target="url" /></zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="call-crm" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const SECRET = 'alert-signing-secret';

describe('alerts to a webhook', () => {
  let stack: Stack;
  let hook: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    // the first delivery of the breach alert fails twice with 503, then succeeds
    hook = await receiver((n) => (n === 2 || n === 3 ? { status: 503, body: {} } : { status: 200, body: { ok: true } }));
    stack = await startStack({ alerts: { channel: 'webhook', url: `${hook.url}/alerts/ops`, secret: SECRET, baseDelayMs: 20 } });
  });
  afterAll(async () => {
    await stack?.stop();
    await hook?.close();
  });

  it('posts a new incident once, with ids and element but no variables, signed', async () => {
    // given an instance whose service task fails for good (host not allowed)
    expect((await stack.api('POST', '/api/definitions', FAILING_PROCESS, 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/crm-lookup/instances', {
      variables: { customerName: 'Wang Xiaoming', address: '88 Century Avenue', department: 'after-sales', severity: 'high' },
    });
    expect(started.status).toBe(201);
    // when the incident is projected
    await waitUntil('incident alert', async () => Promise.resolve(hook.received.length >= 1), 30_000, 50);
    // then
    const [alert] = hook.received;
    expect(alert?.path).toBe('/alerts/ops');
    expect(alert?.body).toMatchObject({
      subject: 'Incident in crm-lookup',
      data: { kind: 'incident', process: 'crm-lookup', instance: started.body.instanceId, element: 'call-crm', department: 'after-sales', severity: 'high' },
    });
    expect(alert?.headers['x-signature-256']).toBe(`sha256=${createHmac('sha256', SECRET).update(alert?.raw ?? '').digest('hex')}`);
    expect(alert?.raw).not.toMatch(/Wang|Century/);
    expect(hook.received).toHaveLength(1);
  });

  it('posts a new breach, retrying a failing receiver with backoff, and counts it', async () => {
    // when the writer reports a breach (and the alert is asked for again: it goes out once)
    stack.services.slaEvents.breachRecorded(breach('b1'));
    stack.services.alerts?.onBreach(breach('b1'));
    await waitUntil('breach alert delivered', async () => Promise.resolve(stack.services.alerts?.stats().sent === 2), 30_000, 50);
    // then the receiver saw it three times (503, 503, 200), always the same message
    const attempts = hook.received.slice(1);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.raw)).size).toBe(1);
    expect(attempts[0]?.body).toMatchObject({
      id: 'sla-breach:pi-b1.resolution',
      data: { kind: 'sla_breach', instance: 'pi-b1', complaint: 'C-b1', policy: 'resolution-8h', element: 'repair', department: 'technical', severity: 'high', dueAt: '2026-11-23T09:00:00.000Z' },
    });
    // and the breach counter moved by one
    const metrics = await stack.api<string>('GET', '/metrics');
    expect(metrics.body).toContain('complaint_bpm_sla_breaches_total{metric="resolution",severity="high"} 1');
  });
});

describe('alerts to a group robot', () => {
  const log = createLogger('silent');

  it('sends markdown through the WeCom robot and does not retry a refused key', async () => {
    // given a robot that accepts the first message and refuses the key afterwards
    const robot = await receiver((n) => ({ status: 200, body: n === 1 ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' } }));
    const notifier = createAlertNotifier({ channel: 'wecom', url: `${robot.url}/cgi-bin/webhook/send?key=k1`, baseDelayMs: 10 }, log);
    try {
      // when
      notifier.onBreach(breach('r1'));
      notifier.onBreach(breach('r2'));
      await notifier.drain();
      // then
      expect(robot.received).toHaveLength(2);
      expect(robot.received[0]?.body).toMatchObject({ msgtype: 'markdown' });
      expect(JSON.stringify(robot.received[0]?.body)).toContain('pi-r1');
      expect(notifier.stats()).toEqual({ queued: 0, sent: 1, failed: 1, dropped: 0 });
    } finally {
      notifier.stop();
      await robot.close();
    }
  });

  it('drops alerts beyond the queue bound instead of blocking the caller', async () => {
    // given a slow receiver and a queue of two
    const slow = await receiver(() => ({ status: 200, body: { ok: true }, holdMs: 200 }));
    const notifier = createAlertNotifier({ channel: 'webhook', url: slow.url, queueMax: 2 }, log);
    try {
      // when five breaches arrive at once (one goes out, two wait)
      for (const id of ['q1', 'q2', 'q3', 'q4', 'q5']) notifier.onBreach(breach(id));
      const atOnce = notifier.stats();
      await notifier.drain();
      // then
      expect(atOnce).toEqual({ queued: 2, sent: 0, failed: 0, dropped: 2 });
      expect(slow.received.map((r) => (r.body.data as { instance: string }).instance)).toEqual(['pi-q1', 'pi-q2', 'pi-q3']);
    } finally {
      notifier.stop();
      await slow.close();
    }
  });
});
