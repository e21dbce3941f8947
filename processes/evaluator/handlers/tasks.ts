import type { PassThroughTaskDef, ReceiveTaskDef, ScriptTaskDef, ServiceTaskDef } from '../../model/types';
import { evalJson } from '../feelEval';
import { raiseIncident } from '../incidents';
import { activateJob } from '../jobs';
import type { Run, Trigger } from '../run';
import type { ElementInstance } from '../types';
import { openWait, prepareWait } from '../waits';
import { setOwn } from '../json';

/** Service, send and business-rule tasks run an activity from the catalog. */
export function serviceTask(run: Run, inst: ElementInstance, def: ServiceTaskDef): void {
  activateJob(run, inst, def.job);
}

/** Manual and plain tasks have nothing to wait for. */
export function passThrough(run: Run, inst: ElementInstance, _def: PassThroughTaskDef): void {
  run.dispatch.complete(run, inst, {});
}

/** A FEEL script: its result becomes `resultVariable`, like a job's result variables. */
export function scriptTask(run: Run, inst: ElementInstance, def: ScriptTaskDef): void {
  const r = evalJson(run, inst.key, def.expression);
  if (!r.ok) {
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', r.error, 'behaviour');
    return;
  }
  const vars = {};
  setOwn(vars, def.resultVariable, r.value);
  run.dispatch.complete(run, inst, vars);
}

/** Waits for its message, unless an event-based gateway already received it. */
export function receiveTask(run: Run, inst: ElementInstance, def: ReceiveTaskDef, trigger: Trigger | null): void {
  if (trigger) {
    run.dispatch.complete(run, inst, trigger.variables);
    return;
  }
  const message = { type: 'message' as const, messageName: def.messageName, ...(def.correlationKey === undefined ? {} : { correlationKey: def.correlationKey }) };
  const spec = prepareWait(run, inst.key, message);
  if (!spec.ok || !spec.value) {
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', spec.ok ? 'no message' : spec.error, 'behaviour');
    return;
  }
  openWait(run, inst.key, def.id, spec.value);
}
