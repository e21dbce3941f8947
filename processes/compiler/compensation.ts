import type { ElementDef, ThrowDef } from '../model/types';
import type { CompileContext } from './context';
import { errorAt } from './context';
import type { MAssociation, MElement, MEventDefinition, MFlowNode, MProcess } from './moddleTypes';
import type { WalkResult } from './walk';

/**
 * Compensation as Camunda 8.5+ (Zeebe) accepts it (decision 0035): a compensation boundary
 * event on an activity, associated with one handler (an activity marked isForCompensation,
 * without sequence flows or boundary events); intermediate throw and end events that
 * compensate their scope or one `activityRef` of that scope and always wait for the handlers.
 * The boundary event is not an element of the model: it becomes `compensation` on its activity.
 */

/** Activity kinds Zeebe accepts as compensation handlers (tasks; subprocess and call activity since 8.6). */
const HANDLER_TYPES: ReadonlySet<string> = new Set([
  'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:ScriptTask', 'bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task',
  'bpmn:SubProcess', 'bpmn:CallActivity',
]);

export function isCompensationBoundary(node: MFlowNode): boolean {
  const defs = node.eventDefinitions ?? [];
  return node.$type === 'bpmn:BoundaryEvent' && defs.length === 1 && defs[0]?.$type === 'bpmn:CompensateEventDefinition';
}

/** The `compensation` result of a throw event; `waitForCompletion="false"` is refused as in Zeebe. */
export function compensationThrowOf(node: MFlowNode, def: MEventDefinition, ctx: CompileContext): ThrowDef | undefined {
  if (def.waitForCompletion === false) {
    errorAt(ctx, node, 'a compensation throw event must wait for completion (waitForCompletion="false" is not supported, as in Camunda 8)');
    return undefined;
  }
  const ref = def.activityRef;
  if (ref !== undefined && !ref.id) {
    errorAt(ctx, node, 'compensation activityRef does not name an element of this process');
    return undefined;
  }
  return { type: 'compensation', ...(ref?.id ? { activityRef: ref.id } : {}) };
}

/** Links boundary events to activities and handlers, then checks handlers and activityRefs. */
export function linkCompensation(process: MProcess, walk: WalkResult, ctx: CompileContext): void {
  const byId = new Map(walk.elements.map((e) => [e.id, e]));
  const associated = associationsOf(process);
  const handlersUsed = new Set<string>();
  for (const { node, parentId } of walk.compensationBoundaries) {
    const handlerId = linkBoundary(node, parentId, byId, associated, walk, ctx);
    if (handlerId !== undefined) handlersUsed.add(handlerId);
  }
  for (const e of walk.elements) {
    if (e.isForCompensation === true) checkHandler(e, handlersUsed, walk, ctx);
    if ((e.kind === 'intermediateThrowEvent' || e.kind === 'endEvent') && e.result.type === 'compensation' && e.result.activityRef !== undefined) {
      checkActivityRef(e, e.result.activityRef, byId, walk, ctx);
    }
  }
}

function linkBoundary(
  node: MFlowNode,
  parentId: string | null,
  byId: ReadonlyMap<string, ElementDef>,
  associated: ReadonlyMap<string, MElement[]>,
  walk: WalkResult,
  ctx: CompileContext,
): string | undefined {
  const id = node.id ?? '';
  const error = (message: string) => errorAt(ctx, node, message);
  const host = node.attachedToRef;
  if (!host?.id || !host.$instanceOf('bpmn:Activity')) {
    error('compensation boundary event is not attached to an activity (attachedToRef)');
    return undefined;
  }
  if (walk.flows.some((f) => f.sourceId === id)) {
    error('a compensation boundary event must not have outgoing sequence flows; associate it with its compensation handler');
  }
  const targets = associated.get(id) ?? [];
  const handlers = targets.filter((t) => (t as MFlowNode).isForCompensation === true);
  const others = targets.filter((t) => (t as MFlowNode).isForCompensation !== true && t.$instanceOf('bpmn:FlowNode'));
  for (const other of others) {
    error(`compensation boundary event is associated with '${other.id ?? ''}', which is not a compensation handler (isForCompensation="true")`);
  }
  if (handlers.length === 0) {
    if (others.length === 0) error('compensation boundary event has no compensation handler: associate it with an activity marked isForCompensation="true"');
    return undefined;
  }
  if (handlers.length > 1) {
    error(`compensation boundary event is associated with ${handlers.length} compensation handlers; it needs exactly one`);
    return undefined;
  }
  const handlerId = handlers[0]?.id ?? '';
  const hostDef = byId.get(host.id);
  if (walk.seen.get(host.id)?.parentId !== parentId) {
    error(`compensation boundary event and its activity '${host.id}' are in different scopes`);
    return handlerId;
  }
  if (walk.seen.get(handlerId)?.parentId !== parentId) {
    error(`compensation handler '${handlerId}' must be in the same scope as the activity '${host.id}' it compensates`);
    return handlerId;
  }
  if (!hostDef) return handlerId; // the activity itself was refused (its problem is reported)
  if (hostDef.isForCompensation === true) {
    error(`a compensation handler ('${host.id}') cannot have boundary events`);
  } else if (hostDef.kind === 'eventSubProcess') {
    error('an event subprocess cannot have boundary events');
  } else if (hostDef.compensation) {
    error(`activity '${host.id}' already has the compensation boundary event '${hostDef.compensation.boundaryEventId}'; an activity can have only one`);
  } else {
    hostDef.compensation = { boundaryEventId: id, handlerId };
  }
  return handlerId;
}

