import type { ElementDef, FlowDef } from '../../model/types';
import type { CompileContext } from '../context';

/**
 * Where tokens cannot go. Implicit ends follow Camunda 8: an activity or an intermediate
 * event without outgoing flows ends its path (the linter warns about it). So does a start
 * event, which Zeebe deploys without outgoing flows (Camunda Modeler's blank diagram is one
 * start event): a warning, the instance ends right after it starts. An exclusive, inclusive or
 * parallel gateway without outgoing flows is an implicit end too (Zeebe's gateway processors
 * complete it and end the path there): a warning. An event-based gateway needs at least two
 * outgoing flows, and nothing may flow into a start or boundary event.
 */
export function checkConnections(
  elements: readonly ElementDef[],
  flows: readonly FlowDef[],
  ctx: CompileContext,
): void {
  const flowById = new Map(flows.map((f) => [f.id, f]));
  const byId = new Map(elements.map((e) => [e.id, e]));
  for (const e of elements) {
    const error = (message: string) => ctx.problems.error(e.id, e.bpmnType, message);
    const isGateway = e.kind.endsWith('Gateway');
    if (e.outgoing.length === 0 && isGateway && e.kind !== 'eventBasedGateway') {
      ctx.problems.warning(e.id, e.bpmnType, `${e.bpmnType} '${e.id}' has no outgoing sequence flow: the path ends at the gateway (an implicit end, as in Camunda 8)`);
    }
    if (e.outgoing.length === 0 && e.kind === 'startEvent') {
      ctx.problems.warning(e.id, e.bpmnType, `${e.bpmnType} '${e.id}' has no outgoing sequence flow: its path ends right after it starts (an implicit end, as in Camunda 8)`);
    }
    if ((e.kind === 'startEvent' || e.kind === 'boundaryEvent') && e.incoming.length > 0) {
      error(`${e.bpmnType} '${e.id}' must not have incoming sequence flows`);
    }
    if (e.kind === 'eventBasedGateway') {
      if (e.outgoing.length < 2) error('an event-based gateway needs at least two outgoing sequence flows');
      for (const flowId of e.outgoing) {
        const target = byId.get(flowById.get(flowId)?.targetId ?? '');
        const waits = target && (target.kind === 'receiveTask'
          || (target.kind === 'intermediateCatchEvent' && (target.trigger.type === 'message' || target.trigger.type === 'timer' || target.trigger.type === 'signal')));
        if (target && !waits) {
          error(`event-based gateway flow '${flowId}' leads to ${target.bpmnType} '${target.id}'; it must lead to a message, timer or signal catch event or a receive task`);
        }
      }
    }
  }
}
