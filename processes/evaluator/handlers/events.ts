import type { BoundaryEventDef, IntermediateCatchEventDef, StartEventDef } from '../../model/types';
import { raiseIncident } from '../incidents';
import type { Run, Trigger } from '../run';
import type { ElementInstance } from '../types';
import { openWait, prepareWait } from '../waits';

/** Start and boundary events only run when their trigger already happened. */
export function passTrigger(run: Run, inst: ElementInstance, _def: StartEventDef | BoundaryEventDef, trigger: Trigger | null): void {
  run.dispatch.complete(run, inst, trigger?.variables ?? {});
}

/**
 * An intermediate catch waits for its timer or message, unless it is entered already
 * triggered (from an event-based gateway or a link throw).
 */
export function catchEvent(run: Run, inst: ElementInstance, def: IntermediateCatchEventDef, trigger: Trigger | null): void {
  if (trigger) {
    run.dispatch.complete(run, inst, trigger.variables);
    return;
  }
  const spec = prepareWait(run, inst.key, def.trigger);
  if (!spec.ok) {
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', spec.error, 'behaviour');
    return;
  }
  if (!spec.value) throw new Error(`intermediate catch '${def.id}' has no ${def.trigger.type} wait`);
  openWait(run, inst.key, def.id, spec.value);
}
