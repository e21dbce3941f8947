/**
 * The mapping on both diagrams (decision 0041): the source version on the left, the target on
 * the right, each flow node marked by what happens to a token there — kept (same id in both),
 * mapped by an instruction (`source=target`, both ends marked and labelled), or lost (the target
 * has no such element and nothing maps it: an instance waiting there is refused). Read-only
 * (bpmn-js NavigatedViewer); the mapping itself is edited in the form.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import { h } from '../../core/dom';
import { t } from '../../i18n';

interface BpmnElement { id: string; type: string }

const NODE = /^bpmn:(?!SequenceFlow|Association|Process|Collaboration|Participant|Lane|TextAnnotation|Group)/;

function viewer(container: HTMLElement) {
  const v = new NavigatedViewer({ container });
  const canvas = v.get<Canvas>('canvas');
  const registry = v.get<ElementRegistry>('elementRegistry');
  const overlays = v.get<Overlays>('overlays');
  return {
    async load(xml: string) {
      await v.importXML(xml);
      canvas.zoom('fit-viewport');
    },
    nodes: () => (registry.getAll() as unknown as BpmnElement[]).filter((e) => NODE.test(e.type) && !e.type.endsWith('Label') && registry.get(e.id) !== canvas.getRootElement()).map((e) => e.id),
    mark: (id: string, marker: string) => canvas.addMarker(id, marker),
    label: (id: string, text: string) => overlays.add(id, 'map-label', { position: { bottom: 0, left: 0 }, html: h('span', { class: 'map-label' }, text) }),
    destroy: () => v.destroy(),
  };
}

export interface MappingView {
  element: HTMLElement;
  show(sourceXml: string, targetXml: string, mapping: Array<{ sourceElementId: string; targetElementId: string }>): Promise<void>;
  destroy(): void;
}

export function mappingView(): MappingView {
  const sourceBox = h('div', { class: 'map-canvas', id: 'map-source' });
  const targetBox = h('div', { class: 'map-canvas', id: 'map-target' });
  const element = h('div', { class: 'mapping-view', id: 'mapping-view', hidden: true },
    h('div', { class: 'legend' },
      h('span', { class: 'legend-kept' }, t('migrations.map.kept')),
      h('span', { class: 'legend-mapped' }, t('migrations.map.mapped')),
      h('span', { class: 'legend-lost' }, t('migrations.map.lost'))),
    h('div', { class: 'map-pair' }, sourceBox, targetBox));
  let views: Array<ReturnType<typeof viewer>> = [];

  return {
    element,
    async show(sourceXml, targetXml, mapping) {
      for (const v of views) v.destroy();
      sourceBox.replaceChildren();
      targetBox.replaceChildren();
      element.hidden = false;
      const source = viewer(sourceBox);
      const target = viewer(targetBox);
      views = [source, target];
      await Promise.all([source.load(sourceXml), target.load(targetXml)]);
      const targetNodes = new Set(target.nodes());
      const explicit = new Map(mapping.map((m) => [m.sourceElementId, m.targetElementId]));
      for (const id of source.nodes()) {
        const to = explicit.get(id);
        if (to !== undefined && targetNodes.has(to)) {
          source.mark(id, 'map-mapped');
          source.label(id, `→ ${to}`);
          target.mark(to, 'map-mapped');
          target.label(to, `← ${id}`);
        } else if (to === undefined && targetNodes.has(id)) {
          source.mark(id, 'map-kept');
          target.mark(id, 'map-kept');
        } else {
          source.mark(id, 'map-lost');
        }
      }
      sourceBox.dataset.ready = 'true';
      targetBox.dataset.ready = 'true';
    },
    destroy() {
      for (const v of views) v.destroy();
    },
  };
}
