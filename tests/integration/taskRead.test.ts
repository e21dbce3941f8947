/**
 * GET /api/tasks/{id}: one task as the list shows it (the inbox's task page reads it instead
 * of listing up to 200 tasks of the instance to find one), in the reader's scope, and still
 * readable once completed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskView { id: string; instanceId: string; elementId: string; state: string; assignee: string | null; formKey: string | null; businessKey: string | null; complaintId: string | null }
interface TaskPage { items: TaskView[] }

describe('GET /api/tasks/{id}', () => {
  let stack: Stack;
  let instanceId: string;
  let listed: TaskView;

  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.api('POST', '/api/definitions', fixture('inbox-call-back.bpmn'), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/inbox-call-back/instances', { businessKey: 'CB-READ-1', variables: {} });
    instanceId = started.body.instanceId;
    listed = (await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items.length === 1, 'call-back task')).items[0]!;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the task exactly as the list shows it, to its group and to a colleague of another group once assigned to them', async () => {
    // given an agent of the task's group
    const ann = stack.as({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-read-ann' });
    // when
    const read = await ann<TaskView>('GET', `/api/tasks/${listed.id}`);
    // then
    expect(read.status).toBe(200);
    expect(read.body).toEqual(listed);
    expect(read.body).toMatchObject({ elementId: 'CallBack', definitionKey: 'inbox-call-back', businessKey: 'CB-READ-1', complaintId: null, state: 'open', formKey: 'camunda-forms:bpmn:CallBackForm' });
  });

  it('refuses another group (403), answers 404 for an unknown task and 400 for a malformed id', async () => {
    const carl = stack.as({ roles: ['engineer'], groups: ['field-repairs'], staffId: 'S-read-carl' });
    expect((await carl('GET', `/api/tasks/${listed.id}`)).status).toBe(403);
    expect((await carl('GET', '/api/tasks/pi-00000000-0000-4000-8000-000000000000.1')).status).toBe(404);
    const malformed = await carl<{ fields: Array<{ path: string }> }>('GET', '/api/tasks/not-a-task');
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f) => f.path)).toEqual(['id']);
  });

  it('shows a claim and still answers once the task is completed', async () => {
    // given the task claimed and then completed
    expect((await stack.api('POST', `/api/tasks/${listed.id}/claim`, { assignee: 'S-read-ann' })).status).toBe(204);
    const claimed = await eventually<TaskView>(stack, `/api/tasks/${listed.id}`, (t) => t.assignee === 'S-read-ann', 'claimed');
    expect(claimed.state).toBe('claimed');
    expect((await stack.api('POST', `/api/tasks/${listed.id}/complete`, { variables: { callSummary: 'ok', outcome: 'resolved' } })).status).toBe(200);
    // when / then
    const done = await eventually<TaskView>(stack, `/api/tasks/${listed.id}`, (t) => t.state === 'completed', 'completed');
    expect(done).toMatchObject({ id: listed.id, instanceId, assignee: 'S-read-ann', businessKey: 'CB-READ-1' });
  });

  it("shows the priority the diagram gives the task (zeebe:priorityDefinition), evaluated when it opens", async () => {
    // given a process whose task priority is FEEL over a start variable
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="prioritised-call" isExecutable="true">
    <bpmn:startEvent id="S" />
    <bpmn:userTask id="Call" name="Call back"><bpmn:extensionElements><zeebe:userTask />
      <zeebe:assignmentDefinition candidateGroups="after-sales" /><zeebe:priorityDefinition priority="=if vip then 85 else 30" />
    </bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Call" /><bpmn:sequenceFlow id="f2" sourceRef="Call" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>`;
    expect((await stack.api('POST', '/api/definitions', xml, 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/prioritised-call/instances', { variables: { vip: true } });
    // when the task is listed and read, then it carries the priority
    const page = await eventually<{ items: Array<TaskView & { priority?: number }> }>(stack, `/api/tasks?instanceId=${started.body.instanceId}`, (p) => p.items.length === 1, 'prioritised task');
    expect(page.items[0]!.priority).toBe(85);
    expect((await stack.api<{ priority?: number }>('GET', `/api/tasks/${page.items[0]!.id}`)).body.priority).toBe(85);
    // and a task of a process without a priority or SLA policies has none
    expect(listed).not.toHaveProperty('priority');
  });
});
