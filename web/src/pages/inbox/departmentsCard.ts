/**
 * Beside a task: every department's view of its complaint (role and tasks, from
 * GET /api/complaints/:id `departmentWork`) and "Bring in another department"
 * (POST /api/complaints/:id/departments), which opens that department's task in the running
 * process. docs/inbox.md, decision 0044.
 */
import { api, ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { t } from '../../i18n';
import type { ProcessLabels } from '../../i18n/processText';
import { taskName } from './model';

export interface DepartmentWork {
  department: string;
  role: 'must-act' | 'brought-in' | 'informed';
  broughtIn: { reason: string; by: string; at: string } | null;
  tasks: Array<{ id: string; elementId: string; definitionKey?: string; name: string | null; state: string; assignee: string | null }>;
}

const ROLE_BADGE: Record<DepartmentWork['role'], string> = { 'must-act': 'at_risk', 'brought-in': 'breached', informed: 'ok' };
const departmentName = (d: string) => t(`departments.name.${d}`);

export function departmentsCard(complaintId: string, status: string, work: readonly DepartmentWork[] | undefined, reload: () => void, labels: ReadonlyMap<string, ProcessLabels> = new Map()): HTMLElement | null {
  if (!work || work.length === 0) return null;
  const rows = work.map((w) => h('li', { 'data-department': w.department, 'data-role': w.role },
    h('strong', {}, departmentName(w.department)), ' ',
    h('span', { class: `badge ${ROLE_BADGE[w.role]}` }, t(`departments.role.${w.role}`)),
    h('span', { class: 'notice department-tasks' },
      w.tasks.length ? w.tasks.map((task) => `${taskName(task, labels)} · ${t(`inbox.state.${task.state}`)}`).join('; ') : t('departments.noTask')),
    w.broughtIn ? h('span', { class: 'notice' }, t('departments.reasonShown', { reason: w.broughtIn.reason })) : null));
  const informed = work.filter((w) => w.role === 'informed').map((w) => w.department);
  return h('section', { class: 'card', id: 'departments' },
    h('h3', {}, t('departments.title')),
    h('p', { class: 'notice' }, t('departments.hint')),
    h('ul', { class: 'plain departments' }, ...rows),
    status !== 'closed' && informed.length ? bringInForm(complaintId, informed, reload) : null);
}

function bringInForm(complaintId: string, informed: string[], reload: () => void): HTMLElement {
  const which = h('select', { id: 'bring-in-department', name: 'department' }, ...informed.map((d) => h('option', { value: d }, departmentName(d))));
  const reason = h('input', { id: 'bring-in-reason', name: 'reason', required: true, maxlength: 500 });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('departments.submit'));
  const form = h('form', { class: 'stack-form', id: 'bring-in-form' },
    h('label', { for: 'bring-in-department' }, t('departments.which')), which,
    h('label', { for: 'bring-in-reason' }, t('departments.reason')), reason,
    problem, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    problem.hidden = true;
    api.post(`/api/complaints/${encodeURIComponent(complaintId)}/departments`, { department: which.value, reason: reason.value })
      .then(reload)
      .catch((err: unknown) => {
        render(problem, err instanceof ApiError && err.fields.length ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : t('error.generic', { message: (err as Error).message }));
        problem.hidden = false;
        submit.disabled = false;
      });
  });
  return h('details', { class: 'fold', id: 'bring-in' }, h('summary', {}, t('departments.bringIn')), form);
}
