import { readFileSync } from 'node:fs';
import path from 'node:path';
import { embeddedFormId, userTaskForms } from '../../../processes/compiler/forms';
import { around, compile, doc, errors } from './helpers';

const FORM = '{"components":[{"type":"textfield","key":"note","label":"Note"}]}';
const formTask = (formKey: string) => `<bpmn:userTask id="X"><bpmn:extensionElements><zeebe:formDefinition formKey="${formKey}" /></bpmn:extensionElements></bpmn:userTask>`;
const withForms = (forms: string, task: string) => doc(`
    <bpmn:extensionElements>${forms}</bpmn:extensionElements>
    <bpmn:startEvent id="Start" />
    ${task}
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="In" sourceRef="Start" targetRef="X" />
    <bpmn:sequenceFlow id="Out" sourceRef="X" targetRef="End" />`);

describe('user-task forms (zeebe:UserTaskForm + camunda-forms:bpmn: formKey)', () => {
  it('accepts a task whose embedded form exists and keeps the formKey on the model', async () => {
    // given
    const xml = withForms(`<zeebe:userTaskForm id="F1">${FORM}</zeebe:userTaskForm>`, formTask('camunda-forms:bpmn:F1'));
    // when
    const result = await compile(xml);
    // then
    expect(errors(result)).toEqual([]);
    expect(result.document?.processes[0]?.elements.find((e) => e.id === 'X')).toMatchObject({ kind: 'userTask', formKey: 'camunda-forms:bpmn:F1' });
  });

  it('names the task whose formKey points at a missing form', async () => {
    const result = await compile(withForms('', formTask('camunda-forms:bpmn:Nope')));
    expect(errors(result)).toEqual([expect.objectContaining({ elementId: 'X', message: expect.stringContaining("no zeebe:UserTaskForm 'Nope'") })]);
  });

  it.each([
    ['not JSON', '{nope', 'is not JSON'],
    ['an array', '[1]', 'is not a JSON object'],
    ['without components', '{"type":"default"}', 'has no components array'],
  ])('names the task whose form body is %s', async (_what, body, message) => {
    const result = await compile(withForms(`<zeebe:userTaskForm id="F1">${body}</zeebe:userTaskForm>`, formTask('camunda-forms:bpmn:F1')));
    expect(errors(result)).toEqual([expect.objectContaining({ elementId: 'X', message: expect.stringContaining(message) })]);
  });

  it('leaves other formKeys (external forms) alone', async () => {
    const result = await compile(around(formTask('complaint-triage')));
    expect(errors(result)).toEqual([]);
    expect(embeddedFormId('complaint-triage')).toBeNull();
    expect(embeddedFormId('camunda-forms:bpmn:A')).toBe('A');
  });

  it('reads the schemas of a deployed document by process and form id', async () => {
    // given the inbox journey's fixture
    const xml = readFileSync(path.join(__dirname, '../../integration/fixtures/inbox-call-back.bpmn'), 'utf8');
    // when
    const forms = await userTaskForms(xml);
    // then
    const schema = forms.get('inbox-call-back')?.get('CallBackForm');
    expect(schema).toMatchObject({ id: 'CallBackForm', components: expect.arrayContaining([expect.objectContaining({ key: 'callSummary' })]) });
    expect([...forms.keys()]).toEqual(['inbox-call-back']);
  });
});
