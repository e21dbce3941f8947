import type { ExecutionListenersDef, JobDef, ListenerEventType } from '../../model/types';
import type { CompileContext } from '../context';
import { errorAt } from '../context';
import type { MFlowNode, MProcess, MZeebe } from '../moddleTypes';
import { attr, zeebeExt } from '../zeebe';
import { headersOf, jobFrom } from './job';

const GATEWAYS = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:EventBasedGateway']);

/**
 * Why an element may not have listeners of this event type, as Zeebe's deploy validation
 * refuses them (docs.camunda.io, execution listeners, limitations); null when it may. A start
 * event and a boundary event are entered by their trigger, so nothing runs before them; a
 * gateway is left in the same step it is entered; an error end event never completes.
 */
function placementProblem(node: MFlowNode | MProcess, eventType: ListenerEventType): string | null {
  const definition = 'eventDefinitions' in node ? node.eventDefinitions?.[0]?.$type : undefined;
  if (node.$type === 'bpmn:BoundaryEvent' && definition === 'bpmn:CompensateEventDefinition') {
    return "execution listeners of type 'start' and 'end' are not supported by compensation boundary events; put them on the compensation handler";
  }
  if (eventType === 'start' && node.$type === 'bpmn:StartEvent') {
    return "execution listeners of type 'start' are not supported by start events; use the start listeners of the (sub)process";
  }
  if (eventType === 'start' && node.$type === 'bpmn:BoundaryEvent') {
    return "execution listeners of type 'start' are not supported by boundary events; use the start listeners of the activity it is attached to";
  }
  if (eventType === 'end' && GATEWAYS.has(node.$type)) {
    return "execution listeners of type 'end' are not supported by gateways; use start listeners of the element after the gateway";
  }
  if (eventType === 'end' && node.$type === 'bpmn:EndEvent' && definition === 'bpmn:ErrorEventDefinition') {
    return "execution listeners of type 'end' are not supported by error end events; put them on the error catch event";
  }
  return null;
}

/**
 * `zeebe:executionListeners` of a flow node: each listener a job (type, retries and headers as
 * a task definition's; the element's headers come along, the listener's own win). Refused with
 * the element id: placements Zeebe refuses, a listener without a type or with an unknown event
 * type, the same event type and type twice. Also for the process itself: its listeners run
 * around the whole instance. On a multi-instance activity they run around each inner instance,
 * as in Zeebe 8.6 (the body has none).
 */
export function executionListenersOf(node: MFlowNode | MProcess, ctx: CompileContext): ExecutionListenersDef | undefined {
  const ext = zeebeExt(node, 'zeebe:ExecutionListeners');
  const written = Array.isArray(ext?.listeners) ? (ext.listeners as MZeebe[]) : [];
  if (written.length === 0) return undefined;
  const result: ExecutionListenersDef = { start: [], end: [] };
  const seen = new Set<string>();
  const elementHeaders = headersOf(node);
  let ok = true;
  for (const listener of written) {
    const eventType = attr(listener, 'eventType')?.trim() ?? 'start';
    const type = attr(listener, 'type')?.trim();
    if (eventType !== 'start' && eventType !== 'end') {
      errorAt(ctx, node, `execution listener eventType must be 'start' or 'end', not '${eventType}'`);
      ok = false;
      continue;
    }
    if (!type) {
      errorAt(ctx, node, `${eventType} execution listener needs a type`);
      ok = false;
      continue;
    }
    const problem = placementProblem(node, eventType);
    if (problem !== null) {
      errorAt(ctx, node, problem);
      ok = false;
      continue;
    }
    if (seen.has(`${eventType}|${type}`)) {
      errorAt(ctx, node, `execution listener of eventType '${eventType}' and type '${type}' is defined twice; each combination must be unique`);
      ok = false;
      continue;
    }
    seen.add(`${eventType}|${type}`);
    const headers = mergeHeaders(elementHeaders, headersOf(node, listener.headers as MZeebe | undefined));
    const job = jobFrom(node, ctx, { type, retries: attr(listener, 'retries'), headers, what: `${eventType} execution listener` });
    if (job === undefined) ok = false;
    else result[eventType].push(job);
  }
  return ok ? result : undefined;
}

function mergeHeaders(element: JobDef['headers'], listener: JobDef['headers']): JobDef['headers'] {
  const own = new Set(listener.map((h) => h.key));
  return [...element.filter((h) => !own.has(h.key)), ...listener];
}
