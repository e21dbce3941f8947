import type { ElementDef } from '../model/types';
import { enterElement } from './instances';
import { setOwn } from './json';
import { history, nextKey } from './run';
import type { Run } from './run';
import type { CompensationState, CompensationSubscription, ElementInstance, Variables } from './types';
import { setLocalVariables } from './variables';

/**
 * Compensation with Camunda 8.5+ (Zeebe) semantics (decision 0035).
 *
 * - When an instance of an activity with a compensation handler completes, it is recorded
 *   (a subscription in `state.compensation`) with its local variables. A completed subprocess
 *   or multi-instance body that holds such records is recorded too, as their container, so a
 *   throw in the parent scope reaches the activities inside it.
 * - A compensation throw (intermediate or end) in scope S invokes, at once, the handlers of the
 *   records of S (or only those of `activityRef`) and of everything inside them, in reverse
 *   order of completion. Active or terminated activities have no record, so they are not
 *   compensated; an invoked record is removed, so nothing is compensated twice.
 * - As in Zeebe, each invocation records the compensation boundary event as activated and
 *   completed, then activates the handler next to the throw event (in its flow scope). The
 *   throw event completes when the last of its handlers completes (Zeebe always waits). A
 *   handler gets the recorded local variables of the completed activity and of the completed
 *   scopes around it as its own local variables.
 * - Terminating a scope drops its records: what was inside can no longer be compensated.
 */

function isCompensationThrow(def: ElementDef): boolean {
  return (def.kind === 'intermediateThrowEvent' || def.kind === 'endEvent') && def.result.type === 'compensation';
}

/** Called by `complete` once `inst` has left; records what it can later compensate. */
export function compensationOnCompleted(run: Run, inst: ElementInstance, def: ElementDef, parentKey: string): void {
  const state = run.state.compensation;
  if (!def.compensation && !state) return;
  if (def.isForCompensation === true || isCompensationThrow(def)) {
    if (def.isForCompensation === true) handlerDone(run, inst.key);
    dropSubscriptionsUnder(run, inst.key);
    return;
  }
  const handlerId = inst.role === 'body' ? null : def.compensation?.handlerId ?? null;
  const holds = state?.subscriptions.some((s) => s.scopeKey === inst.key) ?? false;
  if (handlerId === null && !holds) return;
  const subscription: CompensationSubscription = {
    key: inst.key,
    elementId: inst.elementId,
    scopeKey: parentKey,
    handlerId,
    // A body's locals are its loop counts and output collection, nothing a handler needs.
    variables: inst.role === 'body' ? {} : inst.variables,
  };
  if (state) state.subscriptions.push(subscription);
  else run.state.compensation = { subscriptions: [subscription] };
}

/** Called by `terminate`: records in the terminated scope (and inside them) are dropped. */
export function dropCompensationUnder(run: Run, key: string): void {
  const state = run.state.compensation;
  if (!state) return;
  dropSubscriptionsUnder(run, key);
  if (state.invoked) state.invoked = state.invoked.filter((i) => i.handlerKey !== key && i.throwKey !== key);
}

function dropSubscriptionsUnder(run: Run, scopeKey: string): void {
  const state = run.state.compensation;
  if (!state || state.subscriptions.length === 0) return;
  const gone = new Set([scopeKey]);
  // Containers complete after what they hold, so one backwards pass finds every level.
  for (let i = state.subscriptions.length - 1; i >= 0; i -= 1) {
    const s = state.subscriptions[i];
    if (s && gone.has(s.scopeKey)) gone.add(s.key);
  }
  state.subscriptions = state.subscriptions.filter((s) => !gone.has(s.scopeKey));
}

/** A handler completed: its throw event completes (queued, as a scope) once no handler of it is left. */
function handlerDone(run: Run, handlerKey: string): void {
  const state = run.state.compensation;
  const entry = state?.invoked?.find((i) => i.handlerKey === handlerKey);
  if (!state?.invoked || !entry) return; // an inner instance of a multi-instance handler
  state.invoked = state.invoked.filter((i) => i.handlerKey !== handlerKey);
  if (!state.invoked.some((i) => i.throwKey === entry.throwKey)) run.agenda.push({ op: 'completeScope', key: entry.throwKey });
}

interface Invocation {
  handlerId: string;
  boundaryEventId: string;
  variables: Variables;
}

/**
 * A compensation throw: invokes the handlers of the completed activities of its scope (an
 * event subprocess throws in its parent scope), or of `activityRef` only. Completes the
 * thrower at once when there is nothing to compensate; otherwise it waits for the handlers.
 */
export function throwCompensation(run: Run, inst: ElementInstance, activityRef: string | undefined): void {
  const scopeKey = compensationScopeOf(run, inst);
  const state = run.state.compensation;
  const invocations: Invocation[] = [];
  if (state) {
    const all = state.subscriptions;
    const taken = new Set<string>();
    const collect = (sub: CompensationSubscription, inherited: Variables) => {
      taken.add(sub.key);
      const variables: Variables = { ...inherited };
      for (const name of Object.keys(sub.variables)) setOwn(variables, name, sub.variables[name]);
      const boundaryEventId = run.index.element(sub.elementId).compensation?.boundaryEventId;
      if (sub.handlerId !== null && boundaryEventId !== undefined) invocations.push({ handlerId: sub.handlerId, boundaryEventId, variables });
      // A container's locals are inherited by what it holds (a task holds nothing).
      const inner = all.filter((s) => s.scopeKey === sub.key);
      for (let i = inner.length - 1; i >= 0; i -= 1) collect(inner[i] as CompensationSubscription, variables);
    };
    for (let i = all.length - 1; i >= 0; i -= 1) {
      const sub = all[i] as CompensationSubscription;
      if (sub.scopeKey === scopeKey && (activityRef === undefined || sub.elementId === activityRef)) collect(sub, {});
    }
    state.subscriptions = all.filter((s) => !taken.has(s.key));
  }
  if (invocations.length === 0) {
    run.dispatch.complete(run, inst, {});
    return;
  }
  const flowScopeKey = inst.parentKey as string; // compensationScopeOf checked it
  const compensation = run.state.compensation as CompensationState;
  const invoked = (compensation.invoked ??= []);
  for (const { handlerId, boundaryEventId, variables } of invocations) {
    // Zeebe records the boundary event as activated and completed before it runs the handler.
    const boundary: ElementInstance = {
      key: nextKey(run), elementId: boundaryEventId, elementType: 'bpmn:BoundaryEvent', parentKey: flowScopeKey, role: 'element', variables: {}, incidentId: null,
    };
    history(run, 'elementActivated', boundary);
    history(run, 'elementCompleted', boundary);
    const handler = enterElement(run, flowScopeKey, run.index.element(handlerId), null);
    setLocalVariables(handler, variables);
    invoked.push({ handlerKey: handler.key, throwKey: inst.key });
  }
}

/** The scope a throw compensates: its flow scope, or an event subprocess's enclosing scope. */
function compensationScopeOf(run: Run, inst: ElementInstance): string {
  const parentKey = inst.parentKey;
  if (parentKey === null) throw new Error('compensation thrown outside a scope');
  const parent = run.state.instances[parentKey];
  if (parent && parent.role === 'element' && run.index.element(parent.elementId).kind === 'eventSubProcess' && parent.parentKey !== null) {
    return parent.parentKey;
  }
  return parentKey;
}
