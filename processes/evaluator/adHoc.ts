import type { AdHocDef, ElementDef, SubProcessDef } from '../model/types';
import { evalBoolean, evalList } from './feelEval';
import { raiseIncident } from './incidents';
import { enterElement } from './instances';
import type { Run } from './run';
import type { ElementInstance, Variables } from './types';

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
  if (scope.role !== 'element') return undefined;
  const def = run.index.element(scope.elementId);
  return def.kind === 'subProcess' ? def.adHoc : undefined;
}

/** Inner elements the collection may name: no incoming flow, not a boundary event or event subprocess. */
function activatable(def: ElementDef): boolean {
  return def.incoming.length === 0 && def.kind !== 'boundaryEvent' && def.kind !== 'eventSubProcess'
    && def.isForCompensation !== true;
}

/** Behaviour of an ad-hoc subprocess instance: enter the elements of its collection. */
export function enterAdHoc(run: Run, inst: ElementInstance, def: SubProcessDef, adHoc: AdHocDef): void {
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
  if (adHoc?.completionCondition === undefined) return false;
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
  return adHoc?.completionCondition !== undefined && scope.adHocConditionMet !== true;
}
