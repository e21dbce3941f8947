import { raiseIncident } from './incidents';
import type { Run } from './run';
import { elementOf, eventSubprocessesOf, isScopeInstance, scopeElementId } from './scopes';
import type { ElementInstance } from './types';
import { openWait, prepareWait } from './waits';
import type { WaitSpec } from './waits';

/**
 * Opens the timers and message subscriptions an instance owns while it is active: its
 * boundary events (activities and multi-instance bodies) and the start events of the
 * event subprocesses inside it (scopes). All are evaluated before any is opened so that
 * an incident leaves nothing half-open and the retry starts clean.
 */
export function openEventWaits(run: Run, inst: ElementInstance): boolean {
  const specs: Array<[string, WaitSpec]> = [];
  const def = elementOf(run, inst);
  if (def && (inst.role === 'element' || inst.role === 'body')) {
    for (const id of def.boundaryEventIds) {
      const boundary = run.index.element(id);
      if (boundary.kind !== 'boundaryEvent') continue;
      const spec = prepareWait(run, inst.key, boundary.trigger);
      if (!spec.ok) return fail(run, inst, `boundary event '${id}': ${spec.error}`);
      if (spec.value) specs.push([id, spec.value]);
    }
  }
  if (isScopeInstance(run, inst)) {
    for (const { start } of eventSubprocessesOf(run, scopeElementId(inst))) {
      const spec = prepareWait(run, inst.key, start.trigger);
      if (!spec.ok) return fail(run, inst, `event subprocess start '${start.id}': ${spec.error}`);
      if (spec.value) specs.push([start.id, spec.value]);
    }
  }
  for (const [elementId, spec] of specs) openWait(run, inst.key, elementId, spec);
  return true;
}

function fail(run: Run, inst: ElementInstance, message: string): false {
  raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', message, 'activate');
  return false;
}
