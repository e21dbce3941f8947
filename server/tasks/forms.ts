/**
 * The form of a user task for the inbox: the task's formKey, and for an embedded form
 * (`camunda-forms:bpmn:<id>`) its form-js schema, read from the XML of the definition version
 * the task's instance runs. Versions never change once deployed, so the parsed forms of a
 * version are kept (a small bounded cache) instead of parsing the XML on every request.
 */
import { embeddedFormId, userTaskForms } from '../../processes/compiler/forms';
import type { DefinitionsService } from '../definitions/service';
import type { ProjectionModels, TaskRecord } from '../projections/models';
import { sanitiseFormSchema } from './formSanitising';
import { formVariables, outputVariables } from './variables';

/** `definitionVersion`: written on task documents by the projection since decision 0058; absent on older ones. */
type TaskVersion = { instanceId: string; definitionKey?: string; definitionVersion?: number };
type FormsOfVersion = Map<string, Map<string, Record<string, unknown>>>;
const CACHED_VERSIONS = 50;

export function createTaskForms(deps: { projections: ProjectionModels; definitions: Pick<DefinitionsService, 'resolveDefinition' | 'latestForm'> }) {
  const cache = new Map<string, Promise<FormsOfVersion>>();

  const formsOf = (key: string, version: number): Promise<FormsOfVersion> => {
    const id = `${key}@${version}`;
    let forms = cache.get(id);
    if (!forms) {
      forms = deps.definitions.resolveDefinition(key, version).then((record) => userTaskForms(record.xml));
      forms.catch(() => cache.delete(id));
      cache.set(id, forms);
      if (cache.size > CACHED_VERSIONS) cache.delete(cache.keys().next().value as string);
    }
    return forms;
  };

  /**
   * The definition version a task was opened in: on the task since the projection writes it
   * (`definitionVersion`, beside `definitionKey`), else (tasks written before, or `instance`)
   * the version its instance runs now, which differs only after a migration (decision 0041).
   */
  const versionOf = async (task: TaskVersion, source: 'task' | 'instance'): Promise<{ definitionKey: string; definitionVersion: number } | null> => {
    if (source === 'task' && typeof task.definitionKey === 'string' && typeof task.definitionVersion === 'number') {
      return { definitionKey: task.definitionKey, definitionVersion: task.definitionVersion };
    }
    return deps.projections.instances.findById(task.instanceId).select({ definitionKey: 1, definitionVersion: 1 }).lean();
  };

  return {
    /**
     * The variables a completion of this task may set (form keys and output mappings of its
     * definition version); null when the instance is not in the read model yet. `task`: of the
     * version the task carries (no read; tasks projected before it was written learn it from
     * their instance), `instance`: of the version its instance runs now.
     */
    async declaredVariables(task: Pick<TaskRecord, 'instanceId' | 'elementId' | 'formKey'> & TaskVersion, source: 'task' | 'instance' = 'task'): Promise<Set<string> | null> {
      const version = await versionOf(task, source);
      if (!version) return null;
      const record = await deps.definitions.resolveDefinition(version.definitionKey, version.definitionVersion);
      const element = record.model.elements.find((e) => e.id === task.elementId);
      const declared = element ? outputVariables(element) : new Set<string>();
      const formId = embeddedFormId(task.formKey);
      if (formId !== null) {
        const schema = (await formsOf(version.definitionKey, version.definitionVersion)).get(version.definitionKey)?.get(formId);
        if (schema) for (const name of formVariables(schema)) declared.add(name);
      }
      return declared;
    },

    async of(task: Pick<TaskRecord, 'instanceId' | 'definitionKey' | 'formKey'> & { elementId?: string }): Promise<{ formKey: string | null; schema: Record<string, unknown> | null; formVersion?: number }> {
      const formKey = task.formKey ?? null;
      const formId = embeddedFormId(formKey);
      if (formId === null && formKey === null) return { formKey, schema: null };
      const instance = await versionOf(task, 'instance');
      if (!instance) return { formKey, schema: null };
      if (formId === null) {
        // A linked form (zeebe:formDefinition formId): the latest deployed version of it (Camunda's `latest` binding).
        const record = await deps.definitions.resolveDefinition(instance.definitionKey, instance.definitionVersion);
        const element = record.model.elements.find((e) => e.id === task.elementId);
        const linked = element?.kind === 'userTask' && element.formId ? await deps.definitions.latestForm(element.formId) : null;
        return linked ? { formKey, schema: sanitiseFormSchema(linked.schema), formVersion: linked.version } : { formKey, schema: null };
      }
      const forms = await formsOf(instance.definitionKey, instance.definitionVersion);
      // The process id is the definition key.
      const schema = forms.get(instance.definitionKey)?.get(formId);
      return { formKey, schema: schema ? sanitiseFormSchema(schema) : null };
    },
  };
}

export type TaskForms = ReturnType<typeof createTaskForms>;
