/**
 * A diagram as Camunda Modeler writes them for Camunda 8 (the public corpus under
 * conformance), through the public HTTP API on the real servers: job types given as FEEL
 * (one evaluating to a catalog type that runs in-process, one to a type outside the catalog
 * that waits for an external worker), retries as FEEL, FEEL string literals spanning lines,
 * and an input mapping without a source (null). A type that does not evaluate is an incident.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';
import type { Api } from '../support/auth';

interface ActivatedJob { jobKey: string; type: string; processInstanceId: string; elementId: string; retries: number; variables: Record<string, unknown> }
interface Instance { status: string; variables: Record<string, unknown>; activeElements: string[]; incidents: Array<{ type: string; message: string; elementId: string }> }

function diagram(id: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="setup" name="Set up">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="=&quot;variables&quot; + &quot;.set&quot;" />
        <zeebe:ioMapping><zeebe:input source="={ note: &quot;line one&#10;line two&quot; }" target="variables" /></zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="agent" name="Ask the agent">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="=&quot;agent.&quot; + channel" retries="=tries" />
        <zeebe:ioMapping>
          <zeebe:input source="=&quot;You are a helpful agent.&#10;Answer briefly.&#10;&quot; + question" target="prompt" />
          <zeebe:input target="threadId" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="done" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="setup" />
    <bpmn:sequenceFlow id="f2" sourceRef="setup" targetRef="agent" />
    <bpmn:sequenceFlow id="f3" sourceRef="agent" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
}

describe('Camunda Modeler diagrams through the API', () => {
  let stack: Stack;
  let integration: Api;

  beforeAll(async () => {
    stack = await startStack();
    integration = stack.as('integration');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const start = async (key: string, variables: Record<string, unknown>) => {
    const res = await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };
  const until = (id: string, predicate: (i: Instance) => boolean, what: string) => eventually<Instance>(stack, `/api/instances/${id}`, predicate, what);

  it('evaluates job types and retries, keeps line breaks in strings and maps a source-less input to null', async () => {
    const key = uniqueName('camunda-compat');
    const deployed = await stack.api<{ warnings: unknown[] }>('POST', '/api/definitions', diagram(key), 'application/xml');
    expect(deployed.status).toBe(201);
    const channel = key.replace(/[^a-z0-9]/gi, '');
    const type = `agent.${channel}`;
    const id = await start(key, { channel, tries: 2, question: 'Where is my parcel?', threadId: 'outer' });

    // the catalog type ran in-process; the other waits for an external worker
    const res = await integration<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', { type, worker: 'test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 20_000 });
    expect(res.status).toBe(200);
    const [job] = res.body.jobs;
    expect(job).toMatchObject({ type, processInstanceId: id, elementId: 'agent', retries: 2 });
    expect(job!.variables.prompt).toBe('You are a helpful agent.\nAnswer briefly.\nWhere is my parcel?');
    expect(job!.variables).toHaveProperty('threadId', null);
    expect(job!.variables.note).toBe('line one\nline two');

    expect((await integration('POST', `/api/jobs/${job!.jobKey}/completion`, { variables: { answer: 'On its way' } })).status).toBe(204);
    const done = await until(id, (i) => i.status === 'completed', 'completed');
    expect(done.variables).toMatchObject({ note: 'line one\nline two', answer: 'On its way', threadId: 'outer' });
  });

  it('raises an incident on the task when the job type does not evaluate to a string', async () => {
    const key = uniqueName('camunda-compat-incident');
    expect((await stack.api('POST', '/api/definitions', diagram(key), 'application/xml')).status).toBe(201);
    const id = await start(key, { tries: 1, question: 'Hello?' });
    const stuck = await until(id, (i) => i.incidents.length > 0, 'an incident');
    expect(stuck.status).toBe('active');
    expect(stuck.incidents).toEqual([expect.objectContaining({ type: 'EXTRACT_VALUE_ERROR', elementId: 'agent', message: expect.stringContaining('job type') })]);
  });
});
