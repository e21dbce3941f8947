import type { GatewayDef } from '../../model/types';
import { evalBoolean } from '../feelEval';
import { raiseIncident } from '../incidents';
import type { Run } from '../run';
import type { ElementInstance } from '../types';
import { openWait, prepareWait } from '../waits';
import type { WaitSpec } from '../waits';

export function parallelGateway(run: Run, inst: ElementInstance, _def: GatewayDef): void {
  run.dispatch.complete(run, inst, {});
}

/**
 * Exclusive: the first outgoing flow (document order) whose condition is true, else the
 * default. A condition that fails or is not boolean stops the token with an incident
 * instead of counting as false; so does "nothing matched and no default". Without outgoing
 * flows the gateway is an implicit end, as in Zeebe.
 */
export function exclusiveGateway(run: Run, inst: ElementInstance, def: GatewayDef): void {
  if (def.outgoing.length === 0) {
    run.dispatch.complete(run, inst, {}, []);
    return;
  }
  for (const flowId of def.outgoing) {
    if (flowId === def.defaultFlowId) continue;
    const condition = run.index.flow(flowId).condition;
    if (condition === undefined) {
      run.dispatch.complete(run, inst, {}, [flowId]);
      return;
    }
    const r = evalBoolean(run, inst.key, condition);
    if (!r.ok) return conditionIncident(run, inst, `flow '${flowId}': ${r.error}`);
    if (r.value) {
      run.dispatch.complete(run, inst, {}, [flowId]);
      return;
    }
  }
  chooseDefault(run, inst, def);
}

/** Inclusive fork: every flow whose condition is true (all are evaluated), else the default. */
export function inclusiveGateway(run: Run, inst: ElementInstance, def: GatewayDef): void {
  const taken: string[] = [];
  for (const flowId of def.outgoing) {
    if (flowId === def.defaultFlowId) continue;
    const condition = run.index.flow(flowId).condition;
    if (condition === undefined) {
      taken.push(flowId);
      continue;
    }
    const r = evalBoolean(run, inst.key, condition);
    if (!r.ok) return conditionIncident(run, inst, `flow '${flowId}': ${r.error}`);
    if (r.value) taken.push(flowId);
  }
  if (taken.length > 0 || def.outgoing.length === 0) run.dispatch.complete(run, inst, {}, taken);
  else chooseDefault(run, inst, def);
}

function chooseDefault(run: Run, inst: ElementInstance, def: GatewayDef): void {
  if (def.defaultFlowId !== undefined) run.dispatch.complete(run, inst, {}, [def.defaultFlowId]);
  else conditionIncident(run, inst, `no outgoing flow of '${def.id}' matched and there is no default flow`);
}

function conditionIncident(run: Run, inst: ElementInstance, message: string): void {
  raiseIncident(run, inst, 'CONDITION_ERROR', message, 'behaviour');
}

/** Event-based: subscribe to every following catch event; the first to happen wins. */
export function eventBasedGateway(run: Run, inst: ElementInstance, def: GatewayDef): void {
  const specs: Array<[string, WaitSpec]> = [];
  for (const flowId of def.outgoing) {
    const target = run.index.element(run.index.flow(flowId).targetId);
    const trigger = target.kind === 'intermediateCatchEvent' || target.kind === 'receiveTask' ? catchTrigger(target) : null;
    if (!trigger) throw new Error(`event-based gateway '${def.id}' leads to '${target.id}', which is not a catch event`);
    const spec = prepareWait(run, inst.key, trigger);
    if (!spec.ok) {
      raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', `'${target.id}': ${spec.error}`, 'behaviour');
      return;
    }
    if (spec.value) specs.push([target.id, spec.value]);
  }
  for (const [elementId, spec] of specs) openWait(run, inst.key, elementId, spec);
}

function catchTrigger(target: ReturnType<Run['index']['element']>) {
  if (target.kind === 'intermediateCatchEvent') return target.trigger;
  if (target.kind === 'receiveTask') {
    return { type: 'message' as const, messageName: target.messageName, ...(target.correlationKey === undefined ? {} : { correlationKey: target.correlationKey }) };
  }
  return null;
}
