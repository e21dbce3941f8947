/**
 * The forecast page (GET /api/analytics/forecast): the next weeks' complaint volume from the
 * history (chart: the last eight weeks, the forecast, and the forecast of the held-back four
 * weeks beside what happened), its error, the engineers needed per day, and per category and
 * region the weekly totals with their own error.
 */
import './analytics.css';
import '../sla/sla.css';
import '../instances/operator.css';
import { ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { registerMessages, t } from '../../i18n';
import { chart, COLOURS } from './charts';
import { analyticsApi, type Forecast } from './client';
import { dayLabel, duration, num, pct, section, table } from './format';
import { analyticsMessages } from './messages';

registerMessages(analyticsMessages);

function errorFigures(f: Forecast): HTMLElement {
  const held = f.holdout;
  return h('div', { class: 'card analytics-figures', id: 'forecast-error' },
    h('div', {}, h('span', { class: 'muted' }, t('analytics.forecast.method', { method: f.method }))),
    held ? h('div', { 'data-mape': held.mape ?? '' },
      h('span', { class: 'muted' }, t('analytics.forecast.error', { from: dayLabel(held.from), to: dayLabel(held.to) })), ' ',
      h('strong', { id: 'forecast-mape' }, t('analytics.forecast.mape', { mape: held.mape === null ? '—' : num(held.mape * 100) })), ' ',
      h('span', { class: 'muted' }, t('analytics.forecast.total', { predicted: num(held.predicted, 0), actual: num(held.actual, 0), error: held.totalError === null ? '—' : num(held.totalError * 100) })))
      : h('p', { class: 'muted' }, t('analytics.forecast.noHoldout')));
}

function volumeChart(f: Forecast, charts: Array<() => void>): HTMLElement {
  const days = [...f.recent.map((d) => d.day), ...f.forecast.map((d) => d.day)];
  const recent = new Map(f.recent.map((d) => [d.day, d.count]));
  const ahead = new Map(f.forecast.map((d) => [d.day, d.count]));
  const held = new Map((f.holdout?.days ?? []).map((d) => [d.day, d.predicted]));
  const drawn = chart('forecast-chart', t('analytics.forecast.title'), days.map(dayLabel), [
    { label: t('analytics.forecast.history'), data: days.map((d) => recent.get(d) ?? null), borderColor: COLOURS.grey, backgroundColor: COLOURS.grey, pointRadius: 0 },
    { label: t('analytics.forecast.heldBack'), data: days.map((d) => held.get(d) ?? null), borderColor: COLOURS.amber, backgroundColor: COLOURS.amber, pointRadius: 0, borderDash: [4, 3] },
    { label: t('analytics.forecast.expected'), data: days.map((d) => ahead.get(d) ?? null), borderColor: COLOURS.blue, backgroundColor: COLOURS.blue, pointRadius: 0 },
  ]);
  charts.push(drawn.destroy);
  return section('forecast-volume', t('analytics.forecast.weeks', { weeks: f.weekly.length }), drawn.box,
    table('forecast-weekly', [t('analytics.col.week'), t('analytics.forecast.volume')], f.weekly.map((n, i) => ({ key: String(i + 1), cells: [t('analytics.forecast.week', { n: i + 1 }), num(n, 0)] }))));
}

function staffing(f: Forecast): HTMLElement {
  const volume = new Map(f.forecast.map((d) => [d.day, d.count]));
  const s = f.staffing;
  return section('forecast-staffing', t('analytics.forecast.staffing'),
    h('p', { class: 'muted' }, t('analytics.forecast.staffingBasis', { method: s.method, handling: duration(s.handlingMs), target: duration(s.targetMs), level: num(s.serviceLevel * 100, 0), hours: num(s.workingHours) })),
    table('forecast-staffing-table', [t('analytics.col.day'), t('analytics.forecast.volume'), t('analytics.forecast.engineers')],
      s.days.map((d) => ({ key: d.day, cells: [d.day, num(volume.get(d.day) ?? 0), String(d.engineers)] }))));
}

function breakdown(id: string, title: string, list: Forecast['byCategory']): HTMLElement | null {
  if (list.length === 0) return null;
  const weeks = list[0]?.weekly.length ?? 0;
  return section(id, title, table(`${id}-table`, [t('analytics.col.name'), ...Array.from({ length: weeks }, (_, i) => t('analytics.forecast.week', { n: i + 1 })), 'MAPE'],
    list.map((r) => ({ key: r.key, cells: [r.key, ...r.weekly.map((n) => num(n, 0)), pct(r.mape)] }))));
}

export default function forecastPage(root: HTMLElement): () => void {
  const category = h('input', { id: 'forecast-category', type: 'search' });
  const region = h('input', { id: 'forecast-region', type: 'search' });
  const level = h('select', { id: 'forecast-level' }, ...[0.8, 0.9, 0.95].map((v) => h('option', { value: v, selected: v === 0.8 }, `${v * 100}%`)));
  const hours = h('input', { id: 'forecast-hours', type: 'number', min: 1, max: 24, step: 0.5, value: 8 });
  const body = h('div', { class: 'analytics-body' }, h('p', { class: 'loading' }, t('common.loading')));
  const form = h('form', { class: 'filters card', id: 'forecast-filters' },
    h('div', {}, h('label', { for: 'forecast-category' }, t('analytics.filter.category')), category),
    h('div', {}, h('label', { for: 'forecast-region' }, t('analytics.filter.region')), region),
    h('div', {}, h('label', { for: 'forecast-level' }, t('analytics.forecast.serviceLevel')), level),
    h('div', {}, h('label', { for: 'forecast-hours' }, t('analytics.forecast.hours')), hours),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary' }, t('analytics.filter.apply'))));
  let stopped = false;
  let charts: Array<() => void> = [];

  async function load(): Promise<void> {
    try {
      const f = await analyticsApi.forecast({ category: category.value.trim(), region: region.value.trim(), serviceLevel: level.value, workingHours: hours.value, weeks: 4 });
      if (stopped) return;
      charts.forEach((end) => end());
      charts = [];
      if (f.history.days === 0) {
        render(body, h('p', { class: 'notice card', id: 'forecast-empty' }, t('analytics.forecast.empty')));
        return;
      }
      render(body, errorFigures(f),
        h('div', { class: 'analytics-grid' }, volumeChart(f, charts), staffing(f),
          breakdown('forecast-by-category', t('analytics.forecast.byCategory'), f.byCategory),
          breakdown('forecast-by-region', t('analytics.forecast.byRegion'), f.byRegion)));
    } catch (err) {
      if (stopped) return;
      const message = err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message;
      render(body, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message })));
    }
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); void load(); });
  render(root, h('section', { class: 'operator-page analytics-page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('analytics.forecast.title')), h('a', { href: '#/analytics', id: 'to-workload' }, t('analytics.workloadLink'))),
    form, body));
  void load();
  return () => { stopped = true; charts.forEach((end) => end()); };
}
