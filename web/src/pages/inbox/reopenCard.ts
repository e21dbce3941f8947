/**
 * Reopening or closing a resolved complaint from the inbox (issue 14 item 5, decision 0051):
 * offered while it awaits the customer's evaluation, to the roles that may — reopen: agent,
 * supervisor, department head, admin (POST /api/complaints/{id}/reopen); close without the
 * evaluation: supervisor, department head, admin (POST /api/complaints/{id}/close). The reason
 * goes on the timeline with the name.
 */
import { api, ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { t } from '../../i18n';
import type { ComplaintDetail, Me } from './model';

/** Who may reopen (server/auth/policy.ts, reopenComplaint, without the customer). */
export const REOPEN_ROLES = ['agent', 'supervisor', 'department_head', 'admin'];

/** Who may close a resolved complaint without the customer's evaluation (closeComplaint). */
export const CLOSE_ROLES = ['supervisor', 'department_head', 'admin'];

export function reopenCard(detail: ComplaintDetail, me: Me, reload: () => void): HTMLElement | null {
  if (detail.status !== 'awaiting_evaluation') return null;
  const reopen = me.roles.some((r) => REOPEN_ROLES.includes(r)) ? decisionForm(detail.id, 'reopen', reload) : null;
  const close = me.roles.some((r) => CLOSE_ROLES.includes(r)) ? decisionForm(detail.id, 'close', reload) : null;
  return reopen || close ? h('div', { class: 'decision-cards' }, reopen, close) : null;
}

/** One folded form: the reason, then reopen or close. */
function decisionForm(complaintId: string, action: 'reopen' | 'close', reload: () => void): HTMLElement {
  const reason = h('textarea', { id: `${action}-reason`, rows: 2, required: true, maxlength: 1000 });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t(`${action}.submit`));
  const form = h('form', { class: 'stack-form', id: `${action}-form` }, h('label', { for: `${action}-reason` }, t('reopen.reason')), reason, problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.hidden = true;
    api.post(`/api/complaints/${encodeURIComponent(complaintId)}/${action}`, { reason: reason.value }).then(reload).catch((err: unknown) => {
      render(problem, err instanceof ApiError && err.fields.length ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : t('error.generic', { message: (err as Error).message }));
      problem.hidden = false;
      submit.disabled = false;
    });
  });
  return h('details', { class: 'card fold', id: action }, h('summary', {}, t(`${action}.title`)), form);
}

/**
 * Reopening a closed alert work order (found by searching the completed ones): within
 * ALERT_REOPEN_WINDOW, for the same roles (POST /api/feedback/{id}/reopen, reopenAlert); a new
 * work order opens for the owner group with the reason on its card.
 */
export function alertReopenCard(feedbackId: string, me: Me, reopened: () => void): HTMLElement | null {
  if (!me.roles.some((r) => REOPEN_ROLES.includes(r))) return null;
  const reason = h('textarea', { id: 'alert-reopen-reason', rows: 2, required: true, maxlength: 1000 });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('reopen.submit'));
  const form = h('form', { class: 'stack-form', id: 'alert-reopen-form' }, h('label', { for: 'alert-reopen-reason' }, t('reopen.reason')), reason, problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.hidden = true;
    api.post(`/api/feedback/${encodeURIComponent(feedbackId)}/reopen`, { reason: reason.value }).then(reopened).catch((err: unknown) => {
      render(problem, err instanceof ApiError && err.fields.length ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : t('error.generic', { message: (err as Error).message }));
      problem.hidden = false;
      submit.disabled = false;
    });
  });
  return h('section', { class: 'card', id: 'alert-reopen' }, h('h2', {}, t('reopen.alertTitle')), form);
}
