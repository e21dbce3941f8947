/**
 * Open incidents across instances (GET /api/incidents, from the read model), oldest first:
 * where each one is, what went wrong, how long it has been open, a link to the instance's
 * viewer and Retry. Refreshes itself every few seconds.
 */
import '../instances/operator.css';
import { ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { readableKey } from '../../core/readable';
import { locale, registerMessages, t } from '../../i18n';
import { shortId } from '../instances/badges';
import { instancesApi, type IncidentSummary } from '../instances/client';
import { formatDuration } from '../instances/format';
import { instancesMessages } from '../instances/messages';
import { incidentsMessages } from './messages';

registerMessages(instancesMessages);
registerMessages(incidentsMessages);

const REFRESH_MS = 5000;
const PAGE_SIZE = 100;

const problemText = (err: unknown) => (err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message);

export default function incidentsPage(root: HTMLElement): () => void {
  const updated = h('span', { class: 'updated', 'aria-live': 'polite' });
  const flash = h('p', { class: 'flash', role: 'status', hidden: true });
  const results = h('div', { class: 'results' }, h('p', { class: 'loading' }, t('common.loading')));
  let stopped = false;
  let timer: number | undefined;

  const say = (text: string, isError = false) => {
    flash.textContent = text;
    flash.className = isError ? 'flash error' : 'flash';
    flash.setAttribute('role', isError ? 'alert' : 'status');
    flash.hidden = false;
  };

  const retry = (incident: IncidentSummary, button: HTMLButtonElement) => {
    button.disabled = true;
    button.textContent = t('viewer.retrying');
    instancesApi.retry(incident.instanceId, incident.id)
      .then(() => { say(t('incidents.retried', { element: incident.elementId })); return load(); })
      .catch((err: unknown) => {
        say(t('viewer.retryFailed', { message: problemText(err) }), true);
        button.disabled = false;
        button.textContent = t('viewer.retry');
      });
  };

  function row(incident: IncidentSummary, now: number): HTMLElement {
    const retryButton = h('button', { type: 'button', class: 'primary retry' }, t('viewer.retry'));
    retryButton.addEventListener('click', () => retry(incident, retryButton));
    const age = incident.createdAt ? formatDuration(now - Date.parse(incident.createdAt)) : '—';
    return h('tr', { 'data-incident': incident.id, 'data-instance': incident.instanceId },
      h('td', { 'data-label': t('incidents.col.instance') },
        h('a', { href: `#/instances/${incident.instanceId}`, class: 'instance-link' }, incident.businessKey ? readableKey(incident.businessKey) : shortId(incident.instanceId)),
        h('div', { class: 'muted' }, `${incident.definition.key} v${incident.definition.version}`)),
      h('td', { 'data-label': t('incidents.col.element'), class: 'mono' }, incident.elementId),
      h('td', { 'data-label': t('incidents.col.problem') },
        h('span', { class: 'badge breached' }, incident.type), h('div', { class: 'incident-message' }, incident.message)),
      h('td', { 'data-label': t('incidents.col.age'), title: incident.createdAt ? new Date(incident.createdAt).toLocaleString(locale()) : '' }, age),
      h('td', { 'data-label': t('incidents.col.action'), class: 'actions' },
        retryButton, ' ', h('a', { href: `#/instances/${incident.instanceId}` }, t('incidents.open'))));
  }

  async function load(): Promise<void> {
    window.clearTimeout(timer);
    try {
      const page = await instancesApi.incidents({ pageSize: PAGE_SIZE });
      if (stopped) return;
      const now = Date.now();
      const items = [...page.items].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
      if (items.length === 0) render(results, h('p', { class: 'notice empty card' }, t('incidents.empty')));
      else {
        render(results,
          h('p', { class: 'muted' }, t('incidents.summary', { count: items.length, instances: page.total })),
          h('table', { class: 'list-table', id: 'incidents-table' },
            h('thead', {}, h('tr', {}, ...['instance', 'element', 'problem', 'age', 'action'].map((c) => h('th', {}, t(`incidents.col.${c}`))))),
            h('tbody', {}, ...items.map((i) => row(i, now)))));
      }
      updated.textContent = t('instances.updated', { time: new Date().toLocaleTimeString(locale()) });
    } catch (err) {
      if (stopped) return;
      render(results, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message: problemText(err) })));
    }
    if (!stopped) timer = window.setTimeout(() => void load(), REFRESH_MS);
  }

  render(root, h('section', { class: 'operator-page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('incidents.title')), updated,
      h('button', { type: 'button', class: 'link', onclick: () => void load() }, t('instances.refresh'))),
    flash, results));
  void load();
  return () => { stopped = true; window.clearTimeout(timer); };
}
