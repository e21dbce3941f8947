import { triggerEventSubprocess } from './eventSubprocess';
import { enterElement } from './instances';
import type { Run } from './run';
import { nextOccurrence } from './timerEval';
import type { Variables, Wait } from './types';
import { openWait } from './waits';

/**
 * A timer fired, a message was correlated or a signal arrived: the event behind the wait happens.
 * Depending on where the wait lives this completes a catch event or receive task,
 * triggers a boundary event, starts an event subprocess, or decides an event-based gateway.
 */
export function fireWait(run: Run, wait: Wait & { type: 'timer' | 'message' | 'signal' }, variables: Variables): void {
  const owner = run.state.instances[wait.ownerKey];
  if (!owner) throw new Error(`wait ${wait.key} outlived its instance`);
  const event = run.index.element(wait.elementId);
  const repeats = (event.kind === 'boundaryEvent' || event.kind === 'startEvent') && !event.interrupting;
  // A non-interrupting message or signal catch stays subscribed; a timer is re-armed for its next cycle.
  if (!(repeats && wait.type !== 'timer')) delete run.state.waits[wait.key];
  if (repeats && wait.type === 'timer' && wait.cycle) {
    const next = nextOccurrence(wait.cycle);
    if (next) openWait(run, owner.key, wait.elementId, { kind: 'timer', plan: next });
  }
  const trigger = { variables };
  if (event.kind === 'boundaryEvent') {
    const scopeKey = owner.parentKey;
    if (scopeKey === null) throw new Error('boundary host without a scope');
    if (event.interrupting) run.dispatch.terminate(run, owner);
    enterElement(run, scopeKey, event, trigger);
    return;
  }
  if (event.kind === 'startEvent' && event.parentId !== null) {
    const esp = run.index.element(event.parentId);
    if (esp.kind !== 'eventSubProcess') throw new Error(`'${event.id}' is not an event subprocess start`);
    triggerEventSubprocess(run, owner, esp, event, trigger);
    return;
  }
  if (owner.elementId !== wait.elementId) {
    // Event-based gateway: the first event wins, the others are withdrawn.
    const gateway = run.index.element(owner.elementId);
    const flow = gateway.outgoing.find((f) => run.index.flow(f).targetId === event.id);
    if (!flow) throw new Error(`gateway '${gateway.id}' has no flow to '${event.id}'`);
    run.dispatch.complete(run, owner, {}, [flow], trigger);
    return;
  }
  run.dispatch.complete(run, owner, variables);
}
