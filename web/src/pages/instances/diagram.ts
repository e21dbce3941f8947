/**
 * The instance's diagram: bpmn-js's NavigatedViewer (pan and zoom, no editing) with the live
 * state drawn on it through the library's own overlays and markers — tokens, the path taken,
 * incidents with Retry, timers counting down, SLA colours — or, in heat-map mode, each
 * element coloured by its median duration.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import { h } from '../../core/dom';
import { countdown, timerText } from './countdown';
import { t } from '../../i18n';
import type { HeatmapElement, Incident, SatisfactionElement, SlaState, Timer } from './client';
import { formatDuration, heatBucket, tokenCounts, type FlowLike } from './format';

export interface DiagramState {
  activeElements: string[];
  completedElements: Set<string>;
  takenFlows: Set<string>;
  incidents: Incident[];
  timers: Timer[];
  sla: Map<string, SlaState>;
  onRetry: (incident: Incident, button: HTMLButtonElement) => void;
}

interface BpmnElement { id: string; type: string; businessObject?: { name?: string }; source?: { id: string }; target?: { id: string } }

const STATE_MARKERS = ['op-active', 'op-done', 'op-incident', 'sla-ok', 'sla-at_risk', 'sla-breached', 'sla-met'];
const HEAT_MARKERS = ['heat-0', 'heat-1', 'heat-2', 'heat-3', 'heat-4'];
const OVERLAY_TYPES = ['op-token', 'op-incident', 'op-timer', 'op-heat'];


export function createDiagram(container: HTMLElement) {
  const viewer = new NavigatedViewer({ container });
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<ElementRegistry>('elementRegistry');
  const overlays = viewer.get<Overlays>('overlays');
  const elements = () => registry.getAll() as unknown as BpmnElement[];
  /** A shape or connection on the canvas (the process itself is the canvas root: nothing to mark). */
  const has = (id: string) => registry.get(id) !== undefined && canvas.getRootElement().id !== id;

  /** Events are small circles with their label below: badges go above them instead. */
  const isEvent = (id: string) => /Event$/.test((registry.get(id) as unknown as BpmnElement | undefined)?.type ?? '');

  /** Fits the whole diagram with a margin, so markers and badges on its edge stay visible. */
  function fit(): void {
    canvas.zoom('fit-viewport');
    const box = canvas.viewbox();
    const margin = 0.08;
    canvas.viewbox({ x: box.x - box.width * margin, y: box.y - box.height * margin, width: box.width * (1 + 2 * margin), height: box.height * (1 + 2 * margin) });
  }

  function clear(): void {
    for (const type of OVERLAY_TYPES) overlays.remove({ type });
    for (const el of elements()) for (const marker of [...STATE_MARKERS, ...HEAT_MARKERS]) canvas.removeMarker(el.id, marker);
  }

  return {
    async load(xml: string): Promise<void> {
      await viewer.importXML(xml);
      fit();
    },
    fit,
    nameOf(id: string): string {
      const el = registry.get(id) as unknown as BpmnElement | undefined;
      return el?.businessObject?.name || id;
    },
    /** Flow nodes drawn on the canvas (no flows, labels or the process), for the move-token form. */
    nodeIds(): string[] {
      return elements()
        .filter((e) => has(e.id) && !/SequenceFlow|Association|Label|Participant|Lane/.test(e.type) && e.type.startsWith('bpmn:'))
        .map((e) => e.id);
    },
    flows(): FlowLike[] {
      return elements()
        .filter((e) => e.type === 'bpmn:SequenceFlow' && e.source && e.target)
        .map((e) => ({ id: e.id, sourceId: e.source?.id ?? '', targetId: e.target?.id ?? '' }));
    },
    showState(state: DiagramState): void {
      clear();
      for (const id of state.completedElements) if (has(id)) canvas.addMarker(id, 'op-done');
      for (const id of state.takenFlows) if (has(id)) canvas.addMarker(id, 'op-done');
      for (const [id, slaState] of state.sla) if (has(id)) canvas.addMarker(id, `sla-${slaState}`);
      for (const [id, count] of tokenCounts(state.activeElements)) {
        if (!has(id)) continue;
        canvas.addMarker(id, 'op-active');
        overlays.add(id, 'op-token', {
          position: isEvent(id) ? { top: -8, left: -8 } : { bottom: 12, left: -10 },
          html: h('div', { class: 'op-token', 'data-element': id, title: t('viewer.tokens', { count }) }, count > 1 ? String(count) : ''),
        });
      }
      for (const timer of state.timers) {
        if (!has(timer.elementId)) continue;
        overlays.add(timer.elementId, 'op-timer', {
          position: { top: -24, left: 0 },
          html: h('div', { class: 'op-timer', 'data-element': timer.elementId }, countdown(timer.dueAt, timerText)),
        });
      }
      for (const incident of state.incidents) {
        if (!has(incident.elementId)) continue;
        canvas.addMarker(incident.elementId, 'op-incident');
        const retry = h('button', { type: 'button', class: 'op-retry' }, t('viewer.retry'));
        retry.addEventListener('click', () => state.onRetry(incident, retry));
        overlays.add(incident.elementId, 'op-incident', {
          position: { top: -13, left: 6 },
          html: h('div', { class: 'op-incident', 'data-element': incident.elementId, 'data-incident': incident.id, title: incident.message },
            h('strong', {}, '!'), h('span', { class: 'op-incident-message' }, incident.type), retry),
        });
      }
    },
    /** Colours the elements by median time against the slowest one shown; returns the stats drawn. */
    showHeat(stats: readonly HeatmapElement[]): HeatmapElement[] {
      clear();
      const shown = stats.filter((s) => has(s.elementId));
      const max = Math.max(0, ...shown.map((s) => s.medianMs));
      for (const s of shown) {
        canvas.addMarker(s.elementId, `heat-${heatBucket(s.medianMs, max)}`);
        overlays.add(s.elementId, 'op-heat', {
          position: isEvent(s.elementId) ? { top: -20, left: -40 } : { bottom: -6, left: 0 },
          html: h('div', { class: 'op-heat', 'data-element': s.elementId, 'data-median-ms': s.medianMs },
            t('viewer.heat.median', { median: formatDuration(s.medianMs), p90: formatDuration(s.p90Ms), count: s.count })),
        });
      }
      return shown;
    },
    /** Colours the elements by their share of low scores (all low = the hottest colour); returns the elements drawn. */
    showSatisfaction(stats: readonly SatisfactionElement[]): SatisfactionElement[] {
      clear();
      const shown = stats.filter((s) => has(s.elementId) && s.evaluations > 0);
      for (const s of shown) {
        const share = s.lowScoreShare ?? 0;
        canvas.addMarker(s.elementId, `heat-${heatBucket(share, 1)}`);
        overlays.add(s.elementId, 'op-heat', {
          position: isEvent(s.elementId) ? { top: -20, left: -40 } : { bottom: -6, left: 0 },
          html: h('div', { class: 'op-heat op-satisfaction', 'data-element': s.elementId, 'data-low-share': share, 'data-evaluations': s.evaluations },
            t('viewer.satisfaction.element', { share: Math.round(share * 100), evaluations: s.evaluations, tags: s.tags.slice(0, 2).map((x) => x.tag).join(', ') || '—' })),
        });
      }
      return shown;
    },
    destroy(): void {
      viewer.destroy();
    },
  };
}

export type Diagram = ReturnType<typeof createDiagram>;
