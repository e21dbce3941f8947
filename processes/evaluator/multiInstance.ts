import type { ElementDef, MultiInstanceDef } from '../model/types';
import { openEventWaits } from './eventWaits';
import { evalFor, evalList } from './feelEval';
import { raiseIncident } from './incidents';
import { childrenOf, enterElement, hasChildren } from './instances';
import { setOwn, toJsonValue } from './json';
import type { Run } from './run';
import type { ElementInstance, Variables } from './types';
import { mergeVariables, visibleVariables } from './variables';

// Zeebe's names for the loop variables that completion conditions may read.
const N = 'numberOfInstances';
const ACTIVE = 'numberOfActiveInstances';
const DONE = 'numberOfCompletedInstances';
const TERMINATED = 'numberOfTerminatedInstances';

function miOf(def: ElementDef): MultiInstanceDef {
  if (!def.multiInstance) throw new Error(`element '${def.id}' is not multi-instance`);
  return def.multiInstance;
}

/** Evaluates the input collection, opens the body's boundary events, starts the instances. */
export function activateBody(run: Run, body: ElementInstance, def: ElementDef): void {
  const mi = miOf(def);
  const items = evalList(run, body.key, mi.inputCollection);
  if (!items.ok) {
    raiseIncident(run, body, 'EXTRACT_VALUE_ERROR', `input collection: ${items.error}`, 'activate');
    return;
  }
  const max = run.limits?.maxMultiInstanceCardinality;
  if (max !== undefined && items.value.length > max) {
    raiseIncident(run, body, 'LIMIT_EXCEEDED', `input collection has ${items.value.length} items; the multi-instance limit is ${max}`, 'activate');
    return;
  }
  if (!openEventWaits(run, body)) return;
  const n = items.value.length;
  body.loop = { items: items.value, next: 0, completed: 0, terminated: 0 };
  const vars: Variables = { [N]: n, [ACTIVE]: 0, [DONE]: 0, [TERMINATED]: 0 };
  if (mi.outputCollection !== undefined) setOwn(vars, mi.outputCollection, items.value.map(() => null));
  // A compensation handler's body keeps the locals it was invoked with (compensation.ts).
  if (def.isForCompensation === true) for (const name of Object.keys(vars)) setOwn(body.variables, name, vars[name]);
  else body.variables = vars;
  if (n === 0) run.dispatch.complete(run, body, {});
  else if (mi.sequential) startInner(run, body, def, 0);
  else for (let i = 0; i < n; i += 1) startInner(run, body, def, i);
}

function startInner(run: Run, body: ElementInstance, def: ElementDef, index: number): void {
  const mi = miOf(def);
  const loop = body.loop;
  if (!loop) throw new Error('multi-instance body without loop state');
  const inner = enterElement(run, body.key, def, null, true);
  inner.loopIndex = index;
  if (mi.inputElement !== undefined) setOwn(inner.variables, mi.inputElement, loop.items[index] ?? null);
  inner.variables.loopCounter = index + 1;
  loop.next = index + 1;
  body.variables[ACTIVE] = Number(body.variables[ACTIVE]) + 1;
}

/**
 * Before an inner instance leaves: collects its output element and evaluates the
 * completion condition with the counts as they will be. Returns whether the condition
 * holds, or null when an incident stopped the inner instance (nothing was committed).
 */
export function innerCompleting(run: Run, inner: ElementInstance, def: ElementDef, variables: Variables): boolean | null {
  const mi = miOf(def);
  const body = inner.parentKey === null ? undefined : run.state.instances[inner.parentKey];
  if (!body?.loop) throw new Error('inner instance without a multi-instance body');
  const context = visibleVariables(run, inner.key);
  const active = Number(body.variables[ACTIVE]) - 1;
  const done = body.loop.completed + 1;
  setOwn(context, ACTIVE, active);
  setOwn(context, DONE, done);
  let element: unknown = null;
  if (mi.outputCollection !== undefined && mi.outputElement !== undefined) {
    const r = evalFor(run, inner.key, mi.outputElement, context);
    if (!r.ok) return stop(run, inner, `output element: ${r.error}`, variables);
    element = toJsonValue(r.value);
  }
  let met = false;
  if (mi.completionCondition !== undefined) {
    const r = evalFor(run, inner.key, mi.completionCondition, context);
    if (!r.ok) return stop(run, inner, `completion condition: ${r.error}`, variables);
    if (typeof r.value !== 'boolean') {
      return stop(run, inner, `completion condition '${mi.completionCondition}' must be a boolean`, variables);
    }
    met = r.value;
  }
  if (mi.outputCollection !== undefined) {
    const list = body.variables[mi.outputCollection];
    const copy = Array.isArray(list) ? [...(list as unknown[])] : [];
    copy[inner.loopIndex ?? 0] = element;
    setOwn(body.variables, mi.outputCollection, copy);
  }
  body.loop.completed = done;
  body.variables[ACTIVE] = active;
  body.variables[DONE] = done;
  return met;
}

function stop(run: Run, inner: ElementInstance, message: string, variables: Variables): null {
  raiseIncident(run, inner, 'EXTRACT_VALUE_ERROR', message, 'complete', variables);
  return null;
}

/** After an inner instance left: start the next one, end early, or complete the body. */
export function onInnerDone(run: Run, bodyKey: string, def: ElementDef, conditionMet: boolean): void {
  const body = run.state.instances[bodyKey];
  if (!body?.loop) return;
  if (conditionMet) {
    for (const child of childrenOf(run, bodyKey)) {
      run.dispatch.terminate(run, child);
      body.loop.terminated += 1;
    }
    body.variables[TERMINATED] = body.loop.terminated;
    body.variables[ACTIVE] = 0;
    run.dispatch.complete(run, body, {});
    return;
  }
  if (miOf(def).sequential && body.loop.next < body.loop.items.length) {
    startInner(run, body, def, body.loop.next);
    return;
  }
  if (!hasChildren(run, bodyKey)) run.dispatch.complete(run, body, {});
}

/** The body hands its output collection to the enclosing scope. */
export function completeBodyVariables(run: Run, body: ElementInstance, def: ElementDef): void {
  const name = miOf(def).outputCollection;
  if (name === undefined || body.parentKey === null) return;
  const vars: Variables = {};
  setOwn(vars, name, body.variables[name] ?? []);
  mergeVariables(run, body.parentKey, vars);
}
