/**
 * Shared by the job-worker tests (jobWorkerProcess, jobLifecycle, jobRequests): a process with
 * one service task of a type outside the activity catalog, the shapes the job API answers, and
 * deploy/start/activate/read through the public HTTP API.
 */
import type { Api } from './auth';
import { eventually, type Stack } from './stack';

export interface ActivatedJob { jobKey: string; type: string; processInstanceId: string; elementId: string; retries: number; deadline: number; worker: string; variables: Record<string, unknown>; customHeaders: Record<string, string> }
export interface JobPage { items: Array<{ jobKey: string; type: string; state: string; instanceId: string; elementId: string; retries: number; worker: string | null; deadline: string | null; errorMessage: string | null }>; total: number }
export interface Instance { status: string; variables: Record<string, unknown>; activeElements: string[]; incidents: Array<{ id: string; type: string; message: string; elementId: string }>; jobs?: Array<{ key: string; state: string; retries: number }> }

/** start → service task of `type` (with an error boundary `caught` for code `REJECTED`) → end. */
export function diagram(id: string, type: string, options: { retries?: number; boundary?: boolean } = {}): string {
  const boundary = options.boundary
    ? `<bpmn:boundaryEvent id="caught" attachedToRef="work"><bpmn:outgoing>f3</bpmn:outgoing><bpmn:errorEventDefinition errorRef="err" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="rejected"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="rejected" />`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:error id="err" name="Rejected" errorCode="REJECTED" />
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="work" name="Work">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="${type}" retries="${options.retries ?? 3}" />
        <zeebe:taskHeaders><zeebe:header key="channel" value="fax" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    ${boundary}
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>`;
}

/** The calls of the tests, on the stack (as admin) and as the `integration` role that works jobs. */
export function jobCalls(stack: () => Stack, integration: () => Api) {
  const deploy = async (id: string, type: string, options?: { retries?: number; boundary?: boolean }) => {
    const res = await stack().api<{ warnings: Array<{ elementId: string; severity: string; message: string }> }>('POST', '/api/definitions', diagram(id, type, options), 'application/xml');
    expect(res.status).toBe(201);
    return res.body;
  };
  const start = async (key: string, variables: Record<string, unknown> = {}) => {
    const res = await stack().api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, { variables });
    expect(res.status).toBe(201);
    return res.body.instanceId;
  };
  const activate = async (type: string, extra: Record<string, unknown> = {}) => {
    const res = await integration()<{ jobs: ActivatedJob[] }>('POST', '/api/jobs/activation', { type, worker: 'test', timeout: 60_000, maxJobsToActivate: 5, requestTimeout: 20_000, ...extra });
    expect(res.status).toBe(200);
    return res.body.jobs;
  };
  const instance = async (id: string) => (await stack().api<Instance>('GET', `/api/instances/${id}`)).body;
  const until = (id: string, predicate: (i: Instance) => boolean, what: string) => eventually<Instance>(stack(), `/api/instances/${id}`, predicate, what);
  return { deploy, start, activate, instance, until };
}
