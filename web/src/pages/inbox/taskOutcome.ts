/** The task page's cards that end the task here: complete it with its form, or transfer it. */
import { api } from '../../core/api';
import { h, render } from '../../core/dom';
import { navigate } from '../../core/router';
import { OWNER_GROUPS } from '../../../../processes/departments';
import { t } from '../../i18n';
import { myIdentities, taskName, type Task } from './model';
import type { TaskContext } from './taskContext';
import type { TaskFormView } from './taskForm';

export const FLASH_KEY = 'complaint-bpm.inbox.flash';
/** Tasks just completed or transferred here: hidden from the list until the read model has caught up. */
export const DONE_KEY = 'complaint-bpm.inbox.done';

function rememberDone(taskId: string): void {
  let done: Record<string, number> = {};
  try { done = JSON.parse(sessionStorage.getItem(DONE_KEY) ?? '{}') as Record<string, number>; } catch { /* start afresh */ }
  done[taskId] = Date.now();
  sessionStorage.setItem(DONE_KEY, JSON.stringify(done));
}

export function completeCard(task: Task, view: TaskFormView, { me: who, act, labels }: TaskContext): HTMLElement {
  const mine = task.assignee !== null && myIdentities(who).includes(task.assignee);
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const complete = h('button', { type: 'button', class: 'primary wide', id: 'complete-task', disabled: !mine }, t('inbox.complete'));
  complete.addEventListener('click', () => {
    const variables = view.collect();
    if (variables === null) {
      problem.textContent = t('inbox.form.invalid');
      problem.hidden = false;
      return;
    }
    const note = view.note?.() ?? null;
    const path = `/api/tasks/${encodeURIComponent(task.id)}`;
    act(complete, problem, async () => {
      // The note goes with the completion: the server writes it, with the completer's name, on the complaint's timeline.
      // A task of no complaint has no timeline: its note stays a comment, as before.
      if (note !== null && !task.complaintId) await api.post(`${path}/comments`, { text: note });
      return api.post(`${path}/complete`, { variables, ...(note !== null && task.complaintId ? { note } : {}) });
    }, () => {
      sessionStorage.setItem(FLASH_KEY, t('inbox.completed', { name: taskName(task, labels) }));
      rememberDone(task.id);
      navigate('/inbox');
    });
  });
  const clear = () => { problem.hidden = true; };
  view.el.addEventListener('input', clear);
  view.el.addEventListener('click', clear);
  return h('section', { class: 'card', id: 'task-form-card' },
    h('h2', {}, t('inbox.form.title')), view.el,
    mine ? null : h('p', { class: 'notice' }, t('inbox.form.claimFirst')),
    problem, complete);
}

export function transferCard(task: Task, { act, labels }: TaskContext): HTMLElement {
  const toGroup = h('input', { type: 'radio', name: 'transfer-to', value: 'group', id: 'transfer-to-group', checked: true });
  const toUser = h('input', { type: 'radio', name: 'transfer-to', value: 'user', id: 'transfer-to-user' });
  const target = h('input', { id: 'transfer-target', list: 'transfer-groups', required: true, autocomplete: 'off', maxlength: 200 });
  const reason = h('textarea', { id: 'transfer-reason', required: true, rows: 2, maxlength: 500 });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('inbox.transfer.submit'));
  // The directory's departments name their candidate groups; the usual ones until it answers.
  const groups = h('datalist', { id: 'transfer-groups' }, ...OWNER_GROUPS.map((g) => h('option', { value: g })));
  api.get<{ items: Array<{ name: string; candidateGroup: string }> }>('/api/departments', { pageSize: 100 })
    .then((page) => { if (page.items.length) render(groups, ...page.items.map((d) => h('option', { value: d.candidateGroup }, d.name))); })
    .catch(() => undefined);
  const form = h('form', { class: 'stack-form', id: 'transfer-form' },
    h('div', { class: 'radio-row' },
      h('label', { for: 'transfer-to-group' }, toGroup, t('inbox.transfer.toGroup')),
      h('label', { for: 'transfer-to-user' }, toUser, t('inbox.transfer.toUser'))),
    h('label', { for: 'transfer-target' }, t('inbox.transfer.target')), target,
    groups,
    h('label', { for: 'transfer-reason' }, t('inbox.transfer.reason')), reason, problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { ...(toUser.checked ? { toUser: target.value.trim() } : { toGroup: target.value.trim() }), reason: reason.value };
    act(submit, problem, () => api.post(`/api/tasks/${encodeURIComponent(task.id)}/transfer`, body), () => {
      sessionStorage.setItem(FLASH_KEY, t('inbox.transferred', { name: taskName(task, labels), to: target.value.trim() }));
      rememberDone(task.id);
      navigate('/inbox');
    });
  });
  return h('details', { class: 'card fold', id: 'transfer' }, h('summary', {}, t('inbox.transfer.title')), form);
}
