/**
 * User-task forms stored in the diagram the Camunda 8 way: the form JSON in a
 * `zeebe:UserTaskForm` (id, body) of the process's extension elements, and the task's
 * `zeebe:FormDefinition formKey="camunda-forms:bpmn:<id>"`. The inbox reads forms of deployed
 * definitions with exactly this convention. All writes go through bpmn-js's modeling, so
 * they can be undone.
 */
import type Modeler from 'bpmn-js/lib/Modeler';

export const FORM_KEY_PREFIX = 'camunda-forms:bpmn:';

interface Bo {
  $type: string;
  $parent?: Bo;
  id?: string;
  processRef?: Bo;
  extensionElements?: Bo & { values?: Bo[] };
  values?: Bo[];
  formKey?: string;
  name?: string;
  body?: string;
  $instanceOf(type: string): boolean;
}

export interface Shape { id: string; type: string; businessObject: Bo }

interface Services {
  modeling: { updateModdleProperties(element: Shape, target: Bo, props: Record<string, unknown>): void };
  bpmnFactory: { create(type: string, attrs?: Record<string, unknown>): Bo };
  canvas: { getRootElement(): Shape };
}

const services = (modeler: Modeler): Services => ({
  modeling: modeler.get('modeling'),
  bpmnFactory: modeler.get('bpmnFactory'),
  canvas: modeler.get('canvas'),
});

export function isUserTask(element: Shape | undefined): element is Shape {
  return !!element && element.businessObject.$instanceOf('bpmn:UserTask');
}

/** The bpmn:Process a flow element belongs to (through sub-processes; a pool's processRef). */
function processOf(bo: Bo): Bo | undefined {
  for (let n: Bo | undefined = bo; n; n = n.$parent) {
    if (n.$type === 'bpmn:Process') return n;
    if (n.$type === 'bpmn:Participant') return n.processRef;
  }
  return undefined;
}

const extensions = (bo: Bo, type: string): Bo[] => (bo.extensionElements?.values ?? []).filter((v) => v.$type === type);

function formDefinition(task: Bo): Bo | undefined {
  return extensions(task, 'zeebe:FormDefinition')[0];
}

function userTaskForm(process: Bo, id: string): Bo | undefined {
  return extensions(process, 'zeebe:UserTaskForm').find((f) => f.id === id);
}

/** The form JSON stored for a user task, or null when it has none of ours. */
export function readForm(task: Shape): unknown {
  const key = formDefinition(task.businessObject)?.formKey;
  const process = processOf(task.businessObject);
  if (!key?.startsWith(FORM_KEY_PREFIX) || !process) return null;
  const body = userTaskForm(process, key.slice(FORM_KEY_PREFIX.length))?.body;
  return body ? (JSON.parse(body) as unknown) : null;
}

/** Adds `value` to the extension elements of `bo` (creating them) with one undoable command each. */
function addExtension(s: Services, shape: Shape, bo: Bo, value: Bo): void {
  let ext = bo.extensionElements;
  if (!ext) {
    ext = s.bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    ext.$parent = bo;
    s.modeling.updateModdleProperties(shape, bo, { extensionElements: ext });
  }
  value.$parent = ext;
  s.modeling.updateModdleProperties(shape, ext, { values: [...(ext.values ?? []), value] });
}

/** Stores the form JSON for a user task: updates its UserTaskForm, or creates both parts. */
export function storeForm(modeler: Modeler, task: Shape, schema: unknown): string {
  const s = services(modeler);
  const process = processOf(task.businessObject);
  if (!process) throw new Error('the task is not inside a process');
  const body = JSON.stringify(schema);
  // An embedded form belongs to a job-worker user task: Camunda 8's behaviours drop it from a
  // task marked zeebe:UserTask (which they add to new user tasks), and our engine runs both alike.
  const ext = task.businessObject.extensionElements;
  if (ext && extensions(task.businessObject, 'zeebe:UserTask').length) {
    s.modeling.updateModdleProperties(task, ext, { values: (ext.values ?? []).filter((v) => v.$type !== 'zeebe:UserTask') });
  }
  const key = formDefinition(task.businessObject)?.formKey;
  const existing = key?.startsWith(FORM_KEY_PREFIX) ? userTaskForm(process, key.slice(FORM_KEY_PREFIX.length)) : undefined;
  if (existing?.id) {
    s.modeling.updateModdleProperties(task, existing, { body });
    return existing.id;
  }
  const id = `UserTaskForm_${task.id}`;
  addExtension(s, task, process, s.bpmnFactory.create('zeebe:UserTaskForm', { id, body }));
  const definition = formDefinition(task.businessObject);
  if (definition) s.modeling.updateModdleProperties(task, definition, { formKey: `${FORM_KEY_PREFIX}${id}` });
  else addExtension(s, task, task.businessObject, s.bpmnFactory.create('zeebe:FormDefinition', { formKey: `${FORM_KEY_PREFIX}${id}` }));
  return id;
}
