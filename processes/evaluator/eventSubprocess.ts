import type { StartEventDef, SubProcessDef } from '../model/types';
import { childrenOf, enterElement } from './instances';
import type { Run, Trigger } from './run';
import type { ElementInstance } from './types';
import { cancelWait } from './waits';

/**
 * Starts an event subprocess in `scope`. An interrupting one first terminates every
 * other token in the scope and closes the scope's other event-subprocess subscriptions
 * (the scope's own boundary events stay: they belong to the enclosing level).
 */
export function triggerEventSubprocess(
  run: Run,
  scope: ElementInstance,
  esp: SubProcessDef,
  start: StartEventDef,
  trigger: Trigger,
): void {
  if (start.interrupting) {
    for (const child of childrenOf(run, scope.key)) run.dispatch.terminate(run, child);
    run.state.joins = run.state.joins.filter((j) => j.scopeKey !== scope.key);
    for (const key of Object.keys(run.state.waits)) {
      const wait = run.state.waits[key];
      if (wait && wait.ownerKey === scope.key && run.index.element(wait.elementId).kind === 'startEvent') {
        cancelWait(run, wait);
      }
    }
    scope.interrupted = true;
  }
  const inst = enterElement(run, scope.key, esp, trigger);
  inst.startEventId = start.id;
}
