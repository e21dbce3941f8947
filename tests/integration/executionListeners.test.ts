/**
 * Execution listeners on the real servers (decision 0055): a diagram with a start and an end
 * listener on a service task, every job served by an external worker through the job API. The
 * element's own job is handed out only after its start listener completed; the listener jobs
 * carry Camunda's jobKind and listenerEventType; an end listener failing with no retries left
 * is an incident on the element that resolving with new retries hands out again.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';
import type { Api } from '../support/auth';

interface ActivatedJob { jobKey: string; type: string; elementId: string; retries: number; variables: Record<string, unknown>; customHeaders: Record<string, string>; jobKind?: string; listenerEventType?: string }
interface JobPage { items: Array<{ jobKey: string; type: string; state: string; jobKind?: string; listenerEventType?: string }>; total: number }
interface Instance { status: string; variables: Record<string, unknown>; activeElements: string[]; incidents: Array<{ id: string; type: string; message: string; elementId: string }> }

/** `work` (external type) with the given extension elements besides its task definition; `processExtensions` on the process. */
function diagram(id: string, listeners = `<zeebe:executionListeners>
          <zeebe:executionListener eventType="start" type="${id}.prepare" />
          <zeebe:executionListener eventType="end" type="${id}.audit" retries="1" />
        </zeebe:executionListeners>`, processExtensions = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">${processExtensions}
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="work" name="Work">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${id}.work" />
        <zeebe:taskHeaders><zeebe:header key="channel" value="fax" /></zeebe:taskHeaders>
        ${listeners}
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe('execution listeners served by external job workers', () => {
  let stack: Stack;
  let integration: Api;

  beforeAll(async () => {
    stack = await startStack();
    integration = stack.as('integration');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const activate = async (type: string, extra: Record<string, unknown> = {}) => {
    const res = await integration<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', { type, worker: 'test', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: 20_000, ...extra });
    expect(res.status).toBe(200);
    return res.body.jobs;
  };
  const until = (id: string, predicate: (i: Instance) => boolean, what: string) => eventually<Instance>(stack, `/api/instances/${id}`, predicate, what);

  it('runs the start listener before the job and the end listener after it; a failed listener is an incident a retry resolves', async () => {
    const key = uniqueName('listeners');
    const deployed = await stack.api<{ warnings: Array<{ elementId: string; message: string }> }>('POST', '/api/definitions', diagram(key), 'application/xml');
    expect(deployed.status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: { amount: 2 } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;

    const [prepare] = await activate(`${key}.prepare`);
    expect(prepare).toMatchObject({ elementId: 'work', jobKind: 'EXECUTION_LISTENER', listenerEventType: 'START', retries: 3, customHeaders: { channel: 'fax' }, variables: { amount: 2 } });
    // the element's own job does not exist before its start listener completed
    expect(await activate(`${key}.work`, { requestTimeout: -1 })).toEqual([]);
    const listed = await eventually<JobPage>(stack, `/api/jobs?instanceId=${id}`, (p) => p.items[0]?.state === 'activated', 'the listener job listed');
    expect(listed.items).toEqual([expect.objectContaining({ type: `${key}.prepare`, jobKind: 'EXECUTION_LISTENER', listenerEventType: 'START' })]);
    // a listener's job cannot throw a BPMN error (Camunda rejects it, INVALID_STATE): 409, and the job stays open
    const thrown = await integration<{ message: string }>('POST', `/api/jobs/${prepare!.jobKey}/error`, { errorCode: 'NOT_ALLOWED' });
    expect(thrown.status).toBe(409);
    expect(thrown.body.message).toContain('execution listener');
    expect((await integration('POST', `/api/jobs/${prepare!.jobKey}/completion`, { variables: { prepared: true } })).status).toBe(204);

    const [work] = await activate(`${key}.work`);
    expect(work).toMatchObject({ elementId: 'work', variables: { amount: 2, prepared: true } });
    expect(work).not.toHaveProperty('jobKind');
    expect((await integration('POST', `/api/jobs/${work!.jobKey}/completion`, { variables: { result: 7 } })).status).toBe(204);

    const [audit] = await activate(`${key}.audit`);
    expect(audit).toMatchObject({ jobKind: 'EXECUTION_LISTENER', listenerEventType: 'END', retries: 1, variables: { amount: 2, result: 7 } });
    expect((await integration('POST', `/api/jobs/${audit!.jobKey}/failure`, { retries: 0, errorMessage: 'audit store down' })).status).toBe(204);
    const stuck = await until(id, (v) => v.incidents.length === 1, 'the listener incident');
    expect(stuck).toMatchObject({ status: 'active', activeElements: ['work'] });
    expect(stuck.incidents[0]).toMatchObject({ type: 'EXECUTION_LISTENER_NO_RETRIES', elementId: 'work', message: 'audit store down' });

    expect((await stack.api('POST', `/api/instances/${id}/incidents/${stuck.incidents[0]!.id}/resolve`, { retries: 2 })).status).toBe(204);
    const [again] = await activate(`${key}.audit`);
    expect(again).toMatchObject({ listenerEventType: 'END', retries: 2 });
    expect((await integration('POST', `/api/jobs/${again!.jobKey}/completion`, { variables: { audited: true } })).status).toBe(204);

    const done = await until(id, (v) => v.status === 'completed', 'completed after the listeners');
    expect(done.incidents).toEqual([]);
    // the start listener's variable was local to the element; the end listener's reached the process
    expect(done.variables).toEqual({ amount: 2, result: 7, audited: true });
  });

  it('runs a listener of a catalog type in-process, before the external job of its element', async () => {
    const key = uniqueName('listeners-catalog');
    const listeners = `<zeebe:ioMapping><zeebe:input source="={ checked: amount > 1 }" target="variables" /></zeebe:ioMapping>
        <zeebe:executionListeners><zeebe:executionListener eventType="start" type="variables.set" /></zeebe:executionListeners>`;
    expect((await stack.api('POST', '/api/definitions', diagram(key, listeners), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: { amount: 2 } });
    expect(started.status).toBe(201);
    const [work] = await activate(`${key}.work`);
    expect(work).toMatchObject({ elementId: 'work', variables: { amount: 2, checked: true } });
    expect((await integration('POST', `/api/jobs/${work!.jobKey}/completion`, {})).status).toBe(204);
    const done = await until(started.body.instanceId, (v) => v.status === 'completed', 'completed');
    expect(done.variables).toEqual({ amount: 2 });
  });

  it('runs the listeners of the process itself at the process id, around all of its elements', async () => {
    const key = uniqueName('listeners-process');
    const processListeners = `<bpmn:extensionElements><zeebe:executionListeners>
      <zeebe:executionListener eventType="start" type="${key}.opened" /><zeebe:executionListener eventType="end" type="${key}.closed" />
    </zeebe:executionListeners></bpmn:extensionElements>`;
    expect((await stack.api('POST', '/api/definitions', diagram(key, '', processListeners), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables: { amount: 3 } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;
    const [opened] = await activate(`${key}.opened`);
    expect(opened).toMatchObject({ elementId: key, jobKind: 'EXECUTION_LISTENER', listenerEventType: 'START', variables: { amount: 3 } });
    expect(await activate(`${key}.work`, { requestTimeout: -1 })).toEqual([]);
    expect((await integration('POST', `/api/jobs/${opened!.jobKey}/completion`, { variables: { openedBy: 'listener' } })).status).toBe(204);
    const [work] = await activate(`${key}.work`);
    expect((await integration('POST', `/api/jobs/${work!.jobKey}/completion`, {})).status).toBe(204);
    const [closed] = await activate(`${key}.closed`);
    expect(closed).toMatchObject({ elementId: key, listenerEventType: 'END' });
    expect((await until(id, (v) => v.status === 'active', 'waiting for the end listener')).activeElements).not.toContain('work');
    expect((await integration('POST', `/api/jobs/${closed!.jobKey}/completion`, { variables: { archived: true } })).status).toBe(204);
    const done = await until(id, (v) => v.status === 'completed', 'completed after its end listener');
    expect(done.variables).toEqual({ amount: 3, openedBy: 'listener', archived: true });
  });
});
