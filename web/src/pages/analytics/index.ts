/**
 * The workload page (GET /api/analytics/workload and /drivers): per department, outlet or
 * engineer over a period, filtered by category and region — open load, intake and throughput
 * a day, handling time per step (median, p90), SLA met/breached and satisfaction; the daily
 * trend as a chart with its figures; what drives low scores; the rows exported as CSV.
 */
import './analytics.css';
import '../sla/sla.css';
import '../instances/operator.css';
import { ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { loadLabels } from '../../core/processLabels';
import { registerMessages, t } from '../../i18n';
import { elementNameAnywhere } from '../../i18n/processText';
import { chart, COLOURS } from './charts';
import { analyticsApi, type DriverRow, type Drivers, type Workload } from './client';
import { dayLabel, duration, isoDay, num, pct, section, table } from './format';
import { analyticsMessages } from './messages';

registerMessages(analyticsMessages);

const DAY_MS = 86_400_000;
const DIMS = ['department', 'outlet', 'engineer'] as const;

function tiles(w: Workload): HTMLElement {
  const tile = (key: string, value: string) => h('div', { class: 'tile', 'data-tile': key }, h('span', { class: 'tile-label' }, t(`analytics.tile.${key}`)), h('strong', { class: 'tile-value' }, value));
  return h('div', { class: 'tiles analytics-tiles', id: 'workload-tiles' },
    tile('open', num(w.total.open, 0)), tile('intake', num(w.total.intakePerDay)), tile('throughput', num(w.total.throughputPerDay)),
    tile('sla', pct(w.total.slaMetShare)), tile('satisfaction', w.total.satisfaction === null ? '—' : `${num(w.total.satisfaction, 2)} ★`));
}

function trend(w: Workload, charts: Array<() => void>): HTMLElement {
  const drawn = chart('workload-chart', t('analytics.trend'), w.trend.map((d) => dayLabel(d.day)), [
    { label: t('analytics.trend.intake'), data: w.trend.map((d) => d.intake), borderColor: COLOURS.blue, backgroundColor: COLOURS.blue, pointRadius: 0 },
    { label: t('analytics.trend.closed'), data: w.trend.map((d) => d.closed), borderColor: COLOURS.green, backgroundColor: COLOURS.green, pointRadius: 0 },
    { label: t('analytics.trend.open'), data: w.trend.map((d) => d.open), borderColor: COLOURS.amber, backgroundColor: COLOURS.amber, pointRadius: 0, borderDash: [4, 3] },
  ]);
  charts.push(drawn.destroy);
  return section('workload-trend', t('analytics.trend'), drawn.box,
    h('details', {}, h('summary', {}, t('analytics.trend.data')),
      table('workload-trend-table', [t('analytics.col.day'), t('analytics.trend.intake'), t('analytics.trend.closed'), t('analytics.trend.open')],
        w.trend.map((d) => ({ key: d.day, cells: [d.day, num(d.intake, 0), num(d.closed, 0), num(d.open, 0)] })))));
}

function rows(w: Workload): HTMLElement {
  const total = (r: Workload['rows'][number]) => r.handling.find((s) => s.step === 'total');
  return section('workload-rows', t('analytics.rows', { dim: t(`analytics.dim.${w.dim}`) }),
    table('workload-table', [t('analytics.col.name'), t('analytics.col.open'), t('analytics.col.intake'), t('analytics.col.closed'), t('analytics.col.perDay'),
      t('analytics.col.median'), t('analytics.col.p90'), t('analytics.col.sla'), t('analytics.col.satisfaction'), t('analytics.col.low')],
    w.rows.map((r) => ({ key: r.key, cells: [r.name, num(r.open, 0), num(r.intake, 0), num(r.closed, 0), `${num(r.intakePerDay)} / ${num(r.throughputPerDay)}`,
      duration(total(r)?.medianMs ?? null), duration(total(r)?.p90Ms ?? null), `${num(r.slaMet, 0)} / ${num(r.slaBreached, 0)}`,
      r.satisfaction === null ? '—' : num(r.satisfaction, 2), pct(r.lowScoreShare)] }))));
}

function steps(w: Workload, nameOf: (elementId: string) => string): HTMLElement {
  return section('workload-steps', t('analytics.steps'),
    table('workload-steps-table', [t('analytics.col.step'), t('analytics.col.count'), t('analytics.col.median'), t('analytics.col.p90')],
      w.total.handling.map((s) => ({ key: s.step, cells: [s.step === 'total' ? t('analytics.step.total') : nameOf(s.step), num(s.count, 0), duration(s.medianMs), duration(s.p90Ms)] }))));
}

function driverTable(id: string, list: DriverRow[], nameOf: (row: DriverRow) => string = (r) => r.name): HTMLElement {
  return table(id, [t('analytics.col.name'), t('analytics.col.low'), t('analytics.col.satisfaction'), t('analytics.col.tags'), t('analytics.col.time')],
    list.slice(0, 15).map((r) => ({ key: r.key, cells: [nameOf(r), `${pct(r.lowScoreShare)} (${num(r.low, 0)}/${num(r.evaluations, 0)})`,
      r.satisfaction === null ? '—' : num(r.satisfaction, 2), r.tags.slice(0, 3).map((x) => `${x.tag} ${x.count}`).join(', ') || '—',
      `${duration(r.meanMs)} (${duration(r.meanMsLow)})`] })));
}

function drivers(d: Drivers, dim: (typeof DIMS)[number], nameOf: (elementId: string) => string): HTMLElement {
  return section('workload-drivers', t('analytics.drivers'),
    h('h3', {}, t('analytics.drivers.elements')), driverTable('drivers-elements', d.elements, (r) => nameOf((r as Drivers['elements'][number]).elementId)),
    h('h3', {}, t(`analytics.dim.${dim}`)), driverTable('drivers-dim', d[dim]));
}

export default function workloadPage(root: HTMLElement): () => void {
  const period = h('select', { id: 'workload-period' }, ...[7, 30, 90, 365].map((days) => h('option', { value: days, selected: days === 30 }, t('analytics.filter.days', { days }))));
  const dim = h('select', { id: 'workload-dim' }, ...DIMS.map((d) => h('option', { value: d }, t(`analytics.dim.${d}`))));
  const category = h('input', { id: 'workload-category', type: 'search' });
  const region = h('input', { id: 'workload-region', type: 'search' });
  const body = h('div', { class: 'analytics-body' }, h('p', { class: 'loading' }, t('common.loading')));
  const exportButton = h('button', { type: 'button', id: 'workload-export' }, t('analytics.export'));
  const form = h('form', { class: 'filters card', id: 'workload-filters' },
    h('div', {}, h('label', { for: 'workload-period' }, t('analytics.filter.period')), period),
    h('div', {}, h('label', { for: 'workload-dim' }, t('analytics.filter.dim')), dim),
    h('div', {}, h('label', { for: 'workload-category' }, t('analytics.filter.category')), category),
    h('div', {}, h('label', { for: 'workload-region' }, t('analytics.filter.region')), region),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, t('analytics.filter.apply')), exportButton));
  let stopped = false;
  let charts: Array<() => void> = [];

  const query = () => {
    const to = Date.now();
    return { dim: dim.value, from: isoDay(to - (Number(period.value) - 1) * DAY_MS), to: isoDay(to), category: category.value.trim(), region: region.value.trim() };
  };

  async function load(): Promise<void> {
    try {
      const q = query();
      const [w, d] = await Promise.all([analyticsApi.workload(q), analyticsApi.drivers({ from: q.from, to: q.to, category: q.category, region: q.region })]);
      // Steps and element drivers are element ids: shown by their names (in the reader's language).
      const labels = await loadLabels(d.elements.map((e) => e.definitionKey), { names: true });
      const nameOf = (elementId: string) => elementNameAnywhere(labels.values(), elementId);
      if (stopped) return;
      charts.forEach((end) => end());
      charts = [];
      render(body,
        h('p', { class: 'muted', id: 'workload-scope' }, t('analytics.scope', { from: dayLabel(w.from), to: dayLabel(w.to) })),
        tiles(w),
        h('div', { class: 'analytics-grid' }, trend(w, charts), rows(w), steps(w, nameOf), drivers(d, w.dim as (typeof DIMS)[number], nameOf)));
    } catch (err) {
      if (stopped) return;
      const message = err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message;
      render(body, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message })));
    }
  }

  async function download(): Promise<void> {
    const q = query();
    const blob = await analyticsApi.workloadCsv(q);
    const link = h('a', { href: URL.createObjectURL(blob), download: `workload-${q.dim}-${q.from}-${q.to}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); void load(); });
  dim.addEventListener('change', () => void load());
  exportButton.addEventListener('click', () => {
    download().catch((err: unknown) => render(body, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message: (err as Error).message }))));
  });
  render(root, h('section', { class: 'operator-page analytics-page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('analytics.title')), h('a', { href: '#/analytics/forecast', id: 'to-forecast' }, t('analytics.forecastLink'))),
    form, body));
  void load();
  return () => { stopped = true; charts.forEach((end) => end()); };
}
