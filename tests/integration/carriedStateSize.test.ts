/**
 * Issue 12, growth the API cannot refuse: an instance whose state is over what Temporal
 * accepts as a continue-as-new input (2 MB less 16 KB) used to stop at the continue-as-new
 * Temporal suggested, with no incident (the command was refused, the workflow task failed
 * over and over). Now it is a LIMIT_EXCEEDED incident on the process and the run goes on;
 * once the variables are reduced, resolving it lets the instance continue as new. Driven with
 * the Temporal client on the dev server, which the global setup configures to suggest
 * continue-as-new after 1,000 history events; the state is observed through the projection
 * sink (the instanceState query would answer with the 2 MB of variables).
 */
import type { Client } from '@temporalio/client';
import type { InjectedSinks } from '@temporalio/worker';
import { compileBpmn } from '../../processes/compiler';
import { waitUntil } from '../../server/infra/ports';
import { MAX_CARRIED_INPUT_BYTES } from '../../workflows/processInstance/carriedSize';
import { claimTaskUpdate, completeTaskUpdate, resolveIncidentUpdate, setVariablesUpdate, unclaimTaskUpdate } from '../../workflows/processInstance/messages';
import type { InstanceSnapshot, ProcessInstanceInput, ProcessInstanceResult } from '../../workflows/processInstance/types';
import type { ProjectionSinks } from '../../workflows/sinks';
import { startTestWorker, testClient, uniqueName } from '../support/servers';

const HOLD = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="holding" isExecutable="true"><bpmn:startEvent id="S" /><bpmn:userTask id="Hold" name="hold" /><bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Hold" /><bpmn:sequenceFlow id="f2" sourceRef="Hold" targetRef="E" /></bpmn:process></bpmn:definitions>`;

describe('an instance too large to continue as new', () => {
  let client: Client;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const taskQueue = uniqueName('carry');
  let last: InstanceSnapshot | null = null;
  const sinks: InjectedSinks<ProjectionSinks> = { projection: { instanceChanged: { fn: (_info, snapshot) => { last = snapshot; } } } };

  beforeAll(async () => {
    client = await testClient();
    worker = await startTestWorker(taskQueue, {}, sinks);
  });

  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
  });

  it('raises a LIMIT_EXCEEDED incident on the process instead of stalling, keeps running, and continues as new once reduced and resolved', async () => {
    // given an instance whose start input Temporal accepts (under 2 MB) but whose state is over the continue-as-new cap
    const compiled = await compileBpmn(HOLD);
    const model = compiled.document?.processes[0];
    if (!model) throw new Error(`compile failed: ${JSON.stringify(compiled.problems)}`);
    const input: ProcessInstanceInput = { definition: { key: 'holding', version: 1 }, model, variables: { pad: 'p'.repeat(MAX_CARRIED_INPUT_BYTES) } };
    const workflowId = uniqueName('pi-carry');
    const handle = await client.workflow.start('processInstance', { taskQueue, workflowId, args: [input] });
    const firstRun = handle.firstExecutionRunId;
    await waitUntil('the task open', async () => (last?.tasks.length ?? 0) === 1, 30_000);
    const taskKey = last!.tasks[0]!.key;

    // when its history grows past the 1,000 events after which Temporal suggests continuing as new (claims: ~5 events each)
    for (let i = 0; i < 400 && (last?.incidents.length ?? 0) === 0; i += 1) {
      await handle.executeUpdate(claimTaskUpdate, { args: [{ taskKey, assignee: 'agent-7' }] });
    }
    await waitUntil('the incident', async () => (last?.incidents.length ?? 0) === 1, 30_000);

    // then the process has a LIMIT_EXCEEDED incident naming the size, and the run goes on (no continue-as-new)
    const incident = last!.incidents[0]!;
    expect(incident).toMatchObject({ elementId: 'holding', type: 'LIMIT_EXCEEDED', message: expect.stringMatching(/^limit exceeded: the instance's model and variables are \d+ bytes; Temporal refuses a continue-as-new over 2080768 bytes/) });
    expect(Number(/are (\d+) bytes/.exec(incident.message)![1])).toBeGreaterThan(MAX_CARRIED_INPUT_BYTES);
    let description = await handle.describe();
    expect([description.status.name, description.runId]).toEqual(['RUNNING', firstRun]);
    expect((await handle.executeUpdate(unclaimTaskUpdate, { args: [{ taskKey }] })).accepted).toBe(true);
    expect((await handle.executeUpdate(claimTaskUpdate, { args: [{ taskKey, assignee: 'agent-8' }] })).accepted).toBe(true);
    expect(last!.tasks[0]).toMatchObject({ key: taskKey, assignee: 'agent-8' });
    expect(last!.incidents).toEqual([incident]);

    // when an operator reduces the variables and resolves the incident
    expect((await handle.executeUpdate(setVariablesUpdate, { args: [{ variables: { pad: null } }] })).accepted).toBe(true);
    expect((await handle.executeUpdate(resolveIncidentUpdate, { args: [{ incidentId: incident.id }] })).accepted).toBe(true);

    // then the instance continues as new, without the incident, and completes
    await waitUntil('a new run', async () => (await handle.describe()).runId !== firstRun, 30_000);
    description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    await waitUntil('the new run projected', async () => last?.incidents.length === 0 && last.tasks.length === 1, 30_000);
    expect(last!.tasks[0]).toMatchObject({ key: taskKey, assignee: 'agent-8' });
    expect((await handle.executeUpdate(completeTaskUpdate, { args: [{ taskKey, variables: {} }] })).accepted).toBe(true);
    expect((await handle.result()) as ProcessInstanceResult).toEqual({ status: 'completed', variables: { pad: null } });
  }, 300_000);
});
