/**
 * The task's form: the form-js schema from GET /api/tasks/{id}/form rendered with form-js's
 * Form (validation, required fields and layout are the library's); without a schema a small
 * generic form (an optional note, posted as a task comment: a task without a form declares no
 * variables, and the API refuses undeclared ones). `collect()` gives the variables to complete
 * the task with, or null when the form shows errors.
 */
import '@bpmn-io/form-js/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js';
import { api } from '../../core/api';
import { h } from '../../core/dom';
import { t } from '../../i18n';

export interface TaskFormView {
  el: HTMLElement;
  /** The variables to complete with; null while the form has errors (form-js shows them). */
  collect(): Record<string, unknown> | null;
  /** A note to post as a comment before completing (the generic form only). */
  note?(): string | null;
  destroy(): void;
}

export async function taskForm(taskId: string): Promise<TaskFormView> {
  const { schema } = await api.get<{ formKey: string | null; schema: Record<string, unknown> | null }>(`/api/tasks/${encodeURIComponent(taskId)}/form`);
  if (!schema) return genericForm();
  const el = h('div', { class: 'task-form form-js' });
  const form = new Form({ container: el });
  await form.importSchema(schema as never, {});
  return {
    el,
    collect() {
      const { data, errors } = form.submit() as { data: Record<string, unknown>; errors: Record<string, unknown> };
      return Object.keys(errors).length > 0 ? null : data;
    },
    destroy: () => form.destroy(),
  };
}

function genericForm(): TaskFormView {
  const note = h('textarea', { id: 'task-note', name: 'note', rows: 3, maxlength: 2000 });
  const el = h('div', { class: 'task-form generic' },
    h('p', { class: 'notice' }, t('inbox.form.none')),
    h('label', { for: 'task-note' }, t('inbox.form.note')), note);
  return {
    el,
    collect: () => ({}),
    note: () => note.value.trim() || null,
    destroy: () => undefined,
  };
}
