/**
 * The designer's coverage overlay (docs/designer.md): which elements and flows the production
 * instances took (GET /api/definitions/{key}/coverage), as markers on the diagram and a count
 * badge per element; untaken ones are marked apart.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import { api } from '../../../core/api';
import { formatTime, h } from '../../../core/dom';
import { locale, t } from '../../../i18n';

interface Coverage {
  since: string;
  instances: number;
  elements: { percent: number; untaken: string[] };
  flows: { percent: number; untaken: string[] };
  elementCounts: Array<{ id: string; count: number }>;
  flowCounts: Array<{ id: string; count: number }>;
}

const OVERLAY_TYPE = 'coverage';
const TAKEN = 'coverage-taken';
const UNTAKEN = 'coverage-untaken';

interface Services {
  overlays: { add(id: string, type: string, overlay: unknown): string; remove(filter: { type: string }): void };
  canvas: { addMarker(id: string, marker: string): void; removeMarker(id: string, marker: string): void };
  elementRegistry: { get(id: string): unknown };
}

export function createCoverageOverlay(modeler: Modeler): { shown: boolean; show(key: string): Promise<string>; hide(): void } {
  const services = () => ({ overlays: modeler.get('overlays'), canvas: modeler.get('canvas'), elementRegistry: modeler.get('elementRegistry') }) as Services;
  let marked: Array<{ id: string; marker: string }> = [];
  const overlay = {
    shown: false,
    hide() {
      const { overlays, canvas } = services();
      overlays.remove({ type: OVERLAY_TYPE });
      for (const { id, marker } of marked) canvas.removeMarker(id, marker);
      marked = [];
      overlay.shown = false;
    },
    /** Marks the diagram; returns the summary line. */
    async show(key: string): Promise<string> {
      const coverage = await api.get<Coverage>(`/api/definitions/${encodeURIComponent(key)}/coverage`);
      overlay.hide();
      const { overlays, canvas, elementRegistry } = services();
      for (const { id, count } of [...coverage.elementCounts, ...coverage.flowCounts]) {
        if (!elementRegistry.get(id)) continue;
        const marker = count > 0 ? TAKEN : UNTAKEN;
        canvas.addMarker(id, marker);
        marked.push({ id, marker });
      }
      for (const { id, count } of coverage.elementCounts) {
        if (!elementRegistry.get(id)) continue;
        overlays.add(id, OVERLAY_TYPE, {
          position: { bottom: 0, left: -8 },
          html: h('div', { class: `coverage-count ${count > 0 ? 'taken' : 'untaken'}`, 'data-coverage-for': id }, String(count)),
        });
      }
      overlay.shown = true;
      return t('cov.summary', {
        since: formatTime(coverage.since, locale()), elements: coverage.elements.percent, flows: coverage.flows.percent, instances: coverage.instances,
      });
    },
  };
  return overlay;
}
