/**
 * Ad-hoc subprocesses (decision 0046) through the public HTTP API on the real servers: the
 * diagram deploys, a start with `activeElementsCollection` naming two of three tasks opens
 * exactly those two user tasks, completing them through the task API completes the ad-hoc
 * subprocess and then the instance; the third task never ran.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';

interface Instance { status: string; variables: Record<string, unknown>; activeElements: string[]; incidents: unknown[] }
interface ElementEvent { elementId: string; event: string }
interface ActivatedJob { jobKey: string; elementId: string; variables: Record<string, unknown> }
interface TaskPage { items: Array<{ id: string; elementId: string; state: string }> }

function userTask(id: string): string {
  return `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="after-sales" /><zeebe:ioMapping><zeebe:output source="=outcome" target="${id}Outcome" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>`;
}

function checks(id: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" name="start" />
    <bpmn:adHocSubProcess id="checks" name="checks">
      <bpmn:extensionElements><zeebe:adHoc activeElementsCollection="=checksToRun" /></bpmn:extensionElements>
      ${userTask('callCustomer')}
      ${userTask('inspectProduct')}
      ${userTask('askSupplier')}
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="done" name="done" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="checks" />
    <bpmn:sequenceFlow id="f2" sourceRef="checks" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** The agent shape (Camunda 8.8): the ad-hoc subprocess is served by an external job worker. */
