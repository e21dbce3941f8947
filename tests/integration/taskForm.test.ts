import fs from 'node:fs';
import path from 'node:path';
import { eventually, startStack, type Stack } from '../support/stack';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

interface TaskPage { items: Array<{ id: string; instanceId: string; elementId: string; state: string; formKey: string | null; businessKey: string | null; complaintId: string | null }> }

// inbox-call-back.bpmn: the call-back task (group after-sales) has an embedded form, the review after it has none.
describe('GET /api/tasks/{id}/form', () => {
  let stack: Stack;
  let instanceId: string;
  let callBack: TaskPage['items'][number];

  beforeAll(async () => {
    stack = await startStack();
    expect((await stack.api('POST', '/api/definitions', fixture('inbox-call-back.bpmn'), 'application/xml')).status).toBe(201);
    const started = await stack.api<{ instanceId: string }>('POST', '/api/processes/inbox-call-back/instances', { businessKey: 'CB-1', variables: {} });
    instanceId = started.body.instanceId;
    const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items.length === 1, 'call-back task');
    callBack = page.items[0]!;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("gives the task's embedded form-js schema to its group, and lists the task with its business key", async () => {
    // given
    const ann = stack.as({ roles: ['agent'], groups: ['after-sales'], staffId: 'S-ann' });
    // when
    const form = await ann<{ formKey: string; schema: { components: Array<{ key?: string }> } }>('GET', `/api/tasks/${callBack.id}/form`);
    // then
    expect(form.status).toBe(200);
    expect(form.body.formKey).toBe('camunda-forms:bpmn:CallBackForm');
    expect(form.body.schema.components.map((c) => c.key).filter(Boolean)).toEqual(['callSummary', 'outcome', 'customerConsented']);
    expect(callBack).toMatchObject({ formKey: 'camunda-forms:bpmn:CallBackForm', businessKey: 'CB-1', complaintId: null });
  });

  it('refuses another group (403) and answers 404 for an unknown task', async () => {
    const carl = stack.as({ roles: ['engineer'], groups: ['field-repairs'], staffId: 'S-carl' });
    expect((await carl('GET', `/api/tasks/${callBack.id}/form`)).status).toBe(403);
    expect((await carl('GET', '/api/tasks/pi-00000000-0000-4000-8000-000000000000.1/form')).status).toBe(404);
  });

  it('answers schema null for a task without a form, and filters by several states', async () => {
    // given the call-back task completed, so the review is open
    // (a completion may set only the keys of the task's form: an undeclared variable is refused with its path)
    const planted = await stack.api<{ error: string; fields: Array<{ path: string }> }>('POST', `/api/tasks/${callBack.id}/complete`,
      { variables: { callSummary: 'ok', outcome: 'resolved', approved: true } });
    expect(planted.status).toBe(400);
    expect(planted.body).toMatchObject({ error: 'undeclared_variables', fields: [{ path: 'variables.approved' }] });
    // (the task document names its definition version, so no instance is read for that; a task
    // document written before it did learns the version from its instance, with the same answer)
    const tasks = stack.mongo.collection('tasks');
    expect(await tasks.findOne({ _id: callBack.id as never })).toMatchObject({ definitionKey: 'inbox-call-back', definitionVersion: 1 });
    await Promise.all([tasks, stack.mongo.collection('open_tasks')].map((c) => c.updateOne({ _id: callBack.id as never }, { $unset: { definitionVersion: '' } })));
    const plantedAgain = await stack.api('POST', `/api/tasks/${callBack.id}/complete`, { variables: { callSummary: 'ok', approved: true } });
    expect(plantedAgain).toMatchObject({ status: 400, body: { error: 'undeclared_variables', fields: [{ path: 'variables.approved' }] } });
    expect((await stack.api('POST', `/api/tasks/${callBack.id}/complete`, { variables: { callSummary: 'ok', outcome: 'resolved' } })).status).toBe(200);
    // (the inbox copy gains the review and loses the call-back in two writes of one flush: wait for both)
    const page = await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}&state=open,claimed`, (p) => p.items.some((t) => t.elementId === 'Review') && p.items.every((t) => t.elementId !== 'CallBack'), 'review task alone');
    // when
    const form = await stack.api('GET', `/api/tasks/${page.items[0]!.id}/form`);
    const newestFirst = await stack.api<TaskPage>('GET', `/api/tasks?instanceId=${instanceId}&sort=-createdAt`);
    // then: of the two tasks only the open one is listed
    expect(page.items.map((t) => t.elementId)).toEqual(['Review']);
    expect(form.body).toEqual({ formKey: null, schema: null });
    expect(newestFirst.body.items.map((t) => t.elementId)).toEqual(['Review', 'CallBack']);
    expect((await stack.api('GET', '/api/tasks?state=open,bogus')).status).toBe(400);
    // and a task with neither a form nor output mappings accepts no variables at all
    const review = page.items[0]!;
    const any = await stack.api<{ error: string; fields: Array<{ path: string }> }>('POST', `/api/tasks/${review.id}/complete`, { variables: { outcome: 'visit' } });
    expect(any).toMatchObject({ status: 400, body: { error: 'undeclared_variables', fields: [{ path: 'variables.outcome' }] } });
    expect((await stack.api('POST', `/api/tasks/${review.id}/complete`, { variables: {} })).status).toBe(200);
    const done = await eventually<{ status: string; variables: Record<string, unknown> }>(stack, `/api/instances/${instanceId}`, (d) => d.status === 'completed', 'completed instance');
    expect(done.variables).toMatchObject({ outcome: 'resolved' });
    expect(done.variables).not.toHaveProperty('approved');
  });
});
