/**
 * The viewer's side panel (below the diagram on a phone): incidents with Retry, timers and
 * SLA clocks counting down, open tasks, the variables as a read-only JSON tree, and the
 * history timeline, newest first.
 */
import { formatTime, h } from '../../core/dom';
import { locale, t } from '../../i18n';
import type { HistoryEvent, Incident, InstanceDetail, SlaClock } from './client';
import { countdown, timerText } from './countdown';
import { formatDuration, timeLeft } from './format';

const HISTORY_SHOWN = 200;

function section(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', { class: 'panel-section', id }, h('h2', {}, title), ...body);
}

/** A JSON value as nested, collapsible lists: objects and arrays open on the first two levels. */
export function jsonTree(value: unknown, depth = 0): Node {
  if (value === null || typeof value !== 'object') {
    const kind = value === null ? 'null' : typeof value;
    return h('span', { class: `json-${kind}` }, typeof value === 'string' ? JSON.stringify(value) : String(value));
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  if (entries.length === 0) return h('span', { class: 'json-empty' }, Array.isArray(value) ? '[]' : '{}');
  return h('details', { class: 'json-node', open: depth < 2 },
    h('summary', {}, summary),
    h('ul', {}, ...entries.map(([key, v]) => h('li', {}, h('span', { class: 'json-key' }, key), ': ', jsonTree(v, depth + 1)))));
}

function slaLine(clock: SlaClock, nameOf: (id: string) => string): HTMLElement {
  const due = timeLeft(clock.dueAt, Date.now());
  const left = (ms: number) => (ms >= 0 ? t('viewer.sla.left', { left: formatDuration(ms) }) : t('viewer.sla.over', { over: formatDuration(ms) }));
  let remaining: Node | string = '';
  if (clock.paused) remaining = t('viewer.sla.paused') + (clock.remainingMs === null ? '' : ` · ${left(clock.remainingMs)}`);
  else if (clock.state !== 'met' && due !== null) remaining = countdown(Date.now() + due, left);
  return h('li', { class: 'sla-clock', 'data-clock': clock.clockKey },
    h('span', { class: `badge ${clock.state}` }, t(`sla.state.${clock.state}`)), ' ',
    h('strong', {}, clock.metric), clock.elementId ? ` · ${nameOf(clock.elementId)}` : '',
    h('div', { class: 'muted' }, remaining, ' · ', formatDuration(clock.targetMs)));
}

export interface PanelInput {
  detail: InstanceDetail;
  history: HistoryEvent[] | null;
  /** An element's name in the reader's language; `fallback` when the diagram does not name it. */
  nameOf: (id: string, fallback?: string | null) => string;
  onRetry: (incident: Incident, button: HTMLButtonElement) => void;
  /** Assignees by name (loadNames); one not found reads "a colleague". */
  names?: ReadonlyMap<string, string>;
}

export function sidePanel({ detail, history, nameOf, onRetry, names = new Map() }: PanelInput): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (detail.incidents.length > 0) {
    parts.push(section('panel-incidents', t('viewer.incidents'),
      h('ul', { class: 'incident-list' }, ...detail.incidents.map((incident) => {
        const retry = h('button', { type: 'button', class: 'primary retry', 'data-incident': incident.id }, t('viewer.retry'));
        retry.addEventListener('click', () => onRetry(incident, retry));
        return h('li', { class: 'incident', 'data-incident': incident.id },
          h('div', {}, h('span', { class: 'badge breached' }, incident.type), ' ', h('strong', {}, nameOf(incident.elementId))),
          h('p', { class: 'incident-message' }, incident.message),
          retry);
      }))));
  }
  if (detail.slaClocks && detail.slaClocks.length > 0) {
    parts.push(section('panel-sla', t('viewer.sla'), h('ul', { class: 'plain' }, ...detail.slaClocks.map((c) => slaLine(c, nameOf)))));
  }
  if (detail.timers.length > 0) {
    parts.push(section('panel-timers', t('viewer.timers'), h('ul', { class: 'plain' }, ...detail.timers.map((timer) =>
      h('li', { 'data-timer': timer.elementId, class: 'timer-line' }, h('strong', {}, nameOf(timer.elementId)), ' · ', countdown(timer.dueAt, timerText),
        h('div', { class: 'muted' }, formatTime(timer.dueAt, locale())))))));
  }
  if (detail.tasks.length > 0) {
    parts.push(section('panel-tasks', t('viewer.tasks'), h('ul', { class: 'plain' }, ...detail.tasks.map((task) =>
      h('li', {}, h('strong', {}, nameOf(task.elementId, task.name)), ' · ',
        h('span', { class: 'muted' }, task.assignee ? t('viewer.assignee', { name: names.get(task.assignee) ?? t('viewer.colleague') }) : t('viewer.unassigned')))))));
  }
  const variables = Object.keys(detail.variables).length === 0 ? h('p', { class: 'muted' }, t('viewer.noVariables')) : h('div', { class: 'json-tree' }, jsonTree(detail.variables));
  parts.push(section('panel-variables', t('viewer.variables'), variables));
  if (history) {
    const shown = history.slice(-HISTORY_SHOWN).reverse();
    parts.push(section('panel-history', t('viewer.history'), shown.length === 0 ? h('p', { class: 'muted' }, t('viewer.noHistory')) :
      h('ol', { class: 'timeline' }, ...shown.map((e) => h('li', { class: `event-${e.event}` },
        h('time', { datetime: e.time }, new Date(e.time).toLocaleTimeString(locale())),
        h('span', {}, h('strong', {}, nameOf(e.elementId)), ' ', t(`viewer.event.${e.event}`),
          ...(e.message ? [' ', h('code', {}, e.message)] : [])))))));
  }
  return parts;
}
