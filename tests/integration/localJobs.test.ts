/**
 * Jobs of integrations on the service's own database run as Temporal local activities (decision
 * 0061): their outcome is a marker in the history, not an activity task; a failure with no
 * attempts left is still an incident an operator resolves; the replay dry run still reads
 * which job each marker belongs to.
 */
import { recordedHistory } from '../../server/api/migrations/recordedRuns';
import { engineHistoryReader } from '../../server/compliance/engineHistory';
import { eventually, startStack, type Stack } from '../support/stack';

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="local-jobs" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="setSeverity" />
    <bpmn:serviceTask id="setSeverity">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="variables.set" />
        <zeebe:ioMapping><zeebe:input source="={severity: &quot;high&quot;}" target="variables" /></zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="setSeverity" targetRef="record" />
    <bpmn:serviceTask id="record">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="complaint.record" retries="2" />
        <zeebe:ioMapping>
          <zeebe:input source="=complaintId" target="complaintId" />
          <zeebe:input source="=&quot;looked at&quot;" target="event" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="record" targetRef="review" />
    <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="after-sales" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;

interface IncidentPage { items: Array<{ id: string; instanceId: string; elementId: string; type: string; message: string }> }
interface Instance { status: string; activeElements: string[]; variables: Record<string, unknown> }

describe('jobs on our own database as local activities', () => {
  let stack: Stack;

  beforeAll(async () => {
    // plain payloads, so the test reads the markers as the replay dry run does without a key
    stack = await startStack({ encryptPayloads: false });
    expect((await stack.api('POST', '/api/definitions', BPMN, 'application/xml')).status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('records each local job as a marker, raises an incident when its attempts run out, and the dry run names the jobs', async () => {
    // given an instance whose second job records on a complaint that does not exist
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/local-jobs/instances', { variables: { complaintId: 'C-none' } });
    expect(started.status).toBe(201);
    const id = started.body.instanceId;

    // when its jobs have run: the first set a variable, the second ran out of attempts
    const incidents = await eventually<IncidentPage>(stack, '/api/incidents?key=local-jobs', (p) => p.items.length === 1, 'the record job\'s incident');

    // then the failure is an incident on the job's element, saying what went wrong
    expect(incidents.items[0]).toMatchObject({ instanceId: id, elementId: 'record', type: 'JOB_NO_RETRIES', message: expect.stringContaining("no complaint 'C-none'") });
    const live = await stack.api<Instance>('GET', `/api/instances/${id}`);
    expect(live.body).toMatchObject({ status: 'active', activeElements: ['record'], variables: { severity: 'high' } });

    // and Temporal saw no activity task: each job is a local-activity marker, the failed one with the job's key
    const history = await engineHistoryReader(stack.client, undefined).read(id, false);
    expect(history.events.filter((e) => e.type === 'ACTIVITY_TASK_SCHEDULED')).toEqual([]);
    const markers = history.events.filter((e) => e.type === 'MARKER_RECORDED' && (e.attributes as { markerName?: string }).markerName === 'core_local_activity');
    expect(markers).toHaveLength(2);

    // and the replay dry run reads both outcomes as the jobs' own stimuli
    const read = recordedHistory(history);
    expect(read.complete).toBe(true);
    const jobs = read.runs[0]!.inputs.flatMap((i) => (i.kind === 'stimulus' && i.body.type.startsWith('job') ? [i.body] : []));
    expect(jobs).toEqual([
      { type: 'jobCompleted', key: expect.any(String), variables: { severity: 'high' } },
      { type: 'jobFailed', key: expect.any(String), message: expect.stringContaining("no complaint 'C-none'"), retriesLeft: 0 },
    ]);
    const keys = jobs.map((j) => ('key' in j ? j.key : null));
    expect(new Set(keys).size).toBe(2);

    // when the operator resolves the incident, the job runs again (locally) and fails again: a new incident
    expect((await stack.api('POST', `/api/instances/${id}/incidents/${incidents.items[0]!.id}/resolve`)).status).toBe(204);
    const again = await eventually<IncidentPage>(stack, '/api/incidents?key=local-jobs', (p) => p.items.length === 1 && p.items[0]!.id !== incidents.items[0]!.id, 'the retried job\'s incident');
    expect(again.items[0]).toMatchObject({ elementId: 'record', type: 'JOB_NO_RETRIES' });
    const after = await engineHistoryReader(stack.client, undefined).read(id, false);
    expect(after.events.filter((e) => e.type === 'ACTIVITY_TASK_SCHEDULED')).toEqual([]);
    expect(after.events.filter((e) => (e.attributes as { markerName?: string } | null)?.markerName === 'core_local_activity')).toHaveLength(3);
  });
});
