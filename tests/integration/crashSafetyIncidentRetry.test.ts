/**
 * Crash safety (issue 12 item 5, decision 0025): what an unclean stop leaves behind is repaired
 * or completed, never duplicated.
 *
 * Side effects: a service task retried after its incident is resolved keeps the idempotency key
 * of its element activation, so the remote side can tell the retry from a new charge.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitUntil } from '../../server/infra/ports';
import { engineView, startStack, type Stack } from '../support/stack';

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
