import { BpmnModdle } from 'bpmn-moddle';
import type { ModdleWarning } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import sla from '../sla/descriptor.json';
import type { MDefinitions, MElement, MSequenceFlow } from './moddleTypes';

export type ParseOutcome =
  | { ok: true; definitions: MDefinitions; elementsById: ReadonlyMap<string, MElement>; warnings: ModdleWarning[] }
  | { ok: false; message: string; elementId: string | null; warnings: ModdleWarning[] };

/**
 * Reads BPMN XML with the zeebe extension. moddle's `elementsById` is a null-prototype
 * object; it is copied into a Map so that no caller can index an object by a hostile id.
 */
export async function parseBpmn(xml: string): Promise<ParseOutcome> {
  const moddle = new BpmnModdle({ zeebe, sla });
  try {
    const result = await moddle.fromXML(xml, 'bpmn:Definitions');
    const root = result.rootElement as MElement | undefined;
    if (!root || root.$type !== 'bpmn:Definitions') {
      return { ok: false, message: 'document root is not <bpmn:definitions>', elementId: null, warnings: result.warnings };
    }
    const elementsById = new Map<string, MElement>();
    for (const id of Object.keys(result.elementsById)) {
      elementsById.set(id, result.elementsById[id] as MElement);
    }
    completeFlowReferences(elementsById);
    return { ok: true, definitions: root as MDefinitions, elementsById, warnings: result.warnings };
  } catch (err) {
    const error = err as Error & { warnings?: ModdleWarning[] };
    const message = String(error.message ?? err);
    // moddle aborts on duplicate or illegal ids; the id is the best location we have.
    const id = /(?:duplicate|illegal) ID <([^>]*)>/.exec(message)?.[1] ?? null;
    return { ok: false, message: `XML cannot be read: ${message}`, elementId: id, warnings: error.warnings ?? [] };
  }
}

/**
 * bpmn-js writes <incoming>/<outgoing> children on every flow node, other tools often do
 * not. Lint rules read those lists, so they are completed from the flows' own source and
 * target before anyone looks at them.
 */
function completeFlowReferences(elementsById: ReadonlyMap<string, MElement>): void {
  for (const element of elementsById.values()) {
    if (element.$type !== 'bpmn:SequenceFlow') continue;
    const flow = element as MSequenceFlow;
    for (const [node, list] of [[flow.sourceRef, 'outgoing'], [flow.targetRef, 'incoming']] as const) {
      if (!node || typeof node.get !== 'function') continue;
      const refs = node.get(list);
      if (Array.isArray(refs) && !refs.includes(flow)) refs.push(flow);
    }
  }
}
