/**
 * User-task forms the Camunda 8 way, as the web designer stores them: the form JSON in a
 * `zeebe:UserTaskForm` of the process and the task's `zeebe:formDefinition formKey`
 * pointing at it with `camunda-forms:bpmn:<id>`. The compiler must accept it without warnings
 * and keep the form key on the task.
 */
import { compile, doc } from './helpers';

const FORM = JSON.stringify({ type: 'default', id: 'Form_Check', components: [{ type: 'textfield', key: 'note', label: 'Note' }] });

describe('user-task forms embedded in the diagram', () => {
  it('accepts a zeebe:UserTaskForm with the form JSON and keeps the task form key', async () => {
    // given
    const xml = doc(`
      <bpmn:extensionElements><zeebe:userTaskForm id="UserTaskForm_1">${FORM.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</zeebe:userTaskForm></bpmn:extensionElements>
      <bpmn:startEvent id="Start" name="Start" />
      <bpmn:userTask id="Check" name="Check">
        <bpmn:extensionElements><zeebe:formDefinition formKey="camunda-forms:bpmn:UserTaskForm_1" /></bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:endEvent id="End" name="End" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
      <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />`);

    // when
    const result = await compile(xml);

    // then
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const task = result.document?.processes[0]?.elements.find((e: { id: string }) => e.id === 'Check');
    expect(task).toEqual(expect.objectContaining({ kind: 'userTask', formKey: 'camunda-forms:bpmn:UserTaskForm_1' }));
  });
});
