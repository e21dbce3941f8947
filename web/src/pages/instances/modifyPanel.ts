/**
 * "Move token" on the instance viewer (decision 0040): terminate the token at one element,
 * start one before another (with variables, in the process scope or in the scope of the element
 * or of a subprocess enclosing it), or both, with a reason. Shown to those who may
 * modify (operator, admin); the server validates against the model and names the elements.
 */
import { h } from '../../core/dom';
import { session } from '../../core/session';
import { t } from '../../i18n';
import { operationsApi, problemsOf, type ModificationInstruction } from './operations';
import { registerMessages } from '../../i18n';
import { operationsMessages } from '../migrations/messages';

registerMessages(operationsMessages);

export interface ModifyPanel {
  element: HTMLElement;
  /** Offers the active elements to terminate and every element of the diagram to activate. */
  update(activeElements: string[], allElements: string[]): void;
}

export function modifyPanel(instanceId: string, after: (message: string, isError: boolean) => void): ModifyPanel | null {
  if (!session.hasRole('operator', 'admin')) return null;
  const from = h('select', { id: 'modify-from' }) as HTMLSelectElement;
  const to = h('select', { id: 'modify-to' }) as HTMLSelectElement;
  const variables = h('textarea', { id: 'modify-variables', rows: 2, placeholder: '{ "note": "…" }' }) as HTMLTextAreaElement;
  const scope = h('select', { id: 'modify-scope' }) as HTMLSelectElement;
  const reason = h('input', { id: 'modify-reason', required: true, maxlength: 500 }) as HTMLInputElement;
  const submit = h('button', { type: 'submit', id: 'modify-apply' }, t('modify.apply')) as HTMLButtonElement;
  const form = h('form', { class: 'modify-form', id: 'modify-form' },
    h('label', {}, t('modify.from'), from),
    h('label', {}, t('modify.to'), to),
    h('label', {}, t('modify.variables'), variables),
    h('label', {}, t('modify.scope'), scope),
    h('label', {}, t('modify.reason'), reason),
    submit) as HTMLFormElement;
  const element = h('details', { class: 'modify-panel', id: 'modify-panel' }, h('summary', {}, t('modify.title')), form);

  const fill = (select: HTMLSelectElement, ids: string[], none: string) => {
    const chosen = select.value;
    select.replaceChildren(h('option', { value: '' }, none), ...ids.map((id) => h('option', { value: id, selected: id === chosen }, id)));
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const instructions: ModificationInstruction[] = [];
    if (from.value) instructions.push({ type: 'terminate', elementId: from.value });
    if (to.value) {
      let vars: Record<string, unknown> | undefined;
      if (variables.value.trim()) {
        try {
          vars = JSON.parse(variables.value) as Record<string, unknown>;
        } catch {
          after(t('modify.badVariables'), true);
          return;
        }
      }
      // Camunda 8's variable instruction: the process scope, or the element's or an enclosing subprocess's (the server checks which)
      const scoped = vars && scope.value ? { variableInstructions: [{ variables: vars, scopeId: scope.value }] } : vars ? { variables: vars } : {};
      instructions.push({ type: 'activate', elementId: to.value, ...scoped });
    }
    submit.disabled = true;
    operationsApi.modify(instanceId, instructions, reason.value)
      .then((result) => {
        after(t('modify.done', { elements: result.activeElements.join(', ') || '—' }), false);
        form.reset();
      })
      .catch((err: unknown) => after(t('modify.failed', { message: problemsOf(err) }), true))
      .finally(() => { submit.disabled = false; });
  });

  return {
    element,
    update(activeElements, allElements) {
      fill(from, [...new Set(activeElements)], t('modify.none'));
      fill(to, allElements, t('modify.none'));
      fill(scope, allElements, t('modify.processScope'));
    },
  };
}
