import type { ElementDef } from '../model/types';
import { adHocAskWorkerAgain, adHocCollectOutput, adHocConditionMet, adHocHoldsOpen, adHocOf, adHocOutput } from './adHoc';
import { compensationOnCompleted, dropCompensationUnder } from './compensation';
import { openEventWaits } from './eventWaits';
import { takeFlow } from './flow';
import { dropIncident, raiseIncident } from './incidents';
import { childrenOf, enterElement, hasChildren, removeInstance } from './instances';
import { beginListeners, listenerCompleted, listenerOwnerOf, openListener } from './listeners';
import { evaluateMappings } from './mappings';
import { activateBody, completeBodyVariables, innerCompleting, onInnerDone } from './multiInstance';
import { history } from './run';
import type { Run, Trigger } from './run';
import type { ElementInstance, ResumeStage, Variables } from './types';
import { mergeVariables, setLocalVariables } from './variables';
import { cancelWaitsOf } from './waits';

/**
 * Activates an instance: input mappings, its start listeners, then the waits it owns
 * (boundary events, event-subprocess starts), then the behaviour of its kind. `from` lets an
 * incident resolution skip what already succeeded; `listened`: the start listeners are done.
 */
export function activate(run: Run, key: string, trigger: Trigger | null, from: ResumeStage | 'listened' = 'activate'): void {
  const inst = run.state.instances[key];
  if (!inst) return; // terminated before its activation came up
  if (from === 'listener') {
    openListener(run, inst, listenerOwnerOf(run, inst));
    return;
  }
  if (inst.role === 'process') {
    if (from === 'activate' && beginListeners(run, inst, run.index.model, 'start', { trigger: trigger?.variables ?? null })) return;
    if ((from === 'activate' || from === 'listened') && !openEventWaits(run, inst)) return;
    enterProcessStart(run, inst, trigger);
    return;
  }
  const def = run.index.element(inst.elementId);
  if (run.limits && from === 'activate' && overLimit(run, inst, trigger)) return;
  if (inst.role === 'body') {
    activateBody(run, inst, def);
    return;
  }
  if (from === 'activate') {
    if (def.inputs.length > 0) {
      const inputs = evaluateMappings(run, def.inputs, inst.key, inst.key);
      if (!inputs.ok) {
        raiseIncident(run, inst, 'IO_MAPPING_ERROR', inputs.error, 'activate', trigger?.variables ?? null);
        return;
      }
      setLocalVariables(inst, inputs.value);
    }
    if (beginListeners(run, inst, def, 'start', { trigger: trigger?.variables ?? null })) return;
  }
  if ((from === 'activate' || from === 'listened') && !openEventWaits(run, inst)) return;
  run.dispatch.behaviour(run, inst, def, trigger);
}

/**
 * The step budget and the fan-out bound: a runaway (a loop the compiler could not see, a
 * huge parallel split) stops as an incident on the element that would go one further, so
 * the workflow task ends and the worker stays healthy. Resolving it runs the element again
 * in a new step, with a fresh budget.
 */
function overLimit(run: Run, inst: ElementInstance, trigger: Trigger | null): boolean {
  const limits = run.limits!;
  run.activations += 1;
  let message: string | null = null;
  if (run.activations > limits.maxActivationsPerStep) {
    message = `more than ${limits.maxActivationsPerStep} element activations without waiting (step budget); a loop without a wait state?`;
  } else if (run.live > limits.maxLiveInstances) {
    message = `more than ${limits.maxLiveInstances} element instances alive at once (parallel fan-out limit)`;
  }
  if (message === null) return false;
  raiseIncident(run, inst, 'LIMIT_EXCEEDED', message, 'activate', trigger?.variables ?? null);
  return true;
}

function enterProcessStart(run: Run, root: ElementInstance, trigger: Trigger | null): void {
  const startId = root.startEventId;
  if (startId === undefined) throw new Error('process instance without a start event');
  takeStart(run, root.key, run.index.element(startId), trigger);
}

/** Enters a start event directly (no sequence flow leads to it). */
export function takeStart(run: Run, scopeKey: string, start: ElementDef, trigger: Trigger | null): void {
  enterElement(run, scopeKey, start, trigger);
}

/**
 * Completes an instance with the variables its work produced: output mappings (or
 * propagation), multi-instance bookkeeping, closing its waits, then its outgoing flows
 * (`flows` overrides them for gateways). An output failure stops it with an incident.
 */
export function complete(
  run: Run,
  inst: ElementInstance,
  variables: Variables,
  flows: string[] | null = null,
  trigger: Trigger | null = null,
): void {
  const def = run.index.element(inst.elementId);
  const parentKey = inst.parentKey;
  if (parentKey === null) throw new Error('complete() is not for the process instance');
  if (inst.role === 'body') {
    completeBodyVariables(run, inst, def);
  } else {
    const collected = adHocOutput(run, inst);
    if (collected !== null && def.outputs.length === 0) mergeVariables(run, parentKey, collected);
    if (def.outputs.length > 0) {
      setLocalVariables(inst, variables);
      const outputs = evaluateMappings(run, def.outputs, inst.key, parentKey);
      if (!outputs.ok) {
        raiseIncident(run, inst, 'IO_MAPPING_ERROR', outputs.error, 'complete', variables);
        return;
      }
      mergeVariables(run, parentKey, outputs.value);
    } else if (Object.keys(variables).length > 0) {
      mergeVariables(run, inst.key, variables);
    }
    if (beginListeners(run, inst, def, 'end', { variables })) return;
  }
  leave(run, inst, def, variables, flows, trigger);
}

