import type { ElementInstance, Incident, State, UserTaskInfo, Variables } from './types';
import { hasOwn } from './json';
import { pendingSlaTimers } from './sla/view';

/** Read-only views for the adapter's queries; none of them changes the state. */

export interface ActiveElement {
  key: string;
  elementId: string;
  elementType: string;
  parentKey: string | null;
  incidentId: string | null;
}

/** Every live element instance except the process instance itself, in creation order. */
export function activeElements(state: State): ActiveElement[] {
  return Object.keys(state.instances)
    .map((k) => state.instances[k])
    .filter((i): i is ElementInstance => i !== undefined && i.role !== 'process')
    .map(({ key, elementId, elementType, parentKey, incidentId }) => ({ key, elementId, elementType, parentKey, incidentId }));
}

export function openUserTasks(state: State): Array<UserTaskInfo & { key: string; elementId: string; elementInstanceKey: string }> {
  const out: Array<UserTaskInfo & { key: string; elementId: string; elementInstanceKey: string }> = [];
  for (const k of Object.keys(state.waits)) {
    const w = state.waits[k];
    if (w?.type === 'userTask') out.push({ key: w.key, elementId: w.elementId, elementInstanceKey: w.ownerKey, ...w.task });
  }
  return out;
}

export function pendingTimers(state: State): Array<{ key: string; elementId: string; dueAt: number }> {
  const out: Array<{ key: string; elementId: string; dueAt: number }> = [];
  for (const k of Object.keys(state.waits)) {
    const w = state.waits[k];
    if (w?.type === 'timer') out.push({ key: w.key, elementId: w.elementId, dueAt: w.dueAt });
  }
  out.push(...pendingSlaTimers(state));
  return out;
}

export function openJobs(state: State): Array<{ key: string; elementId: string; taskType: string; elementInstanceKey: string }> {
  const out: Array<{ key: string; elementId: string; taskType: string; elementInstanceKey: string }> = [];
  for (const k of Object.keys(state.waits)) {
    const w = state.waits[k];
    if (w?.type === 'job') out.push({ key: w.key, elementId: w.elementId, taskType: w.taskType, elementInstanceKey: w.ownerKey });
  }
  return out;
}

export function openMessageSubscriptions(
  state: State,
): Array<{ key: string; elementId: string; messageName: string; correlationKey: string | null }> {
  const out: Array<{ key: string; elementId: string; messageName: string; correlationKey: string | null }> = [];
  for (const k of Object.keys(state.waits)) {
    const w = state.waits[k];
    if (w?.type === 'message') out.push({ key: w.key, elementId: w.elementId, messageName: w.messageName, correlationKey: w.correlationKey });
  }
  return out;
}

export function openIncidents(state: State): Incident[] {
  return Object.keys(state.incidents)
    .map((k) => state.incidents[k])
    .filter((i): i is Incident => i !== undefined);
}

/**
 * Variables visible from an element instance (default: the process scope); after the
 * instance ended, the final process variables.
 */
export function variables(state: State, scopeKey?: string): Variables {
  const key = scopeKey ?? state.rootKey;
  let current = key === null ? undefined : state.instances[key];
  if (!current) return scopeKey === undefined && state.finalVariables ? { ...state.finalVariables } : {};
  const chain: ElementInstance[] = [];
  while (current) {
    chain.push(current);
    current = current.parentKey === null ? undefined : state.instances[current.parentKey];
  }
  const out: Variables = {};
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const vars = chain[i]?.variables ?? {};
    for (const name of Object.keys(vars)) {
      if (name === '__proto__' || hasOwn(out, name)) Object.defineProperty(out, name, { value: vars[name], enumerable: true, writable: true, configurable: true });
      else out[name] = vars[name];
    }
  }
  return out;
}

/** Open signal subscriptions (boundary, catch, event-subprocess start, event-based gateway target). */
export function openSignalSubscriptions(state: State): Array<{ key: string; elementId: string; signalName: string }> {
  const out: Array<{ key: string; elementId: string; signalName: string }> = [];
  for (const k of Object.keys(state.waits)) {
    const w = state.waits[k];
    if (w?.type === 'signal') out.push({ key: w.key, elementId: w.elementId, signalName: w.signalName });
  }
  return out;
}
