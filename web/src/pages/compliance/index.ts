/**
 * Compliance search (GET /api/compliance/complaints): by words or an id, customer, engineer,
 * department, state and the period filed; results link to each complaint's complete record.
 * A period can be exported as JSON lines or a readable document, with progress.
 */
import '../instances/operator.css';
import './compliance.css';
import { api, ApiError } from '../../core/api';
import { formatTime, h, render } from '../../core/dom';
import { locale, registerMessages, t } from '../../i18n';
import { complianceMessages } from './messages';
import { streamExport } from './export';

registerMessages(complianceMessages);

interface Hit { id: string; title: string; customerId: string; customerName: string | null; departments: string[]; status: string; createdAt: string }
const STATUSES = ['open', 'in_progress', 'awaiting_evaluation', 'closed', 'reopened'];
const PAGE_SIZE = 20;

const problemText = (err: unknown) => (err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message);
const field = (id: string, label: string, input: HTMLElement) => h('label', { for: id }, label, input);
/** A date input's day as the start (or end) of that day in UTC. */
const dayBound = (value: string, end: boolean) => (value ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : undefined);

export default function compliancePage(root: HTMLElement): () => void {
  const q = h('input', { id: 'c-q', type: 'search', autocomplete: 'off' });
  const customer = h('input', { id: 'c-customer', autocomplete: 'off' });
  const engineer = h('input', { id: 'c-engineer', autocomplete: 'off' });
  const department = h('input', { id: 'c-department', autocomplete: 'off' });
  const severity = h('select', { id: 'c-severity' }, h('option', { value: '' }, t('compliance.anyStatus')), ...['low', 'medium', 'high'].map((s) => h('option', { value: s }, s)));
  const process = h('input', { id: 'c-process', autocomplete: 'off', placeholder: 'complaint-handling' });
  const status = h('select', { id: 'c-status' }, h('option', { value: '' }, t('compliance.anyStatus')), ...STATUSES.map((s) => h('option', { value: s }, s)));
  const from = h('input', { id: 'c-from', type: 'date' });
  const to = h('input', { id: 'c-to', type: 'date' });
  const results = h('div', { class: 'results', id: 'compliance-results' });
  const flash = h('p', { class: 'flash', role: 'status', hidden: true, id: 'compliance-flash' });
  const progress = h('progress', { id: 'export-progress', max: 1, value: 0, hidden: true });
  const exportJson = h('button', { type: 'button', id: 'export-period-json' }, t('compliance.exportJson'));
  const exportHtml = h('button', { type: 'button', id: 'export-period-html' }, t('compliance.exportHtml'));
  let page = 1;
  let shown: Hit[] = [];
  let stopped = false;

  const criteria = () => ({
    q: q.value.trim() || undefined, customer: customer.value.trim() || undefined, engineer: engineer.value.trim() || undefined,
    department: department.value.trim() || undefined, status: status.value || undefined,
    severity: severity.value || undefined, process: process.value.trim() || undefined, from: dayBound(from.value, false), to: dayBound(to.value, true),
  });
  const say = (text: string, isError = false) => {
    flash.textContent = text;
    flash.className = isError ? 'flash error' : 'flash';
    flash.setAttribute('role', isError ? 'alert' : 'status');
    flash.hidden = false;
  };

  function row(hit: Hit): HTMLElement {
    return h('tr', { 'data-complaint': hit.id },
      h('td', { 'data-label': t('compliance.col.complaint') }, h('span', {}, h('a', { href: `#/compliance/${hit.id}`, class: 'instance-link' }, hit.title), h('div', { class: 'muted mono' }, hit.id))),
      h('td', { 'data-label': t('compliance.col.customer') }, h('span', {}, hit.customerName ?? hit.customerId, hit.customerName ? h('div', { class: 'muted' }, hit.customerId) : null)),
      h('td', { 'data-label': t('compliance.col.state') }, h('span', { class: 'badge' }, hit.status)),
      h('td', { 'data-label': t('compliance.col.departments') }, hit.departments.join(', ') || '—'),
      h('td', { 'data-label': t('compliance.col.filed') }, formatTime(hit.createdAt, locale())));
  }

  let asked = 0;
  async function search(next: boolean): Promise<void> {
    page = next ? page + 1 : 1;
    const mine = ++asked;
    try {
      const answer = await api.get<{ items: Hit[]; hasMore: boolean }>('/api/compliance/complaints', { ...criteria(), page, pageSize: PAGE_SIZE });
      // An older search answering after a newer one is not shown.
      if (stopped || mine !== asked) return;
      shown = next ? [...shown, ...answer.items] : answer.items;
      const more = h('button', { type: 'button', id: 'compliance-more', onclick: () => void search(true) }, t('compliance.more'));
      render(results, shown.length === 0 ? h('p', { class: 'notice empty card' }, t('compliance.empty')) : [
        h('table', { class: 'list-table', id: 'compliance-table' },
          h('thead', {}, h('tr', {}, ...['complaint', 'customer', 'state', 'departments', 'filed'].map((c) => h('th', {}, t(`compliance.col.${c}`))))),
          h('tbody', {}, ...shown.map(row))),
        answer.hasMore ? h('div', { class: 'pager' }, more) : null,
      ]);
    } catch (err) {
      if (!stopped) say(problemText(err), true);
    }
  }

  async function exportPeriod(format: 'json' | 'html'): Promise<void> {
    const c = criteria();
    if (!c.from || !c.to) { say(t('compliance.exportNeedsPeriod'), true); return; }
    exportJson.disabled = exportHtml.disabled = true;
    progress.hidden = false;
    try {
      const { file, total } = await streamExport({ ...c, format }, ({ done, total: all }) => {
        progress.max = Math.max(1, all);
        progress.value = done;
        say(t('compliance.exporting', { done, total: all }));
      });
      say(t('compliance.exported', { total, file }));
    } catch (err) {
      say(t('compliance.exportFailed', { message: problemText(err) }), true);
    } finally {
      exportJson.disabled = exportHtml.disabled = false;
    }
  }
  exportJson.addEventListener('click', () => void exportPeriod('json'));
  exportHtml.addEventListener('click', () => void exportPeriod('html'));

  const form = h('form', { class: 'filters card', id: 'compliance-search', role: 'search' },
    field('c-q', t('compliance.q'), q), field('c-customer', t('compliance.customer'), customer), field('c-engineer', t('compliance.engineer'), engineer),
    field('c-department', t('compliance.department'), department), field('c-status', t('compliance.status'), status),
    field('c-severity', t('compliance.severity'), severity), field('c-process', t('compliance.process'), process),
    field('c-from', t('compliance.from'), from), field('c-to', t('compliance.to'), to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary', id: 'compliance-submit' }, t('compliance.search'))));
  form.addEventListener('submit', (event) => { event.preventDefault(); void search(false); });

  render(root, h('section', { class: 'operator-page compliance-page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('compliance.title'))),
    form,
    h('p', { class: 'muted' }, t('compliance.hint')),
    h('div', { class: 'export-bar' }, h('strong', {}, t('compliance.exportPeriod')), exportJson, exportHtml, progress),
    flash, results));
  void search(false);
  return () => { stopped = true; };
}