/**
 * The job of an execution listener of `inst` completed: the next listener, or the lifecycle
 * goes on where the listeners held it (the element's behaviour, or leaving it).
 */
export function listenerJobCompleted(run: Run, inst: ElementInstance, variables: Variables): void {
  const done = listenerCompleted(run, inst, variables);
  if (done === null) return;
  if (done.eventType === 'start') activate(run, inst.key, done.trigger === null ? null : { variables: done.trigger }, 'listened');
  else if (inst.role === 'process') finishProcess(run, inst);
  else leave(run, inst, run.index.element(inst.elementId), done.variables, null, null);
}

/** The rest of `complete` once the variables are in place and the end listeners are done. */
function leave(run: Run, inst: ElementInstance, def: ElementDef, variables: Variables, flows: string[] | null, trigger: Trigger | null): void {
  const parentKey = inst.parentKey;
  if (parentKey === null) throw new Error('complete() is not for the process instance');
  let conditionMet = false;
  if (inst.role === 'inner') {
    const met = innerCompleting(run, inst, def, variables);
    if (met === null) return;
    conditionMet = met;
  }
  const parent = run.state.instances[parentKey];
  const adHocMet = parent && inst.role !== 'inner' ? adHocConditionMet(run, inst, parent, variables) : false;
  if (adHocMet === null) return;
  // After the condition (pure, so re-evaluating it on resolution is harmless), never before it:
  // an incident after appending would append twice when resolved.
  const pathEnds = adHocMet || (flows ?? def.outgoing).length === 0;
  if (parent && inst.role !== 'inner' && pathEnds && !adHocCollectOutput(run, inst, parent, variables)) return;
  cancelWaitsOf(run, inst.key);
  removeInstance(run, inst);
  history(run, 'elementCompleted', inst);
  compensationOnCompleted(run, inst, def, parentKey);
  if (inst.role === 'inner') {
    onInnerDone(run, parentKey, def, conditionMet);
    return;
  }
  if (adHocMet && parent) {
    completeAdHoc(run, parent, adHocOf(run, parent)?.cancelRemainingInstances !== false);
    return;
  }
  const next = flows ?? def.outgoing;
  for (const flowId of next) takeFlow(run, parentKey, flowId, trigger);
  if (next.length === 0 && parent && adHocAskWorkerAgain(run, parent)) return;
  scopeMaybeDone(run, parentKey);
}

/**
 * The completion condition of an ad-hoc subprocess became true (its BPMN condition after a
 * child completed, whose outgoing flows are then not taken; or its job worker's result): what
 * is still active is terminated (`cancel`) or awaited.
 */
export function completeAdHoc(run: Run, scope: ElementInstance, cancel: boolean): void {
  scope.adHocConditionMet = true;
  if (cancel) {
    for (const child of childrenOf(run, scope.key)) terminate(run, child);
    if (run.state.joins.length > 0) run.state.joins = run.state.joins.filter((j) => j.scopeKey !== scope.key);
  }
  scopeMaybeDone(run, scope.key);
}

/** Terminates an instance and everything inside it; no flows are taken. */
export function terminate(run: Run, inst: ElementInstance): void {
  for (const child of childrenOf(run, inst.key)) terminate(run, child);
  cancelWaitsOf(run, inst.key);
  if (run.state.joins.length > 0) run.state.joins = run.state.joins.filter((j) => j.scopeKey !== inst.key);
  dropIncident(run, inst);
  dropCompensationUnder(run, inst.key);
  removeInstance(run, inst);
  history(run, 'elementTerminated', inst);
}

/** Queues the completion of a scope once no token is left in it. */
export function scopeMaybeDone(run: Run, scopeKey: string): void {
  const scope = run.state.instances[scopeKey];
  if (!scope || scope.role === 'body' || scope.incidentId !== null || scope.listening !== undefined) return;
  if (run.state.joins.length > 0) {
    run.inclusiveDirty = true;
    if (run.state.joins.some((j) => j.scopeKey === scopeKey)) return;
  }
  if (hasChildren(run, scopeKey)) return;
  if (adHocHoldsOpen(run, scope)) return;
  run.agenda.push({ op: 'completeScope', key: scopeKey });
}

export function completeScope(run: Run, key: string): void {
  const scope = run.state.instances[key];
  if (!scope || scope.incidentId !== null || hasChildren(run, key)) return;
  if (run.state.joins.some((j) => j.scopeKey === key)) return;
  if (adHocHoldsOpen(run, scope)) return;
  if (scope.listening !== undefined) return; // its end listeners run
  if (scope.role === 'process') {
    if (!beginListeners(run, scope, run.index.model, 'end', {})) finishProcess(run, scope);
    return;
  }
  complete(run, scope, {});
}

function finishProcess(run: Run, scope: ElementInstance): void {
  cancelWaitsOf(run, scope.key);
  removeInstance(run, scope);
  history(run, 'elementCompleted', scope);
  run.state.status = 'completed';
  run.state.finalVariables = scope.variables;
  run.commands.push({ type: 'processCompleted', variables: scope.variables, time: run.time });
}
