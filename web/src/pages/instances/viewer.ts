/**
 * Instance viewer: the diagram of the instance's own definition version with its live state
 * drawn on it (tokens, path taken, incidents with Retry, timers, SLA colours), an optional
 * heat map of where time goes, and beside it (below on a phone) incidents, clocks, tasks,
 * variables and the history. Polls every few seconds while the instance runs.
 */
import './operator.css';
import { ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { loadLabels } from '../../core/processLabels';
import { loadNames, numberOf, readableKey } from '../../core/readable';
import { locale, registerMessages, t } from '../../i18n';
import { elementName, localizedDiagram, NO_LABELS, type ProcessLabels } from '../../i18n/processText';
import { instancesApi, type HistoryEvent, type Incident, type InstanceDetail } from './client';
import { tickCountdowns } from './countdown';
import { createDiagram, type Diagram } from './diagram';
import { formatDuration, pathTaken, slaByElement } from './format';
import { shortId, statusBadge } from './badges';
import { instancesMessages } from './messages';
import { sidePanel } from './panels';
import { modifyPanel } from './modifyPanel';

registerMessages(instancesMessages);

const REFRESH_MS = 4000;
const DAY_MS = 86_400_000;
const HEAT_PERIODS = [7, 30, 90];

const problemText = (err: unknown) => (err instanceof ApiError ? `${err.message} (${err.status})` : (err as Error).message);

export default function viewerPage(root: HTMLElement, params: Record<string, string>): () => void {
  const id = params.id ?? '';
  const title = h('h1', {}, t('viewer.title', { id: shortId(id) }));
  const meta = h('div', { class: 'viewer-meta' });
  const updated = h('span', { class: 'updated', id: 'viewer-updated', 'aria-live': 'polite' });
  const flash = h('p', { class: 'flash', role: 'status', hidden: true });
  const canvasBox = h('div', { class: 'viewer-canvas', id: 'viewer-canvas' });
  const side = h('aside', { class: 'viewer-side', id: 'viewer-side' }, h('p', { class: 'loading' }, t('common.loading')));
  const stateButton = h('button', { type: 'button', class: 'segment active', 'aria-pressed': 'true', id: 'mode-state' }, t('viewer.mode.state'));
  const heatButton = h('button', { type: 'button', class: 'segment', 'aria-pressed': 'false', id: 'mode-heat' }, t('viewer.mode.heat'));
  // Managers only (the analytics API): offered once the drivers answer.
  const satisfactionButton = h('button', { type: 'button', class: 'segment', 'aria-pressed': 'false', id: 'mode-satisfaction', hidden: true }, t('viewer.mode.satisfaction'));
  const period = h('select', { id: 'heat-period', 'aria-label': t('viewer.heat.period'), hidden: true },
    ...HEAT_PERIODS.map((days) => h('option', { value: days, selected: days === 30 }, t('viewer.heat.days', { days }))));
  const heatLegend = h('div', { class: 'heat-legend', id: 'heat-legend', hidden: true });
  const modes = h('div', { class: 'segmented', id: 'viewer-modes', hidden: true }, stateButton, heatButton, satisfactionButton, period);
  const legend = h('div', { class: 'legend' },
    h('span', { class: 'legend-active' }, t('viewer.legend.active')),
    h('span', { class: 'legend-done' }, t('viewer.legend.done')),
    h('span', { class: 'legend-incident' }, t('viewer.legend.incident')),
    h('span', { class: 'legend-timer' }, t('viewer.legend.timer')));

  render(root, h('section', { class: 'operator-page viewer' },
    h('a', { href: '#/instances', class: 'back' }, '← ', t('viewer.back')),
    h('div', { class: 'page-head' }, title, updated),
    meta,
    h('div', { class: 'viewer-toolbar' }, modes, legend, heatLegend),
    flash,
    h('div', { class: 'viewer-layout' }, canvasBox, side)));
  // Token modification (decision 0040): above the layout, built once so its form keeps what is typed.
  const modify = modifyPanel(id, (message, isError) => {
    say(message, isError, !isError);
    if (!isError) void refresh();
  });
  if (modify) flash.after(modify.element);

  let diagram: Diagram | undefined;
  let detail: InstanceDetail | undefined;
  let history: HistoryEvent[] | null = null;
  let names: ReadonlyMap<string, string> = new Map();
  /** The process's element names in the reader's language (decision 0050). */
  let labels: ProcessLabels = NO_LABELS;
  let mode: 'state' | 'heat' | 'satisfaction' = 'state';
  let stopped = false;
  let poll: number | undefined;
  let flashTimer: number | undefined;
  const tick = window.setInterval(() => tickCountdowns(root), 1000);

  const say = (text: string, isError = false, sticky = false) => {
    flash.textContent = text;
    flash.className = isError ? 'flash error' : 'flash';
    flash.setAttribute('role', isError ? 'alert' : 'status');
    flash.hidden = false;
    window.clearTimeout(flashTimer);
    if (!isError && !sticky) flashTimer = window.setTimeout(() => { flash.hidden = true; }, 8000);
  };

  const onRetry = (incident: Incident, button: HTMLButtonElement) => {
    button.disabled = true;
    button.textContent = t('viewer.retrying');
    instancesApi.retry(id, incident.id)
      .then(() => { say(t('viewer.retried')); return refresh(); })
      .catch((err: unknown) => {
        say(t('viewer.retryFailed', { message: problemText(err) }), true);
        button.disabled = false;
        button.textContent = t('viewer.retry');
      });
  };

  function draw(): void {
    if (!detail) return;
    const nameOf = (elementId: string, fallback?: string | null) => elementName(labels, elementId, fallback ?? diagram?.nameOf(elementId) ?? elementId);
    render(side, ...sidePanel({ detail, history, nameOf, onRetry, names }));
    if (modify) {
      modify.element.hidden = detail.status !== 'active';
      modify.update(detail.activeElements.filter((e) => e !== detail?.definition.key), diagram?.nodeIds() ?? []);
    }
    if (diagram && mode === 'state') {
      const path = pathTaken(diagram.flows(), history ?? []);
      diagram.showState({
        activeElements: detail.activeElements,
        completedElements: path.elements,
        takenFlows: path.flows,
        incidents: detail.incidents,
        timers: detail.timers,
        sla: slaByElement(detail.slaClocks ?? [], detail.tasks),
        onRetry,
      });
    }
  }

  async function loadDiagram(current: InstanceDetail): Promise<void> {
    try {
      const xml = await instancesApi.xml(current.definition.key, current.definition.version);
      if (stopped) return;
      diagram = createDiagram(canvasBox);
      await diagram.load(localizedDiagram(xml));
      labels = (await loadLabels([current.definition.key])).get(current.definition.key) ?? NO_LABELS;
      canvasBox.dataset.ready = 'true';
    } catch (err) {
      render(canvasBox, h('p', { class: 'notice' }, t('viewer.noDiagram', { message: problemText(err) })));
      return;
    }
    const from = new Date(Date.now() - 30 * DAY_MS).toISOString();
    const [heat, satisfaction] = await Promise.all([
      instancesApi.heatmap({ definitionKey: current.definition.key, version: current.definition.version, from, to: new Date().toISOString() }).catch(() => null),
      instancesApi.satisfaction({ definitionKey: current.definition.key, from: from.slice(0, 10) }).catch(() => null),
    ]);
    if (stopped) return;
    if (heat !== null || satisfaction !== null) modes.hidden = false;
    heatButton.hidden = heat === null;
    satisfactionButton.hidden = satisfaction === null;
  }

  async function refresh(): Promise<void> {
    window.clearTimeout(poll);
    try {
      const [next, events] = await Promise.all([instancesApi.get(id), instancesApi.history(id).catch(() => null)]);
      if (stopped) return;
      const first = !detail;
      // Assignees by name (GET /api/people/names; asked once a session per person).
      names = await loadNames(next.tasks.map((x) => x.assignee));
      if (stopped) return;
      detail = next;
      history = events;
      if (first) {
        title.textContent = next.businessKey ? readableKey(next.businessKey, numberOf(next.variables)) : t('viewer.title', { id: shortId(id) });
        render(meta, statusBadge(next.status), ' ',
          h('span', { class: 'muted' }, t('viewer.version', { key: next.definition.key, version: next.definition.version })),
          next.businessKey ? h('span', { class: 'muted mono', title: id }, ` · ${shortId(id)}`) : null);
        await loadDiagram(next);
      } else {
        render(meta, statusBadge(next.status), ' ', h('span', { class: 'muted' }, t('viewer.version', { key: next.definition.key, version: next.definition.version })));
      }
      draw();
      updated.textContent = t('instances.updated', { time: new Date().toLocaleTimeString(locale()) });
      if (next.status !== 'active') {
        say(t('viewer.ended', { status: t(`status.${next.status}`) }), false, true);
        return;
      }
    } catch (err) {
      if (stopped) return;
      if (!detail) {
        render(side);
        render(canvasBox, h('p', { class: 'error', role: 'alert' }, t('error.generic', { message: problemText(err) })));
        return;
      }
      say(t('error.generic', { message: problemText(err) }), true);
    }
    if (!stopped) poll = window.setTimeout(() => void refresh(), REFRESH_MS);
  }

  async function showHeat(): Promise<void> {
    if (!detail || !diagram) return;
    const days = Number(period.value);
    const stats = await instancesApi.heatmap({
      definitionKey: detail.definition.key, version: detail.definition.version,
      from: new Date(Date.now() - days * DAY_MS).toISOString(), to: new Date().toISOString(),
    });
    if (stopped || mode !== 'heat') return;
    if (stats === null) { heatButton.hidden = true; return; }
    const shown = diagram.showHeat(stats);
    // The scale runs from the quickest to the slowest median drawn on this diagram.
    const medians = shown.map((s) => s.medianMs);
    render(heatLegend, ...(shown.length === 0 ? [] : [
      h('span', {}, t('viewer.heat.fast')),
      h('strong', { id: 'heat-min', 'data-ms': Math.min(...medians) }, formatDuration(Math.min(...medians))),
      h('span', { class: 'heat-scale' }),
      h('strong', { id: 'heat-max', 'data-ms': Math.max(...medians) }, formatDuration(Math.max(...medians))),
      h('span', {}, t('viewer.heat.slow')),
      h('span', { class: 'muted' }, t('viewer.heat.count', { elements: shown.length, days }))]));
    if (shown.length === 0) say(t('viewer.heat.empty'));
  }

  /** The satisfaction mode: elements coloured by their share of low scores in the period (GET /api/analytics/drivers). */
  async function showSatisfaction(): Promise<void> {
    if (!detail || !diagram) return;
    const days = Number(period.value);
    const stats = await instancesApi.satisfaction({ definitionKey: detail.definition.key, from: new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10) });
    if (stopped || mode !== 'satisfaction') return;
    if (stats === null) { satisfactionButton.hidden = true; return; }
    const shown = diagram.showSatisfaction(stats);
    render(heatLegend, ...(shown.length === 0 ? [] : [
      h('span', {}, t('viewer.satisfaction.good')), h('span', { class: 'heat-scale' }), h('span', {}, t('viewer.satisfaction.bad')),
      h('span', { class: 'muted', id: 'satisfaction-count', 'data-elements': shown.length }, t('viewer.satisfaction.count', { elements: shown.length, days }))]));
    if (shown.length === 0) say(t('viewer.satisfaction.empty'));
  }

  const setMode = (next: 'state' | 'heat' | 'satisfaction') => {
    mode = next;
    for (const [button, m] of [[stateButton, 'state'], [heatButton, 'heat'], [satisfactionButton, 'satisfaction']] as const) {
      button.classList.toggle('active', next === m);
      button.setAttribute('aria-pressed', String(next === m));
    }
    period.hidden = next === 'state';
    legend.hidden = next !== 'state';
    heatLegend.hidden = next === 'state';
    flash.hidden = true;
    const failed = (err: unknown) => say(t('error.generic', { message: problemText(err) }), true);
    if (next === 'heat') showHeat().catch(failed);
    else if (next === 'satisfaction') showSatisfaction().catch(failed);
    else draw();
  };
  stateButton.addEventListener('click', () => setMode('state'));
  heatButton.addEventListener('click', () => setMode('heat'));
  satisfactionButton.addEventListener('click', () => setMode('satisfaction'));
  period.addEventListener('change', () => setMode(mode === 'satisfaction' ? 'satisfaction' : 'heat'));

  void refresh();
  return () => {
    stopped = true;
    window.clearTimeout(poll);
    window.clearInterval(tick);
    window.clearTimeout(flashTimer);
    diagram?.destroy();
  };
}