function agent(id: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" name="start" />
    <bpmn:adHocSubProcess id="agent" name="agent">
      <bpmn:extensionElements><zeebe:taskDefinition type="${id}.agent" /></bpmn:extensionElements>
      <bpmn:scriptTask id="lookUpOrder" name="Look up the order">
        <bpmn:extensionElements><zeebe:script expression="=&quot;order of &quot; + customer" resultVariable="orderInfo" /></bpmn:extensionElements>
      </bpmn:scriptTask>
      ${userTask('askHuman')}
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="done" name="done" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="agent" />
    <bpmn:sequenceFlow id="f2" sourceRef="agent" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe('ad-hoc subprocess through the HTTP API', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('opens the tasks of activeElementsCollection and completes after them', async () => {
    const key = uniqueName('adhoc-checks');
    expect((await stack.api('POST', '/api/definitions', checks(key), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: { checksToRun: ['callCustomer', 'inspectProduct'] } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;

    const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&candidateGroup=after-sales&state=open`, (p) => p.items.length === 2, 'two tasks in the inbox');
    expect(inbox.items.map((t) => t.elementId).sort()).toEqual(['callCustomer', 'inspectProduct']);
    const live = (await stack.api<Instance>('GET', `/api/instances/${id}`)).body;
    expect(live.status).toBe('active');
    expect([...live.activeElements].sort()).toEqual(['callCustomer', 'checks', 'inspectProduct']);

    for (const t of inbox.items) {
      expect((await stack.api('POST', `/api/tasks/${t.id}/claim`, { assignee: 'agent-7' })).status).toBe(204);
      expect((await stack.api('POST', `/api/tasks/${t.id}/complete`, { variables: { outcome: `checked ${t.elementId}` } })).status).toBe(200);
    }
    const done = await eventually<Instance>(stack, `/api/instances/${id}`, (v) => v.status === 'completed', 'instance completed');
    expect(done.incidents).toEqual([]);
    expect(done.variables).toMatchObject({ callCustomerOutcome: 'checked callCustomer', inspectProductOutcome: 'checked inspectProduct' });
    expect(done.variables).not.toHaveProperty('askSupplierOutcome');

    const history = (await stack.api<ElementEvent[]>('GET', `/api/instances/${id}/history`)).body;
    const completed = history.filter((e) => e.event === 'completed').map((e) => e.elementId);
    expect(completed).toEqual(expect.arrayContaining(['callCustomer', 'inspectProduct', 'checks', 'done']));
    expect(completed.indexOf('checks')).toBeGreaterThan(Math.max(completed.indexOf('callCustomer'), completed.indexOf('inspectProduct')));
    expect(history.map((e) => e.elementId)).not.toContain('askSupplier');
  });

  it('refuses a diagram with an end event inside the ad-hoc subprocess, naming it, and deploys nothing', async () => {
    const key = uniqueName('adhoc-bad');
    const xml = checks(key).replace('</bpmn:adHocSubProcess>', '<bpmn:endEvent id="innerEnd" name="inner end" /></bpmn:adHocSubProcess>');
    const res = await stack.api<{ problems?: Array<{ elementId: string | null; message: string }> }>('POST', '/api/definitions', xml, 'application/xml');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).toContain('innerEnd');
    expect((await stack.api('GET', `/api/processes/${key}`)).status).toBe(404);
  });

  it('job-worker mode: the worker activates a tool with variables, is asked again, and completes the subprocess; bad results are 400 with the path', async () => {
    const key = uniqueName('adhoc-agent');
    const worker = stack.as('integration');
    expect((await stack.api('POST', '/api/definitions', agent(key), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: {} });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    const activateOne = async (): Promise<ActivatedJob> => {
      const res = await worker<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', { type: `${key}.agent`, worker: 'agent-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 20_000 });
      expect(res.status).toBe(200);
      const [job] = res.body.jobs;
      if (!job) throw new Error('no agent job was handed out');
      return job;
    };

    const first = await activateOne();
    expect(first.elementId).toBe('agent');
    expect(first.variables.adHocSubProcessElements).toEqual([
      { elementId: 'lookUpOrder', elementName: 'Look up the order' }, { elementId: 'askHuman', elementName: 'askHuman' },
    ]);
    // refused, with the field path or the element named, and nothing changes
    const contradiction = await worker<{ fields?: Array<{ path: string }> }>('POST', `/api/jobs/${first.jobKey}/completion`, {
      result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'askHuman' }], isCompletionConditionFulfilled: true },
    });
    expect(contradiction.status).toBe(400);
    expect(contradiction.body.fields?.map((f) => f.path)).toContain('result.isCompletionConditionFulfilled');
    const unknown = await worker('POST', `/api/jobs/${first.jobKey}/completion`, { result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'noSuchTool' }] } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('noSuchTool');
    expect((await worker('POST', `/api/jobs/${first.jobKey}/completion`, { result: { type: 'userTask' } })).status).toBe(400);

    expect((await worker('POST', `/api/jobs/${first.jobKey}/completion`, {
      variables: { customer: 'Ada' },
      result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'lookUpOrder' }, { elementId: 'askHuman', variables: { question: 'refund?' } }] },
    })).status).toBe(204);
    // the script ran and ended its path: the worker is asked again
    const second = await activateOne();
    expect(second.jobKey).not.toBe(first.jobKey);
    expect(second.variables).toMatchObject({ orderInfo: 'order of Ada' });
    // the human answers before the worker does: its job is withdrawn for a new one
    const inbox = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${id}&candidateGroup=after-sales&state=open`, (p) => p.items.length === 1, 'the human task');
    const human = inbox.items[0]!;
    expect((await stack.api('POST', `/api/tasks/${human.id}/claim`, { assignee: 'agent-7' })).status).toBe(204);
    expect((await stack.api('POST', `/api/tasks/${human.id}/complete`, { variables: { outcome: 'yes' } })).status).toBe(200);
    const third = await activateOne();
    expect(third.jobKey).not.toBe(second.jobKey);
    expect(third.variables).toMatchObject({ askHumanOutcome: 'yes' });
    expect((await worker('POST', `/api/jobs/${second.jobKey}/completion`, { result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true } })).status).toBe(404);
    expect((await worker('POST', `/api/jobs/${third.jobKey}/completion`, {
      variables: { answer: 'your order ships Monday' },
      result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true, isCancelRemainingInstances: true },
    })).status).toBe(204);
    const done = await eventually<Instance>(stack, `/api/instances/${id}`, (v) => v.status === 'completed', 'instance completed');
    expect(done.variables).toMatchObject({ customer: 'Ada', orderInfo: 'order of Ada', answer: 'your order ships Monday' });
    const history = (await stack.api<ElementEvent[]>('GET', `/api/instances/${id}/history`)).body;
    expect(history.filter((e) => e.event === 'completed').map((e) => e.elementId)).toEqual(['start', 'lookUpOrder', 'askHuman', 'agent', 'done', key]);
  });
});
