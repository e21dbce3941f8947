/**
 * The designer's "Simulate" panel (docs/designer.md): runs the draft and the deployed version
 * through POST /api/simulations and shows them side by side: overall p90 and SLA breach rate,
 * per element, and load per department.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { ApiError, request } from '../../../core/api';
import { h, render } from '../../../core/dom';
import { registerMessages, t } from '../../../i18n';
import { simulationMessages } from './messages';

registerMessages(simulationMessages);

interface ElementFigures { elementId: string; count: number; p90Ms: number | null; breachRate: number; incidents: number; incidentMessage: string | null }
interface Result {
  count: number;
  completed: number;
  overall: { p90Ms: number | null; breachRate: number };
  elements: ElementFigures[];
  departments: Array<{ group: string; tasks: number; hours: number }>;
  estimated: string[];
}
export interface SimulationAnswer {
  processId: string;
  history: { version: number | null; instances: number; meanArrivalIntervalMs: number };
  draft: Result;
  current: Result | null;
}

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 48 * 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

function sideBySide(answer: SimulationAnswer, names: (id: string) => string): HTMLElement {
  const { draft, current } = answer;
  const head = (first: string) => h('tr', {}, h('th', {}, first), h('th', {}, t('sim.draft')),
    current ? h('th', {}, t('sim.current', { version: answer.history.version ?? '' })) : null);
  const row = (label: string, d: string, c: string | null, id?: string) =>
    h('tr', id ? { 'data-element': id } : {}, h('th', { scope: 'row' }, label), h('td', { class: 'draft' }, d), current ? h('td', { class: 'current' }, c ?? '—') : null);
  const byId = new Map(current?.elements.map((e) => [e.elementId, e]) ?? []);
  const ids = [...new Set([...draft.elements.map((e) => e.elementId), ...byId.keys()])];
  const figures = (e: ElementFigures | undefined) => (e ? `${duration(e.p90Ms)} · ${percent(e.breachRate)}${e.incidents ? ' ⚠' : ''}` : '—');
  const draftById = new Map(draft.elements.map((e) => [e.elementId, e]));
  const groups = [...new Set([...draft.departments.map((d) => d.group), ...(current?.departments.map((d) => d.group) ?? [])])];
  const load = (r: Result | null, group: string) => {
    const d = r?.departments.find((x) => x.group === group);
    return d ? `${d.tasks} / ${d.hours}` : '—';
  };
  const stuck = draft.elements.filter((e) => e.incidents > 0);
  return h('div', { class: 'sim-results', id: 'sim-results' },
    h('table', { class: 'sim-overall', id: 'sim-overall' },
      h('caption', {}, t('sim.overall')), head(''),
      row(t('sim.p90'), duration(draft.overall.p90Ms), current && duration(current.overall.p90Ms)),
      row(t('sim.breachRate'), percent(draft.overall.breachRate), current && percent(current.overall.breachRate)),
      row(t('sim.completed'), `${draft.completed} / ${draft.count}`, current && `${current.completed} / ${current.count}`)),
    h('table', { class: 'sim-elements', id: 'sim-elements' },
      h('caption', {}, `${t('sim.elements')} (${t('sim.p90')} · ${t('sim.breachRate')})`), head(t('sim.element')),
      ...ids.map((id) => row(names(id), figures(draftById.get(id)), current && figures(byId.get(id)), id))),
    h('table', { class: 'sim-departments', id: 'sim-departments' },
      h('caption', {}, t('sim.departments')), head(`${t('sim.group')} (${t('sim.tasksHours')})`),
      ...groups.map((g) => row(g, load(draft, g), current && load(current, g)))),
    draft.estimated.length ? h('p', { class: 'sim-note' }, t('sim.estimated', { ids: draft.estimated.join(', ') })) : null,
    ...stuck.map((e) => h('p', { class: 'sim-note error' }, `${names(e.elementId)}: ${t('sim.incidents', { count: e.incidents, message: e.incidentMessage ?? '' })}`)));
}

export function createSimulationPanel(options: { host: HTMLElement; modeler: Modeler; processId: () => string | null }): { toggle(): void } {
  const { host, modeler } = options;
  host.hidden = true;
  const count = h('input', { type: 'number', id: 'sim-count', min: 1, max: 20000, value: 1000 });
  const seed = h('input', { type: 'number', id: 'sim-seed', min: 0, value: 1 });
  const runButton = h('button', { type: 'button', class: 'primary', id: 'sim-run' }, t('sim.run'));
  const status = h('p', { class: 'sim-status', id: 'sim-status', role: 'status' });
  const output = h('div', {});
  const names = (id: string) => {
    const element = (modeler.get('elementRegistry') as { get(id: string): { businessObject?: { name?: string } } | undefined }).get(id);
    return element?.businessObject?.name ? `${element.businessObject.name}` : id;
  };

  async function run(): Promise<void> {
    runButton.disabled = true;
    status.textContent = t('sim.running');
    status.className = 'sim-status';
    render(output);
    try {
      const { xml } = await modeler.saveXML();
      const answer = await request<SimulationAnswer>('POST', '/api/simulations', {
        body: { xml: xml ?? '', count: Number(count.value) || 1000, seed: Number(seed.value) || 0, ...(options.processId() ? { processId: options.processId() } : {}) },
      });
      const { history } = answer;
      status.textContent = history.version === null ? t('sim.noHistory')
        : t('sim.history', { instances: history.instances, version: history.version, interval: duration(history.meanArrivalIntervalMs) });
      render(output, sideBySide(answer, names));
    } catch (err) {
      status.className = 'sim-status error';
      const problems = err instanceof ApiError && Array.isArray(err.body.errors) ? err.body.errors.length : null;
      status.textContent = problems !== null ? t('sim.invalid', { count: problems }) : t('sim.failed', { message: (err as Error).message });
    } finally {
      runButton.disabled = false;
    }
  }
  runButton.addEventListener('click', () => void run());

  render(host,
    h('div', { class: 'sim-head' }, h('h2', {}, t('sim.title')),
      h('button', { type: 'button', class: 'link', id: 'sim-close', onclick: () => { host.hidden = true; } }, t('sim.close'))),
    h('div', { class: 'sim-form' },
      h('label', {}, t('sim.count'), count), h('label', {}, t('sim.seed'), seed), runButton),
    status, output);
  return { toggle: () => { host.hidden = !host.hidden; } };
}