function checkHandler(e: ElementDef, used: ReadonlySet<string>, walk: WalkResult, ctx: CompileContext): void {
  const error = (message: string) => ctx.problems.error(e.id, e.bpmnType, message);
  if (!HANDLER_TYPES.has(e.bpmnType)) {
    error(`a ${e.bpmnType} cannot be a compensation handler (Camunda 8: service, send, script, user, manual and undefined tasks, subprocesses and call activities)`);
  }
  if (e.incoming.length > 0 || e.outgoing.length > 0) {
    error('a compensation handler must not have incoming or outgoing sequence flows; a compensation boundary event starts it');
  }
  if (e.boundaryEventIds.length > 0 || walk.compensationBoundaries.some((b) => b.node.attachedToRef?.id === e.id)) {
    error('a compensation handler cannot have boundary events');
  }
  if (!used.has(e.id)) {
    ctx.problems.warning(e.id, e.bpmnType, `compensation handler '${e.id}' is not associated with any compensation boundary event; it never runs`);
  }
}

/** The activity must be in the scope where compensation is thrown (an event subprocess throws in its parent scope). */
function checkActivityRef(e: ElementDef, ref: string, byId: ReadonlyMap<string, ElementDef>, walk: WalkResult, ctx: CompileContext): void {
  const error = (message: string) => ctx.problems.error(e.id, e.bpmnType, message);
  const target = byId.get(ref);
  const seen = walk.seen.get(ref);
  if (!seen) {
    error(`compensation activityRef '${ref}' is not an activity of this process`);
    return;
  }
  // As Zeebe: the activity has a compensation boundary event or is an embedded subprocess.
  if (target && !target.compensation && target.kind !== 'subProcess' && !walk.compensationBoundaries.some((b) => b.node.attachedToRef?.id === ref)) {
    error(`compensation activityRef '${ref}' must name an activity with a compensation boundary event or an embedded subprocess`);
  }
  const parent = e.parentId === null ? undefined : byId.get(e.parentId);
  const scope = parent?.kind === 'eventSubProcess' ? parent.parentId : e.parentId;
  if (seen.parentId !== scope) {
    error(`compensation activityRef '${ref}' must name an activity in the scope where compensation is thrown (${scope === null ? 'the process' : `'${scope}'`})`);
  }
}

/** Association ends by element id, both directions, from the process and every subprocess. */
function associationsOf(process: MProcess): Map<string, MElement[]> {
  const out = new Map<string, MElement[]>();
  const add = (from: MElement | undefined, to: MElement | undefined) => {
    if (!from?.id || !to) return;
    const list = out.get(from.id) ?? [];
    list.push(to);
    out.set(from.id, list);
  };
  const containers: Array<{ artifacts?: MElement[]; flowElements?: MElement[] }> = [process];
  for (let container = containers.pop(); container; container = containers.pop()) {
    for (const artifact of container.artifacts ?? []) {
      if (artifact.$type !== 'bpmn:Association') continue;
      const a = artifact as MAssociation;
      add(a.sourceRef, a.targetRef);
      add(a.targetRef, a.sourceRef);
    }
    for (const child of container.flowElements ?? []) {
      if (child.$type === 'bpmn:SubProcess') containers.push(child as MFlowNode);
    }
  }
  return out;
}
