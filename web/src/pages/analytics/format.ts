/** Number and table helpers shared by the analytics pages. */
import { h } from '../../core/dom';
import { locale, t } from '../../i18n';
import { formatDuration } from '../instances/format';

export const num = (n: number, digits = 1) => n.toLocaleString(locale(), { maximumFractionDigits: digits });
export const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toLocaleString(locale(), { maximumFractionDigits: 1 })}%`);
export const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
export const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString(locale(), { timeZone: 'UTC', month: 'short', day: 'numeric' });
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A table that on a phone stacks each row as a card (labels from the headings, analytics.css). */
export function table(id: string, headings: string[], rows: Array<{ key: string; cells: Array<string | Node> }>): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted', id }, t('analytics.none'));
  return h('div', { class: 'table-scroll' }, h('table', { class: 'analytics-table', id },
    h('thead', {}, h('tr', {}, ...headings.map((x, i) => h('th', { class: i === 0 ? '' : 'num' }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', { 'data-key': r.key },
      ...r.cells.map((c, i) => h('td', { class: i === 0 ? 'key' : 'num', 'data-label': headings[i] ?? '' }, c)))))));
}

export function section(id: string, title: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'card', id }, h('h2', {}, title), ...children);
}
