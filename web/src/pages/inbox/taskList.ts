/** The task list: filter chips and one row per task (name, complaint, due/SLA badge, age). */
import { readableKey } from '../../core/readable';
import { h } from '../../core/dom';
import { locale, t } from '../../i18n';
import type { ProcessLabels } from '../../i18n/processText';
import { complaintNumber, isOverdue, myIdentities, slaOf, span, taskName, type Me, type SlaState, type Task } from './model';

export type Filter = 'all' | 'mine' | 'groups' | 'overdue';
export interface ListState { filter: Filter; sla: SlaState | '' }

const FILTERS: Filter[] = ['all', 'mine', 'groups', 'overdue'];
const SLA_STATES: SlaState[] = ['ok', 'at_risk', 'breached'];

export function applyFilter(tasks: Task[], state: ListState, me: Me | null, now = Date.now()): Task[] {
  const mine = myIdentities(me);
  return tasks.filter((task) => {
    if (state.filter === 'mine' && !(task.assignee !== null && mine.includes(task.assignee))) return false;
    if (state.filter === 'groups' && !task.candidateGroups.some((g) => me?.groups.includes(g))) return false;
    if (state.filter === 'overdue' && !isOverdue(task, now)) return false;
    if (state.sla && slaOf(task) !== state.sla) return false;
    return true;
  });
}

/** Overdue first, then by due date, then oldest first: what needs doing next is on top. */
export function byUrgency(a: Task, b: Task): number {
  const due = (x: Task) => (x.dueAt ? new Date(x.dueAt).getTime() : Number.POSITIVE_INFINITY);
  return due(a) - due(b) || new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime();
}

export function filterBar(state: ListState, tasks: Task[], onChange: (next: ListState) => void): HTMLElement {
  const chips = FILTERS.map((f) => h('button', {
    type: 'button', class: `chip${state.filter === f ? ' selected' : ''}`, 'aria-pressed': state.filter === f ? 'true' : 'false', 'data-filter': f,
    onclick: () => onChange({ ...state, filter: f }),
  }, t(`inbox.filter.${f}`)));
  // The SLA filter only where tasks carry SLA states.
  const withSla = tasks.some((task) => slaOf(task) !== null);
  const sla = withSla || state.sla
    ? h('select', { 'aria-label': t('inbox.filter.sla'), class: 'sla-filter', onchange: (e: Event) => onChange({ ...state, sla: (e.target as HTMLSelectElement).value as SlaState | '' }) },
      h('option', { value: '' }, t('inbox.filter.anySla')),
      ...SLA_STATES.map((s) => h('option', { value: s, selected: state.sla === s }, t(`sla.${s}`))))
    : null;
  return h('div', { class: 'inbox-filters', role: 'group', 'aria-label': t('inbox.filters') }, ...chips, sla);
}

function dueBadge(task: Task, now: number): HTMLElement | null {
  const sla = slaOf(task);
  if (sla) return h('span', { class: `badge ${sla}` }, t(`sla.${sla}`));
  if (!task.dueAt) return null;
  const left = new Date(task.dueAt).getTime() - now;
  if (left > 7 * 86_400_000) return h('span', { class: 'badge ok' }, t('inbox.dueOn', { date: new Date(task.dueAt).toLocaleDateString(locale()) }));
  return left < 0
    ? h('span', { class: 'badge breached' }, t('inbox.overdueBy', { span: span(left) }))
    : h('span', { class: `badge ${left < 3_600_000 ? 'at_risk' : 'ok'}` }, t('inbox.dueIn', { span: span(left) }));
}

/** A priority above the default 50 (the model's, or raised by an escalation): say so where it is seen first. */
export const isRaised = (task: Pick<Task, 'priority'>) => task.priority !== undefined && task.priority > 50;
export const priorityBadge = (task: Task): HTMLElement | null =>
  (isRaised(task) ? h('span', { class: 'badge at_risk priority', 'data-priority': task.priority }, '▲ ', t('priority.raised', { n: task.priority ?? 0 })) : null);

const age = (ms: number) => (ms < 60_000 ? t('inbox.new') : t('inbox.age', { span: span(ms) }));

export function taskRow(task: Task, me: Me | null, selected: boolean, now = Date.now(), labels: ReadonlyMap<string, ProcessLabels> = new Map()): HTMLElement {
  const mine = task.assignee !== null && myIdentities(me).includes(task.assignee);
  const who = task.assignee === null ? t('inbox.unassigned') : mine ? t('inbox.mine') : t('inbox.claimedByOther');
  // An alert work order is known by its touchpoint; its feedback id means nothing to people.
  const reference = task.complaintId ? complaintNumber(task.complaintId, task.complaintNumber) : task.feedback ? task.feedback.touchpoint : (task.businessKey ? readableKey(task.businessKey) : '');
  return h('li', {},
    h('a', { class: `task-row${selected ? ' selected' : ''}${mine ? ' mine' : ''}`, href: `#/inbox/${encodeURIComponent(task.id)}`, 'data-task': task.id, 'aria-current': selected ? 'true' : null },
      h('span', { class: 'task-row-name' }, taskName(task, labels)),
      h('span', { class: 'task-row-meta' },
        reference ? h('span', { class: 'task-ref' }, reference) : null,
        h('span', { class: 'task-who' }, who),
        h('span', { class: 'task-age', title: task.createdAt }, age(now - new Date(task.createdAt).getTime()))),
      h('span', { class: 'task-row-badges' },
        task.feedback ? h('span', { class: 'badge breached feedback-score' }, t('inbox.feedback.score', { score: task.feedback.score })) : null,
        priorityBadge(task),
        dueBadge(task, now))));
}
