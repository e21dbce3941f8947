import type { ElementDef } from '../model/types';
import { history, nextKey } from './run';
import type { Run, Trigger } from './run';
import type { ElementInstance } from './types';

/** Children of a scope instance, in creation order. */
export function childrenOf(run: Run, scopeKey: string): ElementInstance[] {
  const out: ElementInstance[] = [];
  for (const key of Object.keys(run.state.instances)) {
    const inst = run.state.instances[key];
    if (inst && inst.parentKey === scopeKey) out.push(inst);
  }
  return out;
}

export function hasChildren(run: Run, scopeKey: string): boolean {
  for (const key of Object.keys(run.state.instances)) {
    if (run.state.instances[key]?.parentKey === scopeKey) return true;
  }
  return false;
}

/**
 * Creates the instance of `def` in a scope and queues its activation. A multi-instance
 * element first gets its body (`inner: false`); the body creates the inner instances.
 */
export function enterElement(
  run: Run,
  scopeKey: string,
  def: ElementDef,
  trigger: Trigger | null,
  inner = false,
): ElementInstance {
  const role: ElementInstance['role'] = inner ? 'inner' : def.multiInstance ? 'body' : 'element';
  const inst: ElementInstance = {
    key: nextKey(run),
    elementId: def.id,
    elementType: role === 'body' ? 'multiInstanceBody' : def.bpmnType,
    parentKey: scopeKey,
    role,
    variables: {},
    incidentId: null,
  };
  run.state.instances[inst.key] = inst;
  run.live += 1;
  history(run, 'elementActivated', inst);
  run.agenda.push({ op: 'activate', key: inst.key, trigger });
  return inst;
}

/** Removes a finished instance; the caller has already closed its waits. */
export function removeInstance(run: Run, inst: ElementInstance): void {
  if (run.state.instances[inst.key]) run.live -= 1;
  delete run.state.instances[inst.key];
}
