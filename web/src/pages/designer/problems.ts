/**
 * The server's verdict on a deploy (422 `invalid_bpmn`: `errors` and `warnings`, each with the
 * BPMN element at fault) shown where the designer looks: a marker and an overlay badge on each
 * offending element, and a list whose entries select and scroll to the element.
 */
import type Modeler from 'bpmn-js/lib/Modeler';
import type { ApiError } from '../../core/api';
import { h, render } from '../../core/dom';
import { t } from '../../i18n';

export interface BpmnProblem {
  elementId: string | null;
  elementType: string | null;
  message: string;
  severity: 'error' | 'warning' | string;
  rule?: string;
}

const OVERLAY_TYPE = 'server-problem';

/** The problems of a refused deploy, errors first. */
export function problemsOf(err: ApiError): BpmnProblem[] {
  const list = (value: unknown) => (Array.isArray(value) ? (value as BpmnProblem[]) : []);
  return [...list(err.body.errors), ...list(err.body.problems), ...list(err.body.warnings)];
}

interface Services {
  overlays: { add(id: string, type: string, overlay: unknown): string; remove(filter: { type: string }): void };
  canvas: {
    addMarker(id: string, marker: string): void;
    removeMarker(id: string, marker: string): void;
    scrollToElement(element: unknown): void;
    zoom(scale?: number, center?: { x: number; y: number }): number;
  };
  elementRegistry: { get(id: string): { x: number; y: number; width?: number; height?: number } | undefined };
  selection: { select(element: unknown): void };
}

export class ServerProblems {
  private marked: Array<{ id: string; marker: string }> = [];

  constructor(private readonly modeler: Modeler, private readonly list: HTMLElement) {}

  private services(): Services {
    const get = (name: string) => this.modeler.get(name) as never;
    return { overlays: get('overlays'), canvas: get('canvas'), elementRegistry: get('elementRegistry'), selection: get('selection') };
  }

  clear(): void {
    const { overlays, canvas } = this.services();
    overlays.remove({ type: OVERLAY_TYPE });
    for (const { id, marker } of this.marked) canvas.removeMarker(id, marker);
    this.marked = [];
    render(this.list);
    this.list.hidden = true;
  }

  show(problems: readonly BpmnProblem[]): void {
    this.clear();
    const { overlays, canvas, elementRegistry } = this.services();
    const byElement = new Map<string, BpmnProblem[]>();
    for (const p of problems) if (p.elementId && elementRegistry.get(p.elementId)) byElement.set(p.elementId, [...(byElement.get(p.elementId) ?? []), p]);
    for (const [id, own] of byElement) {
      const severity = own.some((p) => p.severity === 'error') ? 'error' : 'warning';
      const marker = `server-problem-${severity}`;
      canvas.addMarker(id, marker);
      this.marked.push({ id, marker });
      overlays.add(id, OVERLAY_TYPE, {
        position: { top: -10, right: 10 },
        html: h('div', { class: `server-problem ${severity}`, 'data-problem-for': id, title: own.map((p) => p.message).join('\n') }, String(own.length)),
      });
    }
    this.list.hidden = problems.length === 0;
    render(this.list,
      h('h2', {}, t('designer.problems')),
      h('ul', {}, ...problems.map((p) => h('li', { class: `problem ${p.severity}` },
        h('button', {
          type: 'button', class: 'link', 'data-element': p.elementId ?? '',
          disabled: !p.elementId || !elementRegistry.get(p.elementId),
          onclick: () => this.focus(p.elementId),
        }, p.elementId ?? t('designer.problem.document')),
        h('span', { class: 'problem-message' }, p.message)))));
    // Show the first element in error.
    this.focus(problems.find((p) => p.severity === 'error' && p.elementId && elementRegistry.get(p.elementId))?.elementId ?? null);
  }

  focus(id: string | null): void {
    if (!id) return;
    const { elementRegistry, selection, canvas } = this.services();
    const element = elementRegistry.get(id);
    if (!element) return;
    // Close enough to read the element (a large diagram opens zoomed far out).
    if (canvas.zoom() < 0.8) canvas.zoom(0.8, { x: element.x + (element.width ?? 0) / 2, y: element.y + (element.height ?? 0) / 2 });
    canvas.scrollToElement(element);
    selection.select(element);
  }
}
