import { indexModel } from '../model/indexModel';
import type { ModelIndex } from '../model/indexModel';
import type { AdHocDef, ElementDef, ProcessModel, SubProcessDef } from '../model/types';
import { evalBoolean, evalJson, evalList } from './feelEval';
import { raiseIncident } from './incidents';
import { enterElement } from './instances';
import { activateJob } from './jobs';
import type { Run } from './run';
import type { AdHocJobResult, ElementInstance, State, Variables } from './types';
import { setLocalVariables } from './variables';
import { cancelWait } from './waits';

/**
 * Ad-hoc subprocesses as Camunda 8.7 runs them (decision 0046). On activation the inner
 * elements named by `activeElementsCollection` are entered (none: the subprocess waits).
 * After each inner element completes, the completion condition is evaluated in the
 * subprocess's scope; true completes it (terminating what is still active unless
 * `cancelRemainingInstances` is false, then it waits for those). Without a condition it
 * completes when nothing is left inside, like any subprocess. lifecycle.ts calls in here.
 */

/** The ad-hoc definition of a scope instance, or undefined for any other instance. */
export function adHocOf(run: Run, scope: ElementInstance): AdHocDef | undefined {
  return adHocIn(run.index, scope);
}

function adHocIn(index: ModelIndex, scope: ElementInstance): AdHocDef | undefined {
  if (scope.role !== 'element') return undefined;
  const def = index.element(scope.elementId);
  return def.kind === 'subProcess' ? def.adHoc : undefined;
}

/** Inner elements the collection may name: no incoming flow, not a boundary event or event subprocess. */
function activatable(def: ElementDef): boolean {
  return def.incoming.length === 0 && def.kind !== 'boundaryEvent' && def.kind !== 'eventSubProcess'
    && def.isForCompensation !== true;
}

/** Behaviour of an ad-hoc subprocess instance: enter the elements of its collection, or ask its job worker. */
export function enterAdHoc(run: Run, inst: ElementInstance, def: SubProcessDef, adHoc: AdHocDef): void {
  if (adHoc.outputCollection !== undefined) setLocalVariables(inst, { [adHoc.outputCollection]: [] });
  if (adHoc.job !== undefined) {
    // What the worker may activate, as Camunda 8.8's `adHocSubProcessElements` (id and name).
    const elements = run.index.children(def.id).filter(activatable)
      .map((e) => ({ elementId: e.id, elementName: e.name ?? null }));
    setLocalVariables(inst, { adHocSubProcessElements: elements });
    activateJob(run, inst, adHoc.job);
    return;
  }
  if (adHoc.activeElements === undefined) return;
  const list = evalList(run, inst.key, adHoc.activeElements);
  if (!list.ok) {
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR', `activeElementsCollection: ${list.error}`, 'behaviour');
    return;
  }
  const inner = new Map(run.index.children(def.id).filter(activatable).map((e) => [e.id, e]));
  const wrong = list.value.filter((v) => typeof v !== 'string' || !inner.has(v));
  if (wrong.length > 0) {
    const ids = [...inner.keys()].join(', ');
    raiseIncident(run, inst, 'EXTRACT_VALUE_ERROR',
      `activeElementsCollection '${adHoc.activeElements}' must be a list of ids of elements of ad-hoc subprocess '${def.id}' `
      + `without incoming flows (${ids}), but contains ${wrong.map((w) => JSON.stringify(w) ?? 'null').join(', ')}`,
      'behaviour');
    return;
  }
  for (const id of list.value as string[]) enterElement(run, inst.key, inner.get(id)!, null);
}

/**
 * Evaluated as `child` completes in an ad-hoc scope: whether the completion condition is
 * met; false without a condition; null when it failed (an incident on the child, resumed at
 * its completion, as a multi-instance completion condition does).
 */
export function adHocConditionMet(run: Run, child: ElementInstance, scope: ElementInstance, variables: Variables): boolean | null {
  const adHoc = adHocOf(run, scope);
  if (adHoc?.completionCondition === undefined || adHoc.job !== undefined) return false;
  const r = evalBoolean(run, scope.key, adHoc.completionCondition);
  if (!r.ok) {
    raiseIncident(run, child, 'CONDITION_ERROR', `ad-hoc completion condition: ${r.error}`, 'complete', variables);
    return null;
  }
  return r.value;
}

