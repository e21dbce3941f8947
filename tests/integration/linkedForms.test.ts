/**
 * Linked forms (`zeebe:formDefinition formId`), through HTTP on the real servers: a deployment
 * as multipart/form-data carries the diagram and its .form files; forms are stored versioned
 * by their id; a user task's form resolves to the latest version of the linked form; a
 * diagram linking a form that is not deployed is refused naming the element, storing nothing.
 */
import { eventually, startStack, type Stack } from '../support/stack';
import { uniqueName } from '../support/servers';

interface TaskPage { items: Array<{ id: string; elementId: string }> }
interface FormAnswer { formKey: string | null; schema: { id: string; components: Array<{ key?: string }> } | null; formVersion?: number }
interface DeployAnswer { key: string; version: number; created: boolean; forms?: Array<{ formId: string; version: number; created: boolean }>; errors?: Array<{ elementId: string | null; message: string; severity: string }> }

const diagram = (id: string, formId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements><zeebe:formDefinition formId="${formId}" /><zeebe:assignmentDefinition candidateGroups="after-sales" /></bpmn:extensionElements>
      <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="review" /><bpmn:sequenceFlow id="b" sourceRef="review" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

const form = (id: string, keys: string[]) => JSON.stringify({
  id, type: 'default', schemaVersion: 16,
  components: keys.map((key) => ({ type: 'textfield', key, label: key })),
});

describe('linked forms', () => {
  let stack: Stack;
  let token: string;

  const deploy = async (files: Array<{ name: string; text: string }>) => {
    const body = new FormData();
    for (const f of files) body.append('resources', new Blob([f.text]), f.name);
    const res = await fetch(`${stack.url}/api/definitions`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    return { status: res.status, body: (await res.json()) as DeployAnswer };
  };

  beforeAll(async () => {
    stack = await startStack();
    const user = await stack.createUser({ roles: ['designer', 'admin'], email: `${uniqueName('forms')}@example.com` });
    token = (await stack.login(user.email, user.password)).token;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('deploys a diagram with its form, resolves the task form to the latest form version', async () => {
    const key = uniqueName('linked');
    const formId = `${key}-review`;
    const first = await deploy([{ name: `${key}.bpmn`, text: diagram(key, formId) }, { name: 'review.form', text: form(formId, ['summary']) }]);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ key, version: 1, created: true, forms: [{ formId, version: 1, created: true }] });

    const instanceId = (await stack.api<{ instanceId: string }>('POST', `/api/processes/${key}/instances`, {})).body.instanceId;
    const task = (await eventually<TaskPage>(stack, `/api/tasks?instanceId=${instanceId}`, (p) => p.items.length === 1, 'the review task')).items[0]!;
    const v1 = await stack.api<FormAnswer>('GET', `/api/tasks/${task.id}/form`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ formKey: formId, formVersion: 1, schema: { id: formId } });
    expect(v1.body.schema!.components.map((c) => c.key)).toEqual(['summary']);

    // the same diagram with a changed form: the process stays at version 1, the form gets version 2
    const second = await deploy([{ name: `${key}.bpmn`, text: diagram(key, formId) }, { name: 'review.form', text: form(formId, ['summary', 'outcome']) }]);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ version: 1, created: false, forms: [{ formId, version: 2, created: true }] });
    const v2 = await stack.api<FormAnswer>('GET', `/api/tasks/${task.id}/form`);
    expect(v2.body).toMatchObject({ formVersion: 2 });
    expect(v2.body.schema!.components.map((c) => c.key)).toEqual(['summary', 'outcome']);
    // the same form again is no new version
    const third = await deploy([{ name: `${key}.bpmn`, text: diagram(key, formId) }, { name: 'review.form', text: form(formId, ['summary', 'outcome']) }]);
    expect(third.body.forms).toEqual([{ formId, version: 2, created: false }]);

    // another diagram may link a form deployed before, as plain XML
    const other = uniqueName('linked-later');
    expect((await stack.api('POST', '/api/definitions', diagram(other, formId), 'application/xml')).status).toBe(201);
  });

  it('refuses a diagram whose linked form is not deployed, naming the user task, and stores nothing', async () => {
    const key = uniqueName('linked-missing');
    const res = await deploy([{ name: `${key}.bpmn`, text: diagram(key, `${key}-nowhere`) }]);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ elementId: 'review', severity: 'error', message: expect.stringContaining(`'${key}-nowhere'`) })]);
    expect((await stack.api('POST', '/api/definitions', diagram(key, `${key}-nowhere`), 'application/xml')).status).toBe(422);
    expect((await stack.api('GET', `/api/definitions/${key}/versions`)).status).toBe(404);
  });

  it('refuses bad form files and multipart bodies without one diagram, storing nothing', async () => {
    const key = uniqueName('linked-bad');
    const formId = `${key}-f`;
    const notJson = await deploy([{ name: `${key}.bpmn`, text: diagram(key, formId) }, { name: 'broken.form', text: '{ nope' }]);
    expect(notJson.status).toBe(422);
    expect(notJson.body.errors).toContainEqual(expect.objectContaining({ elementId: null, message: expect.stringMatching(/^document-level: form file 'broken\.form' is not JSON/) }));
    const noId = await deploy([{ name: `${key}.bpmn`, text: diagram(key, formId) }, { name: 'anon.form', text: JSON.stringify({ components: [] }) }]);
    expect(noId.status).toBe(422);
    expect((await deploy([{ name: 'only.form', text: form(formId, ['x']) }])).status).toBe(400);
    expect((await deploy([{ name: 'a.bpmn', text: diagram(key, formId) }, { name: 'notes.txt', text: 'hi' }])).status).toBe(400);
    expect((await stack.api('GET', `/api/definitions/${key}/versions`)).status).toBe(404);
    // the form of the refused deployments was not stored: the diagram alone is still refused
    expect((await stack.api('POST', '/api/definitions', diagram(key, formId), 'application/xml')).status).toBe(422);
  });
});
