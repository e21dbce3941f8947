/**
 * Instance API edges through HTTP on the real servers: the instances a multi-instance call
 * activity started (ids `<parent>.call-<n>`) work in every instance route, and when the parent
 * is cancelled they show as terminated — not active with open incidents — in /api/instances,
 * /api/incidents and /api/jobs; a start that no start event can take is refused with 422
 * naming the process's start events, and starts nothing.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';

interface Instance { status: string; incidents: Array<{ id: string; type: string }>; variables: Record<string, unknown> }
interface ListPage { items: Array<{ id: string; status: string; incidents: number }>; total: number }
interface IncidentPage { items: Array<{ id: string; instanceId: string; type: string }>; total: number }
interface JobPage { items: Array<{ jobKey: string; instanceId: string; state: string }>; total: number }

const HEAD = '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">';

const child = (id: string, type: string) => `${HEAD}
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="work" name="Work"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="1" /></bpmn:extensionElements>
      <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="work" /><bpmn:sequenceFlow id="b" sourceRef="work" targetRef="e" />
  </bpmn:process></bpmn:definitions>`;

const parent = (id: string, childId: string) => `${HEAD}
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="call" name="Call">
      <bpmn:extensionElements><zeebe:calledElement processId="${childId}" /></bpmn:extensionElements>
      <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2]" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:callActivity>
    <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="call" /><bpmn:sequenceFlow id="b" sourceRef="call" targetRef="e" />
  </bpmn:process></bpmn:definitions>`;

const messageOnly = (id: string) => `${HEAD}
  <bpmn:message id="m" name="order-received"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="onOrder"><bpmn:outgoing>a</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
    <bpmn:endEvent id="e"><bpmn:incoming>a</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="onOrder" targetRef="e" />
  </bpmn:process></bpmn:definitions>`;

describe('instance API edges', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves child instances in every instance route, and shows them terminated once their parent is cancelled', async () => {
    const childKey = uniqueName('edge-child');
    const parentKey = uniqueName('edge-parent');
    const type = `${childKey}.work`;
    expect((await stack.api('POST', '/api/definitions', child(childKey, type), 'application/xml')).status).toBe(201);
    expect((await stack.api('POST', '/api/definitions', parent(parentKey, childKey), 'application/xml')).status).toBe(201);
    const parentId = (await stack.api<{ instanceId: string }>('POST', `/api/processes/${parentKey}/instances`, {})).body.instanceId;

    // both children fail their job with no retries left: two incidents
    const integration = stack.as('integration');
    const jobs = (await integration<{ jobs: Array<{ jobKey: string; processInstanceId: string }> }>('POST', '/api/jobs/activation', { type, timeout: 60_000, maxJobsToActivate: 2, requestTimeout: 20_000 })).body.jobs;
    if (jobs.length < 2) jobs.push(...(await integration<{ jobs: typeof jobs }>('POST', '/api/jobs/activation', { type, timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 20_000 })).body.jobs);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      expect(job.processInstanceId).toMatch(new RegExp(`^${parentId}\\.call-\\d+$`));
      expect((await integration('POST', `/api/jobs/${job.jobKey}/failure`, { retries: 0, errorMessage: 'down' })).status).toBe(204);
    }
    const incidents = await eventually<IncidentPage>(stack, `/api/incidents?key=${childKey}`, (p) => p.total === 2, 'both children with an incident');
    const [first, second] = jobs.map((j) => j.processInstanceId) as [string, string];

    // every instance route takes a child id
    const detail = await stack.api<Instance>('GET', `/api/instances/${first}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'active', incidents: [expect.objectContaining({ type: 'JOB_NO_RETRIES' })] });
    expect((await stack.api('GET', `/api/instances/${first}/history`)).status).toBe(200);
    expect((await stack.api('GET', `/api/instances/${first}/history?source=projection`)).status).toBe(200);
    expect((await stack.api('PUT', `/api/instances/${first}/variables`, { variables: { fixed: true } })).status).toBe(204);
    const incident = incidents.items.find((i) => i.instanceId === second)!;
    expect((await stack.api('POST', `/api/instances/${second}/incidents/${incident.id}/resolve`, { retries: 1 })).status).toBe(204);
    await eventually<JobPage>(stack, `/api/jobs?instanceId=${second}`, (p) => p.items[0]?.state === 'activatable', 'the second child job handed out again');
    expect((await stack.api<Instance>('GET', `/api/instances/${first}`)).body.variables).toMatchObject({ fixed: true });

    // cancelling the parent ends the children: terminated, no incidents, no jobs
    expect((await stack.api('DELETE', `/api/instances/${parentId}`)).status).toBe(202);
    await eventually<ListPage>(stack, `/api/instances?key=${childKey}`, (p) => p.total === 2 && p.items.every((i) => i.status === 'terminated' && i.incidents === 0), 'children terminated in the list');
    expect((await stack.api<IncidentPage>('GET', `/api/incidents?key=${childKey}`)).body.total).toBe(0);
    expect((await stack.api<ListPage>('GET', `/api/instances?key=${childKey}&status=active`)).body.total).toBe(0);
    await eventually<JobPage>(stack, `/api/jobs?type=${type}`, (p) => p.total === 0, 'their jobs gone');
    expect((await stack.api<Instance>('GET', `/api/instances/${first}`)).body.status).toBe('terminated');
    expect((await stack.api<{ error: string }>('DELETE', `/api/instances/${second}`)).status).toBe(409);
  });

  it('refuses a malformed child id with 400', async () => {
    const res = await stack.api<{ fields: Array<{ path: string }> }>('GET', '/api/instances/pi-00000000-0000-4000-8000-000000000000.call-x');
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path)).toEqual(['id']);
    expect((await stack.api('GET', '/api/instances/pi-00000000-0000-4000-8000-000000000000.call-7')).status).toBe(404);
  });

  it('refuses a start that no start event can take with 422 naming the start events, and starts nothing', async () => {
    const key = uniqueName('edge-message-start');
    expect((await stack.api('POST', '/api/definitions', messageOnly(key), 'application/xml')).status).toBe(201);
    const res = await stack.api<{ error: string; message: string; startEvents: Array<{ elementId: string; trigger: string }> }>('POST', `/api/processes/${key}/instances`, { variables: { orderId: 'o-1' } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'no_start_event', startEvents: [{ elementId: 'onOrder', trigger: 'message' }] });
    expect(res.body.message).toContain("'onOrder' (message 'order-received')");
    expect((await stack.api<ListPage>('GET', `/api/instances?key=${key}`)).body.total).toBe(0);
  });
});