/** An ad-hoc scope with a condition not (yet) met stays active even when nothing is left inside. */
export function adHocHoldsOpen(run: Run, scope: ElementInstance): boolean {
  const adHoc = adHocOf(run, scope);
  // An interrupting event subprocess ends it without the condition or the worker (Camunda docs).
  return (adHoc?.completionCondition !== undefined || adHoc?.job !== undefined) && scope.adHocConditionMet !== true
    && scope.interrupted !== true;
}

/**
 * Job-worker mode: a path inside the subprocess ended (an inner element completed without
 * outgoing flows), so the worker decides again: the open job is withdrawn and a new one
 * opened (one job at a time, as Zeebe). Returns false when the scope is not in that mode or
 * its condition is already fulfilled.
 */
export function adHocAskWorkerAgain(run: Run, scope: ElementInstance): boolean {
  const adHoc = adHocOf(run, scope);
  if (adHoc?.job === undefined || scope.adHocConditionMet === true || scope.incidentId !== null || scope.interrupted === true) return false;
  for (const key of Object.keys(run.state.waits)) {
    const wait = run.state.waits[key];
    if (wait && wait.ownerKey === scope.key && wait.type === 'job') cancelWait(run, wait);
  }
  activateJob(run, scope, adHoc.job);
  return true;
}

/** Why a job result cannot be applied to this ad-hoc subprocess instance, or null. */
export function adHocResultProblem(run: Run, scope: ElementInstance, result: AdHocJobResult): string | null {
  return resultProblem(run.index, scope, result);
}

/**
 * For the adapter's update validator: why the ad-hoc result of completing job `jobKey` would
 * be refused, or null (also when the job is unknown: that is reported as not found elsewhere).
 */
export function adHocJobResultProblem(model: ProcessModel, state: State, jobKey: string, result: AdHocJobResult): string | null {
  const wait = state.waits[jobKey];
  const scope = wait?.type === 'job' ? state.instances[wait.ownerKey] : undefined;
  return scope ? resultProblem(indexModel(model), scope, result) : null;
}

function resultProblem(index: ModelIndex, scope: ElementInstance, result: AdHocJobResult): string | null {
  const adHoc = adHocIn(index, scope);
  if (adHoc?.job === undefined) return `element '${scope.elementId}' is not an ad-hoc subprocess served by a job worker; an ad-hoc result does not apply`;
  const activate = result.activateElements ?? [];
  if (result.isCompletionConditionFulfilled === true && activate.length > 0) {
    return 'a result cannot both fulfil the completion condition and activate elements';
  }
  const inner = new Set(index.children(scope.elementId).filter(activatable).map((e) => e.id));
  const unknown = activate.map((a) => a.elementId).filter((id) => !inner.has(id));
  if (unknown.length > 0) {
    return `activateElements names ${unknown.map((id) => `'${id}'`).join(', ')}, not an element of ad-hoc subprocess '${scope.elementId}' `
      + `without incoming flows (${[...inner].join(', ')})`;
  }
  return null;
}

/** Enters the elements a job result activates, each with its variables as locals. */
export function adHocActivate(run: Run, scope: ElementInstance, result: AdHocJobResult): void {
  for (const { elementId, variables } of result.activateElements ?? []) {
    const inst = enterElement(run, scope.key, run.index.element(elementId), null);
    if (variables) setLocalVariables(inst, variables);
  }
}

/**
 * An inner path of an ad-hoc subprocess with an output collection ended at `child` (it
 * completes without outgoing flows): `outputElement`, evaluated where the child is, is
 * appended to the subprocess's local collection. False when it failed (an incident on the
 * child, resumed at its completion).
 */
export function adHocCollectOutput(run: Run, child: ElementInstance, scope: ElementInstance, variables: Variables): boolean {
  const adHoc = adHocOf(run, scope);
  if (adHoc?.outputCollection === undefined || adHoc.outputElement === undefined) return true;
  const r = evalJson(run, child.key, adHoc.outputElement);
  if (!r.ok) {
    raiseIncident(run, child, 'IO_MAPPING_ERROR', `ad-hoc outputElement: ${r.error}`, 'complete', variables);
    return false;
  }
  const list = scope.variables[adHoc.outputCollection];
  setLocalVariables(scope, { [adHoc.outputCollection]: [...(Array.isArray(list) ? list as unknown[] : []), r.value] });
  return true;
}

/** The output collection an ad-hoc subprocess hands to its parent scope as it completes, if any. */
export function adHocOutput(run: Run, inst: ElementInstance): Variables | null {
  const adHoc = adHocOf(run, inst);
  if (adHoc?.outputCollection === undefined) return null;
  return { [adHoc.outputCollection]: inst.variables[adHoc.outputCollection] ?? [] };
}
