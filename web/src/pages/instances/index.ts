/**
 * Instances list: the read model's instances with filters (process, status, business key /
 * complaint number, open incidents), paging, and a link to each instance's viewer. The
 * filters live in the address (`#/instances?status=active&page=2`) so a view can be shared;
 * the page refreshes itself every few seconds and says when it last did.
 */
import './operator.css';
import { ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { readableKey } from '../../core/readable';
import { hashQuery } from '../../core/router';
import { session } from '../../core/session';
import { locale, registerMessages, t } from '../../i18n';
import { instancesApi, type InstanceSummary, type Page } from './client';
import { shortId, statusBadge } from './badges';
import { instancesMessages } from './messages';

registerMessages(instancesMessages);

const PAGE_SIZE = 20;
const REFRESH_MS = 10_000;
const STATUSES = ['active', 'completed', 'terminated', 'canceled'] as const;
const DEFINITION_READERS = ['designer', 'operator', 'admin', 'supervisor', 'compliance'];

interface Filters { key: string; status: string; businessKey: string; hasIncidents: string; page: number }

function filtersFromAddress(): Filters {
  const q = hashQuery();
  return {
    key: q.get('key') ?? '',
    status: q.get('status') ?? '',
    businessKey: q.get('businessKey') ?? '',
    hasIncidents: q.get('hasIncidents') ?? '',
    page: Math.max(1, Number(q.get('page') ?? '1') || 1),
  };
}

function keepInAddress(filters: Filters): void {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== '' && !(name === 'page' && value === 1)) params.set(name, String(value));
  const query = params.toString();
  history.replaceState(null, '', `#/instances${query ? `?${query}` : ''}`);
}

function select(id: string, label: string, value: string, options: Array<[string, string]>): [HTMLLabelElement, HTMLSelectElement] {
  const el = h('select', { id, name: id }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return [h('label', { for: id }, label), el];
}

export default function instancesPage(root: HTMLElement): () => void {
  const filters = filtersFromAddress();
  const [definitionLabel, definition] = select('filter-definition', t('instances.filter.definition'), filters.key, [['', t('instances.filter.anyDefinition')]]);
  const [statusLabel, status] = select('filter-status', t('instances.filter.status'), filters.status,
    [['', t('instances.filter.anyStatus')], ...STATUSES.map((s): [string, string] => [s, t(`status.${s}`)])]);
  const [incidentsLabel, incidents] = select('filter-incidents', t('instances.filter.incidents'), filters.hasIncidents,
    [['', t('instances.filter.anyIncidents')], ['true', t('instances.filter.withIncidents')], ['false', t('instances.filter.withoutIncidents')]]);
  const businessKey = h('input', { id: 'filter-business-key', name: 'businessKey', type: 'search', value: filters.businessKey, placeholder: 'C-2026-0001' });
  const updated = h('span', { class: 'updated', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, t('common.loading')));
  const active = [filters.key, filters.status, filters.businessKey, filters.hasIncidents].filter(Boolean).length;
  // On a phone the filters fold away unless some are set; on wider screens they stay open.
  const box = h('details', { class: 'filters-box', open: active > 0 || window.matchMedia('(min-width: 700px)').matches },
    h('summary', {}, t('instances.filters', { count: active })));
  const form = h('form', { class: 'filters card', id: 'instance-filters' },
    h('div', {}, definitionLabel, definition),
    h('div', {}, statusLabel, status),
    h('div', {}, h('label', { for: 'filter-business-key' }, t('instances.filter.businessKey')), businessKey),
    h('div', {}, incidentsLabel, incidents),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'primary' }, t('instances.filter.apply')),
      h('button', { type: 'button', onclick: () => { definition.value = ''; status.value = ''; businessKey.value = ''; incidents.value = ''; form.requestSubmit(); } }, t('instances.filter.clear'))));

  let stopped = false;
  let timer: number | undefined;

  const load = async (): Promise<void> => {
    window.clearTimeout(timer);
    keepInAddress(filters);
    try {
      const page = await instancesApi.list({ key: filters.key, status: filters.status, businessKey: filters.businessKey, hasIncidents: filters.hasIncidents, page: filters.page, pageSize: PAGE_SIZE });
      if (stopped) return;
      render(results, table(page));
      updated.textContent = t('instances.updated', { time: new Date().toLocaleTimeString(locale()) });
    } catch (err) {
      if (stopped) return;
      const message = err instanceof ApiError && err.fields.length > 0 ? err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') : (err as Error).message;
      render(results, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message })));
    }
    if (!stopped) timer = window.setTimeout(() => void load(), REFRESH_MS);
  };

  const goTo = (page: number) => { filters.page = page; void load(); };

  function table(page: Page<InstanceSummary>): HTMLElement {
    if (page.items.length === 0) return h('p', { class: 'notice empty' }, t('instances.empty'));
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    return h('div', {},
      h('table', { class: 'list-table', id: 'instances-table' },
        h('thead', {}, h('tr', {}, ...['instance', 'process', 'status', 'active', 'incidents', 'started'].map((c) => h('th', {}, t(`instances.col.${c}`))))),
        h('tbody', {}, ...page.items.map((i) => h('tr', { 'data-instance': i.id },
          h('td', { 'data-label': t('instances.col.instance') },
            h('a', { href: `#/instances/${i.id}`, class: 'instance-link' }, i.businessKey ? readableKey(i.businessKey) : shortId(i.id)),
            i.businessKey ? h('div', { class: 'muted mono' }, shortId(i.id)) : null),
          h('td', { 'data-label': t('instances.col.process') }, `${i.definition.key} v${i.definition.version}`),
          h('td', { 'data-label': t('instances.col.status') }, statusBadge(i.status)),
          h('td', { 'data-label': t('instances.col.active'), class: 'mono' }, i.activeElements.join(', ') || '—'),
          h('td', { 'data-label': t('instances.col.incidents') }, i.incidents > 0 ? h('span', { class: 'badge breached incident-count' }, String(i.incidents)) : '—'),
          h('td', { 'data-label': t('instances.col.started') }, formatTime(i.startedAt, locale())))))),
      h('div', { class: 'pager' },
        h('span', { class: 'muted' }, t('instances.total', { total: page.total }), ' · ', t('instances.page', { page: page.page, pages })),
        h('button', { type: 'button', disabled: page.page <= 1, onclick: () => goTo(page.page - 1) }, t('instances.previous')),
        h('button', { type: 'button', disabled: page.page >= pages, onclick: () => goTo(page.page + 1) }, t('instances.next'))));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    Object.assign(filters, { key: definition.value, status: status.value, businessKey: businessKey.value.trim(), hasIncidents: incidents.value, page: 1 });
    void load();
  });

  if (session.hasRole(...DEFINITION_READERS)) {
    instancesApi.definitions().then((defs) => {
      for (const d of defs.items) definition.append(h('option', { value: d.key, selected: d.key === filters.key }, d.name ? `${d.name} (${d.key})` : d.key));
      if (filters.key && !defs.items.some((d) => d.key === filters.key)) definition.append(h('option', { value: filters.key, selected: true }, filters.key));
    }).catch(() => undefined);
  } else if (filters.key) {
    definition.append(h('option', { value: filters.key, selected: true }, filters.key));
  }

  render(root, h('section', { class: 'operator-page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('instances.title')),
      updated,
      h('button', { type: 'button', class: 'link', onclick: () => void load() }, t('instances.refresh'))),
    box, results));
  box.append(form);
  void load();
  return () => { stopped = true; window.clearTimeout(timer); };
}
