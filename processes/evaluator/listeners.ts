import type { ExecutionListenersDef, JobDef, ListenerEventType } from '../model/types';
import { raiseIncident } from './incidents';
import { evaluateJob, openJob } from './jobs';
import type { Run } from './run';
import type { ElementInstance, Variables } from './types';
import { mergeVariables, setLocalVariables } from './variables';

/**
 * Execution listeners (Camunda 8.6+, decision 0055): jobs an element waits for, one after the
 * other in diagram order. Start listeners run after the input mappings and before the element
 * subscribes to events and does its work; their variables become local variables of the
 * element. End listeners run after the output mappings and before the element is left; their
 * variables go to the parent scope, like the output mappings'. The lifecycle (lifecycle.ts)
 * decides when; this module keeps the place in `inst.listening` and opens the jobs.
 */

/** An element, or the process model for the process instance: what listeners hang on. */
export interface ListenerOwner {
  id: string;
  executionListeners?: ExecutionListenersDef;
}

export function listenerOwnerOf(run: Run, inst: ElementInstance): ListenerOwner {
  return inst.role === 'process' ? run.index.model : run.index.element(inst.elementId);
}

function listenersOf(def: ListenerOwner, eventType: ListenerEventType): JobDef[] {
  return def.executionListeners?.[eventType] ?? [];
}

/**
 * Opens the first listener of `eventType` if the element has any (true: the lifecycle waits);
 * `hold` is what it goes on with afterwards. False, and nothing changes, for an element without.
 */
export function beginListeners(
  run: Run,
  inst: ElementInstance,
  def: ListenerOwner,
  eventType: ListenerEventType,
  hold: { trigger?: Variables | null; variables?: Variables },
): boolean {
  if (listenersOf(def, eventType).length === 0) return false;
  inst.listening = { eventType, next: 0, ...hold };
  openListener(run, inst, def);
  return true;
}

/**
 * Opens the job of the current listener; `retries` (a job failed with retries left) keeps the
 * evaluated type. A type or retries that cannot be evaluated is an incident, and as in Zeebe its
 * resolution runs all listeners of the event type again, from the first.
 */
export function openListener(run: Run, inst: ElementInstance, def: ListenerOwner, again?: { retries: number; taskType: string }): void {
  const listening = inst.listening;
  if (!listening) throw new Error(`instance ${inst.key} has no listener to open`);
  const job = listenersOf(def, listening.eventType)[listening.next];
  if (!job) throw new Error(`'${def.id}' has no ${listening.eventType} listener ${listening.next}`);
  if (again) {
    openJob(run, inst, job, again.retries, again.taskType, listening.eventType);
    return;
  }
  const evaluated = evaluateJob(run, inst, job);
  if (!evaluated.ok) {
    listening.next = 0;
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', `${listening.eventType} execution listener: ${evaluated.error}`, 'listener');
    return;
  }
  openJob(run, inst, job, evaluated.retries, evaluated.taskType, listening.eventType);
}

/**
 * A listener's job completed with `variables`: they are applied, and the next listener opened.
 * Returns what the lifecycle goes on with once the last one is done, else null.
 */
export function listenerCompleted(
  run: Run,
  inst: ElementInstance,
  variables: Variables,
): { eventType: ListenerEventType; trigger: Variables | null; variables: Variables } | null {
  const listening = inst.listening;
  if (!listening) throw new Error(`instance ${inst.key} completed a listener it does not wait for`);
  const def = listenerOwnerOf(run, inst);
  if (Object.keys(variables).length > 0) {
    // The process has no parent scope: its end listeners' variables stay in it.
    if (listening.eventType === 'start' || inst.parentKey === null) setLocalVariables(inst, variables);
    else mergeVariables(run, inst.parentKey, variables);
  }
  listening.next += 1;
  if (listening.next < listenersOf(def, listening.eventType).length) {
    openListener(run, inst, def);
    return null;
  }
  delete inst.listening;
  return { eventType: listening.eventType, trigger: listening.trigger ?? null, variables: listening.variables ?? {} };
}

/** A listener's job failed: again with the retries left, else an incident that opens it again when resolved. */
export function listenerFailed(run: Run, inst: ElementInstance, retriesLeft: number, taskType: string, message: string): void {
  const def = listenerOwnerOf(run, inst);
  if (retriesLeft > 0) openListener(run, inst, def, { retries: retriesLeft, taskType });
  else raiseIncident(run, inst, 'EXECUTION_LISTENER_NO_RETRIES', message, 'listener');
}

/** Camunda 8 does not let a listener's job throw a BPMN error: it stops as an incident instead of being caught. */
export function listenerThrewError(run: Run, inst: ElementInstance, errorCode: string): void {
  const message = `an execution listener cannot throw a BPMN error ('${errorCode}'); complete or fail its job`;
  raiseIncident(run, inst, 'UNHANDLED_ERROR_EVENT', message, 'listener');
}
