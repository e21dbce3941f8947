import type { ElementDef, FlowDef } from '../model/types';
import type { CompileContext } from './context';
import type { WalkResult } from './walk';

/**
 * Connects translated elements: incoming/outgoing from the flows themselves (not from the
 * optional <incoming>/<outgoing> children, which some tools omit) and boundary event ids
 * on their hosts. Reports flows whose ends are not flow nodes of the same scope.
 */
export function assemble(walk: WalkResult, ctx: CompileContext): void {
  const byId = new Map<string, ElementDef>(walk.elements.map((e) => [e.id, e]));
  for (const flow of walk.flows) {
    if (!endsAreValid(flow, walk, ctx)) continue;
    byId.get(flow.sourceId)?.outgoing.push(flow.id);
    byId.get(flow.targetId)?.incoming.push(flow.id);
  }
  for (const element of walk.elements) {
    if (element.kind !== 'boundaryEvent') continue;
    const host = byId.get(element.attachedToId);
    if (!walk.seen.has(element.attachedToId)) {
      ctx.problems.error(element.id, element.bpmnType, `boundary event is attached to '${element.attachedToId}', which is not in this process`);
    } else if (walk.seen.get(element.attachedToId)?.parentId !== element.parentId) {
      ctx.problems.error(element.id, element.bpmnType, `boundary event and its activity '${element.attachedToId}' are in different scopes`);
    } else if (host) {
      host.boundaryEventIds.push(element.id);
    }
  }
}

function endsAreValid(flow: FlowDef, walk: WalkResult, ctx: CompileContext): boolean {
  const error = (message: string) => ctx.problems.error(flow.id, 'bpmn:SequenceFlow', message);
  const source = walk.seen.get(flow.sourceId);
  const target = walk.seen.get(flow.targetId);
  if (source === undefined) {
    error(`sequence flow source '${flow.sourceId}' is not a flow node of this process`);
    return false;
  }
  if (target === undefined) {
    error(`sequence flow target '${flow.targetId}' is not a flow node of this process`);
    return false;
  }
  if (source.parentId !== target.parentId) {
    error(`sequence flow connects '${flow.sourceId}' and '${flow.targetId}' across a subprocess boundary`);
    return false;
  }
  return true;
}
