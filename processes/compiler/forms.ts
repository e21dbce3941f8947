/**
 * User-task forms stored the Camunda 8 way: the form-js JSON lives in the process as a
 * `zeebe:UserTaskForm` (id + body) and the task points at it with
 * `zeebe:FormDefinition formKey="camunda-forms:bpmn:<UserTaskForm id>"`. The schemas stay in
 * the stored XML, out of the executable model (and so out of workflow history); the inbox
 * reads them from the deployed version (server/api/instances/taskForms.ts).
 */
import type { ElementDef } from '../model/types';
import type { CompileContext } from './context';
import type { MBaseElement } from './moddleTypes';
import { parseBpmn } from './parse';
import { attr, zeebeExts } from './zeebe';

export const EMBEDDED_FORM_PREFIX = 'camunda-forms:bpmn:';

/** The UserTaskForm id a formKey names, or null for a key of another kind (an external form). */
export function embeddedFormId(formKey: string | null | undefined): string | null {
  return formKey && formKey.startsWith(EMBEDDED_FORM_PREFIX) ? formKey.slice(EMBEDDED_FORM_PREFIX.length) : null;
}

/** A form-js schema: a JSON object (form-js requires `components`, an array). */
export function parseFormBody(body: string | undefined): Record<string, unknown> | string {
  if (body === undefined || body.trim() === '') return 'has no body';
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return `is not JSON: ${(err as Error).message}`;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'is not a JSON object';
  if (!Array.isArray((value as { components?: unknown }).components)) return 'has no components array (not a form-js schema)';
  return value as Record<string, unknown>;
}

/** The raw bodies of a process's `zeebe:UserTaskForm`s by id. */
export function processFormBodies(process: MBaseElement): Map<string, string | undefined> {
  const forms = new Map<string, string | undefined>();
  for (const form of zeebeExts(process, 'zeebe:UserTaskForm')) {
    const id = attr(form, 'id');
    if (id) forms.set(id, attr(form, 'body'));
  }
  return forms;
}

/** At compile time: every embedded formKey names a form of its process whose body is a form-js schema. */
export function checkUserTaskForms(process: MBaseElement, elements: readonly ElementDef[], ctx: CompileContext): void {
  const bodies = processFormBodies(process);
  for (const e of elements) {
    if (e.kind !== 'userTask') continue;
    const id = embeddedFormId(e.formKey);
    if (id === null) continue;
    if (!bodies.has(id)) {
      ctx.problems.error(e.id, e.bpmnType, `formKey '${e.formKey ?? ''}' names no zeebe:UserTaskForm '${id}' in this process`);
      continue;
    }
    const parsed = parseFormBody(bodies.get(id));
    if (typeof parsed === 'string') ctx.problems.error(e.id, e.bpmnType, `the form '${id}' ${parsed}`);
  }
}

/**
 * The form-js schemas of every process of a (deployed, so already compiled) document, by
 * UserTaskForm id per process id. Forms whose body does not parse are left out.
 */
export async function userTaskForms(xml: string): Promise<Map<string, Map<string, Record<string, unknown>>>> {
  const parsed = await parseBpmn(xml);
  const result = new Map<string, Map<string, Record<string, unknown>>>();
  if (!parsed.ok) return result;
  const processes = (parsed.definitions.rootElements ?? []).filter((e): e is MBaseElement => e.$type === 'bpmn:Process');
  for (const process of processes) {
    const forms = new Map<string, Record<string, unknown>>();
    for (const [id, body] of processFormBodies(process)) {
      const schema = parseFormBody(body);
      if (typeof schema !== 'string') forms.set(id, schema);
    }
    result.set(process.id ?? '', forms);
  }
  return result;
}
