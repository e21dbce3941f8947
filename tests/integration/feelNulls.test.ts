/**
 * FEEL as Camunda 8.3+ evaluates it, through the HTTP API on the real servers: a missing
 * variable gives null and the evaluation goes on, the suppressed failure shows as a warning in
 * the instance's history (Temporal-derived and projection), and an incident comes only where
 * Camunda raises one (a condition that is null is not a boolean).
 */
import { eventually, startStack, type Stack } from '../support/stack';

const DI = 'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"';
const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ${DI} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d-${id}" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

const REMINDERS = bpmn('feel-reminders', `
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="count" name="Count reminders">
      <bpmn:extensionElements><zeebe:script expression="=if reminders = null then 1 else reminders + 1" resultVariable="reminders" /></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:scriptTask>
    <bpmn:userTask id="call" name="Call the customer">
      <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=customer.phone" target="phone" /></zeebe:ioMapping></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="count" />
    <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="call" />
    <bpmn:sequenceFlow id="f3" sourceRef="call" targetRef="end" />`);

const ROUTE = bpmn('feel-route', `
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="route"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>fHigh</bpmn:outgoing><bpmn:outgoing>fLow</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <bpmn:sequenceFlow id="fHigh" sourceRef="route" targetRef="high"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=score &gt; 5</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="fLow" sourceRef="route" targetRef="low"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=score &lt;= 5</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:endEvent id="high"><bpmn:incoming>fHigh</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="low"><bpmn:incoming>fLow</bpmn:incoming></bpmn:endEvent>`);

interface Detail {
  status: string;
  activeElements: string[];
  variables: Record<string, unknown>;
  incidents: Array<{ id: string; elementId: string; type: string; message: string }>;
  tasks: Array<{ key: string; elementId: string }>;
}
interface HistoryEvent { elementId: string; event: string; message?: string }

describe('FEEL null semantics (Camunda 8.3+)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
    for (const xml of [REMINDERS, ROUTE]) {
      const res = await stack.api('POST', '/api/definitions', xml, 'application/xml');
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reads an unset variable as null, goes on, and shows the suppressed failure on the element', async () => {
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/feel-reminders/instances', { variables: { customer: { name: 'Ada' } } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    const detail = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.activeElements.includes('call'), 'the call task open');
    expect(detail.incidents).toEqual([]);
    expect(detail.variables.reminders).toBe(1);

    const fromTemporal = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`)).body;
    const warnings = fromTemporal.filter((e) => e.event === 'warning');
    expect(warnings).toEqual([
      expect.objectContaining({ elementId: 'count', message: "'if reminders = null then 1 else reminders + 1': [NO_VARIABLE_FOUND] Variable 'reminders' not found" }),
      expect.objectContaining({ elementId: 'call', message: "'customer.phone': [NO_CONTEXT_ENTRY_FOUND] Key 'phone' not found" }),
    ]);
    // The warning is recorded without the values involved (customer data stays out of it).
    expect(JSON.stringify(fromTemporal)).not.toContain('Ada');
    const projected = await eventually<HistoryEvent[]>(stack, `/api/instances/${id}/history?source=projection`, (h) => h.some((e) => e.elementId === 'call' && e.event === 'activated'), 'the projected history');
    expect(projected.filter((e) => e.event === 'warning')).toEqual(warnings);

    // A second pass counts on: the value is there now, so no warning at the script.
    const task = detail.tasks.find((t) => t.elementId === 'call');
    expect(task).toBeDefined();
    const again = await stack.api<{ instanceId: string }>('POST', '/api/processes/feel-reminders/instances', { variables: { reminders: 4, customer: { phone: '1' } } });
    const second = await eventually<Detail>(stack, `/api/instances/${again.body.instanceId}`, (d) => d.activeElements.includes('call'), 'the second call task open');
    expect(second.variables.reminders).toBe(5);
    const secondHistory = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${again.body.instanceId}/history`)).body;
    expect(secondHistory.filter((e) => e.event === 'warning')).toEqual([]);
  });

  it('raises an incident where Camunda does: a condition that is null is not a boolean', async () => {
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/feel-route/instances', { variables: {} });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    const detail = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.incidents.length === 1, 'the condition incident');
    expect(detail.incidents[0]).toEqual(expect.objectContaining({ elementId: 'route', type: 'CONDITION_ERROR' }));
    expect(detail.incidents[0]!.message).toContain("'score > 5' must be a boolean, but was null");
    expect(detail.incidents[0]!.message).toContain("[NO_VARIABLE_FOUND] Variable 'score' not found");

    expect((await stack.api('PUT', `/api/instances/${id}/variables`, { variables: { score: 7 } })).status).toBe(204);
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${detail.incidents[0]!.id}/resolve`)).status).toBe(204);
    const done = await eventually<Detail>(stack, `/api/instances/${id}`, (d) => d.status === 'completed', 'completed after the fix');
    expect(done.incidents).toEqual([]);
    const history = (await stack.api<HistoryEvent[]>('GET', `/api/instances/${id}/history`)).body;
    expect(history.some((e) => e.elementId === 'high' && e.event === 'completed')).toBe(true);
  });
});
