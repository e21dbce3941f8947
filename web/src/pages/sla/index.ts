/**
 * SLA dashboard (GET /api/sla/overview): totals as tiles, breakdowns by department,
 * severity, step and engineer as tables with stacked bars, what breaches next with live
 * countdowns linking to the instance viewer, and the daily trend as a small inline SVG.
 * Refreshes itself; says so plainly when the server has no SLA monitoring (404).
 */
import './sla.css';
import { ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { loadNames, readableKey } from '../../core/readable';
import { locale, registerMessages, t } from '../../i18n';
import '../instances/operator.css';
import { shortId } from '../instances/badges';
import { countdown, tickCountdowns } from '../instances/countdown';
import { formatDuration } from '../instances/format';
import { instancesMessages } from '../instances/messages';
import { breachOrder, medianOfDays, periodOfDays, rankRows, rowTotal, shares, STATES, trendChart } from './aggregate';
import { slaApi, type Breakdown, type SlaOverview, type TrendDay } from './client';
import { slaMessages } from './messages';

registerMessages(instancesMessages);
registerMessages(slaMessages);

const REFRESH_MS = 15_000;

const num = (n: number) => n.toLocaleString(locale());
const METRICS = new Set(['firstResponse', 'resolution', 'element']);
const metricLabel = (metric: string) => (METRICS.has(metric) ? t(`sla.metric.${metric}`) : metric);
const percent = (share: number) => (share * 100).toLocaleString(locale(), { maximumFractionDigits: 1 });
/** A UTC day (the server's trend days are UTC) in the reader's language. */
const dayLabel = (ms: number) => new Date(ms).toLocaleDateString(locale(), { timeZone: 'UTC', month: 'short', day: 'numeric' });
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, ...children: Node[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function stackedBar(row: Omit<Breakdown, 'key'>): HTMLElement {
  const share = shares(row);
  return h('div', { class: 'stack', role: 'img', 'aria-label': STATES.map((s) => `${t(`sla.state.${s}`)} ${num(row[s])}`).join(', ') },
    ...STATES.filter((s) => share[s] > 0).map((s) => h('span', { class: `stack-${s}`, style: `width:${share[s]}%` })));
}

/** `nullLabel`: what a clock without this key means (no department set, a whole-complaint clock, nobody assigned). */
/** `label` shows a key in words (engineers by name); the key itself otherwise. */
function breakdownTable(id: string, title: string, rows: Breakdown[], nullLabel: string, label: (key: string) => string = (key) => key): HTMLElement {
  const ranked = rankRows(rows);
  return h('section', { class: 'card sla-breakdown', id },
    h('h2', {}, title),
    ranked.length === 0 ? h('p', { class: 'muted' }, t('sla.none')) :
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, t('sla.col.key')), ...STATES.map((s) => h('th', { class: 'num' }, t(`sla.state.${s}`))), h('th', { class: 'mix' }, t('sla.col.mix')))),
        h('tbody', {}, ...ranked.map((row) => h('tr', { 'data-key': row.key ?? '' },
          row.key === null ? h('td', { class: 'key muted' }, nullLabel) : h('td', { class: 'key' }, label(row.key)),
          ...STATES.map((s) => h('td', { class: `num ${s === 'breached' && row.breached > 0 ? 'bad' : ''}` }, num(row[s]))),
          h('td', { class: 'mix' }, stackedBar(row)))))));
}

function trendsSection(trends: TrendDay[]): HTMLElement {
  const chart = trendChart(trends, 600, 160);
  const first = medianOfDays(trends, 'medianFirstResponseMs');
  const resolution = medianOfDays(trends, 'medianResolutionMs');
  const met = trends.reduce((n, d) => n + d.met, 0);
  const breached = trends.reduce((n, d) => n + d.breached, 0);
  const picture = trends.every((d) => d.started === 0) ? h('p', { class: 'muted trend-empty' }, t('sla.trends.empty')) :
    svg('svg', { viewBox: `0 0 ${chart.width} ${chart.height}`, class: 'trend-chart', role: 'img', 'aria-label': t('sla.trends.legend') },
      ...chart.bars.map((b) => svg('rect', { x: b.x, y: b.y, width: b.w, height: Math.max(b.h, 0.5), class: 'trend-bar', 'data-day': b.day, 'data-started': b.started },
        svg('title', {}, document.createTextNode(t('sla.trends.day', { day: b.day, started: b.started, breached: b.breached }))))),
      ...(chart.ratePath ? [svg('path', { d: chart.ratePath, class: 'trend-rate' })] : []));
  return h('section', { class: 'card', id: 'sla-trends' },
    h('h2', {}, t('sla.trends')),
    h('div', { class: 'trend-figures' },
      h('div', { id: 'sla-breach-rate' }, h('span', { class: 'muted' }, t('sla.breachRate')), h('strong', {}, met + breached === 0 ? '—' : `${percent(breached / (met + breached))}%`)),
      h('div', {}, h('span', { class: 'muted' }, t('sla.medianFirstResponse')), h('strong', {}, first === null ? '—' : formatDuration(first))),
      h('div', {}, h('span', { class: 'muted' }, t('sla.medianResolution')), h('strong', {}, resolution === null ? '—' : formatDuration(resolution)))),
    picture,
    trends.some((d) => d.started > 0) ? h('div', { class: 'trend-axis muted' }, h('span', {}, dayLabel(Date.parse(trends[0]?.day ?? ''))), h('span', {}, dayLabel(Date.parse(trends[trends.length - 1]?.day ?? '')))) : null,
    trends.some((d) => d.started > 0) ? h('p', { class: 'muted' }, t('sla.trends.legend')) : null);
}

