/**
 * Searching work orders from the inbox (issue 14 item 5): text, status, department and a
 * creation range, asked of the server (GET /api/tasks; it validates and pages, decision 0051),
 * so closed work orders and those beyond the inbox's page are found too. A search shows a
 * snapshot, newest first, 20 at a time with *Show more*; clearing it goes back to the live list.
 */
import { api } from '../../core/api';
import { h } from '../../core/dom';
import { DEPARTMENTS } from '../../../../processes/departments';
import { t } from '../../i18n';
import type { Task } from './model';

export interface WorkOrderQuery {
  q: string;
  status: 'active' | 'open' | 'claimed' | 'completed' | 'canceled';
  department: string;
  from: string;
  to: string;
}

export const SEARCH_PAGE_SIZE = 20;
const STATUSES: WorkOrderQuery['status'][] = ['active', 'open', 'claimed', 'completed', 'canceled'];

/** A day typed in the browser's own time zone, as the instant the API takes. */
const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).toISOString();

export function searchParams(query: WorkOrderQuery, page: number): Record<string, string | number> {
  return {
    state: query.status === 'active' ? 'open,claimed' : query.status,
    sort: '-createdAt',
    page,
    pageSize: SEARCH_PAGE_SIZE,
    ...(query.q.trim() ? { q: query.q.trim() } : {}),
    ...(query.department ? { department: query.department } : {}),
    ...(query.from ? { createdFrom: dayStart(query.from) } : {}),
    ...(query.to ? { createdTo: dayEnd(query.to) } : {}),
  };
}

export const searchWorkOrders = (query: WorkOrderQuery, page: number) =>
  api.get<{ items: Task[]; total: number; page: number }>('/api/tasks', searchParams(query, page));

/** The search form, folded on a phone; `onSearch(null)` clears the search. */
export function searchForm(current: WorkOrderQuery | null, onSearch: (query: WorkOrderQuery | null) => void): HTMLElement {
  const q = h('input', { id: 'search-text', type: 'search', maxlength: 100, placeholder: t('search.textHint'), value: current?.q ?? '' });
  const status = h('select', { id: 'search-status' }, ...STATUSES.map((s) => h('option', { value: s, selected: (current?.status ?? 'active') === s }, t(`search.status.${s}`))));
  const department = h('select', { id: 'search-department' },
    h('option', { value: '' }, t('search.anyDepartment')),
    ...DEPARTMENTS.map((d) => h('option', { value: d, selected: current?.department === d }, d)));
  const from = h('input', { id: 'search-from', type: 'date', value: current?.from ?? '' });
  const to = h('input', { id: 'search-to', type: 'date', value: current?.to ?? '' });
  const clear = h('button', { type: 'button', id: 'search-clear' }, t('search.clear'));
  clear.addEventListener('click', () => onSearch(null));
  const form = h('form', { class: 'stack-form search-form', id: 'search-form', role: 'search' },
    h('label', { for: 'search-text' }, t('search.text')), q,
    h('div', { class: 'search-row' },
      h('span', {}, h('label', { for: 'search-status' }, t('search.status')), status),
      h('span', {}, h('label', { for: 'search-department' }, t('search.department')), department)),
    h('div', { class: 'search-row' },
      h('span', {}, h('label', { for: 'search-from' }, t('search.from')), from),
      h('span', {}, h('label', { for: 'search-to' }, t('search.to')), to)),
    h('div', { class: 'search-row' }, h('button', { type: 'submit', class: 'primary' }, t('search.submit')), current ? clear : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSearch({ q: q.value, status: status.value as WorkOrderQuery['status'], department: department.value, from: from.value, to: to.value });
  });
  return h('details', { class: 'card fold search', id: 'search', open: current !== null }, h('summary', {}, t('search.title')), form);
}