function nextSection(overview: SlaOverview, names: ReadonlyMap<string, string>): HTMLElement {
  const items = breachOrder(overview.breachingNext, Date.now());
  const left = (ms: number) => (ms >= 0 ? t('sla.next.left', { left: formatDuration(ms) }) : t('sla.next.over', { over: formatDuration(ms) }));
  return h('section', { class: 'card', id: 'sla-next' },
    h('h2', {}, t('sla.next')),
    items.length === 0 ? h('p', { class: 'muted' }, t('sla.next.empty')) :
      h('ol', { class: 'next-list' }, ...items.map((item) => h('li', { class: `next-${item.state}${item.leftMs < 0 ? ' next-overdue' : ''}`, 'data-clock': item.clockKey, 'data-instance': item.instanceId, 'data-due': item.dueAt },
        h('a', { href: `#/instances/${item.instanceId}` }, item.complaintId ? t('sla.next.complaint', { id: readableKey(item.complaintId) }) : shortId(item.instanceId)),
        h('span', { class: `badge ${item.state}` }, t(`sla.state.${item.state}`)),
        h('span', { class: 'countdown' }, countdown(Date.now() + item.leftMs, left)),
        h('div', { class: 'muted next-meta' }, [metricLabel(item.metric), item.elementId, item.department, item.severity, item.engineerId && (names.get(item.engineerId) ?? t('sla.someEngineer'))].filter(Boolean).join(' · '))))));
}

export default function slaPage(root: HTMLElement): () => void {
  const period = h('select', { id: 'sla-period' }, ...[7, 30, 90].map((days) => h('option', { value: days, selected: days === 30 }, t('sla.filter.days', { days }))));
  const department = h('input', { id: 'sla-department', type: 'search' });
  const definitionKey = h('input', { id: 'sla-definition', type: 'search' });
  const updated = h('span', { class: 'updated', 'aria-live': 'polite' });
  const body = h('div', { class: 'sla-body' }, h('p', { class: 'loading' }, t('common.loading')));
  const form = h('form', { class: 'filters card', id: 'sla-filters' },
    h('div', {}, h('label', { for: 'sla-period' }, t('sla.filter.period')), period),
    h('div', {}, h('label', { for: 'sla-department' }, t('sla.filter.department')), department),
    h('div', {}, h('label', { for: 'sla-definition' }, t('sla.filter.definition')), definitionKey),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, t('sla.filter.apply'))));
  let stopped = false;
  let timer: number | undefined;
  const tick = window.setInterval(() => tickCountdowns(root), 1000);

  async function load(): Promise<void> {
    window.clearTimeout(timer);
    try {
      const now = Date.now();
      const overview = await slaApi.overview({
        ...periodOfDays(Number(period.value), now),
        department: department.value.trim(), definitionKey: definitionKey.value.trim(), limit: 20,
      });
      if (stopped) return;
      if (overview === null) {
        form.hidden = true;
        render(body, h('p', { class: 'notice card', id: 'sla-unavailable' }, t('sla.unavailable')));
        return; // nothing to refresh until the server has the route
      }
      // Engineers by name, never by staff id.
      const names = await loadNames([...overview.byEngineer.map((r) => r.key), ...overview.breachingNext.map((i) => i.engineerId)]);
      if (stopped) return;
      const total = rowTotal(overview.totals);
      const share = shares(overview.totals);
      const scope = t('sla.scope', { clocks: num(overview.clocks), from: dayLabel(Date.parse(overview.from)), to: dayLabel(Date.parse(overview.to) - 1) });
      render(body,
        h('p', { class: 'sla-scope muted', id: 'sla-scope' }, scope),
        overview.clocks === 0 && overview.breachingNext.length === 0 ? h('p', { class: 'notice card', id: 'sla-empty' }, t('sla.empty')) : null,
        h('div', { class: 'tiles', id: 'sla-tiles' }, ...STATES.map((s) => h('div', { class: `tile tile-${s}`, 'data-state': s },
          h('span', { class: 'tile-label' }, t(`sla.tile.${s}`)),
          h('strong', { class: 'tile-value' }, num(overview.totals[s])),
          h('span', { class: 'muted' }, total > 0 ? t('sla.tile.share', { share: share[s].toLocaleString(locale()) }) : '')))),
        h('div', { class: 'sla-grid' },
          nextSection(overview, names),
          trendsSection(overview.trends),
          breakdownTable('sla-by-department', t('sla.byDepartment'), overview.byDepartment, t('sla.unknown')),
          breakdownTable('sla-by-severity', t('sla.bySeverity'), overview.bySeverity, t('sla.unknown')),
          breakdownTable('sla-by-element', t('sla.byElement'), overview.byElement, t('sla.wholeComplaint')),
          breakdownTable('sla-by-engineer', t('sla.byEngineer'), overview.byEngineer, t('sla.unassigned'), (key) => names.get(key) ?? t('sla.someEngineer'))));
      updated.textContent = t('sla.updated', { time: new Date(overview.generatedAt || now).toLocaleTimeString(locale()) });
    } catch (err) {
      if (stopped) return;
      const message = err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message;
      render(body, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message })));
    }
    if (!stopped) timer = window.setTimeout(() => void load(), REFRESH_MS);
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); void load(); });
  render(root, h('section', { class: 'operator-page sla-page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('sla.title')), updated,
      h('button', { type: 'button', class: 'link', onclick: () => void load() }, t('sla.refresh'))),
    form, body));
  void load();
  return () => { stopped = true; window.clearTimeout(timer); window.clearInterval(tick); };
}
