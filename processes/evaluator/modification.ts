/**
 * Process instance modification (Camunda 8 / Zeebe): an operator moves tokens on a running
 * instance. `activate` creates a new instance of an element in its flow scope (creating the
 * flow scope itself when none is live, without entering its start event) and `terminate`
 * ends element instances with everything inside them. Activations run first, then
 * terminations, so "move" (terminate A + activate B) never lets the scope complete between
 * the two. A flow scope left without tokens by a termination is terminated too, up to the
 * process instance itself (the instance then ends as terminated), as Zeebe does.
 *
 * `validateModification` names every problem with its instruction and element id;
 * `applyModification` is the handler of the `modify` stimulus (modify.ts is the entry point).
 */
import { indexModel, type ModelIndex } from '../model/indexModel';
import type { ElementDef, ProcessModel } from '../model/types';
import { ownVariables } from './json';
import { terminate } from './lifecycle';
import { enterElement, hasChildren } from './instances';
import { openEventWaits } from './eventWaits';
import { history, nextKey } from './run';
import type { Run } from './run';
import type { ElementInstance, ModificationInstruction, State } from './types';
import { setLocalVariables } from './variables';
import { setGlobalInstructionVariables, setScopedInstructionVariables, variableScopeProblems } from './modificationScopes';
import { ACCEPTED, rejected, type Outcome } from './stimuli/outcome';

export interface ModificationProblem {
  /** Position of the instruction (`instructions[2]`), or `instructions` for the whole list. */
  path: string;
  elementId?: string;
  elementInstanceKey?: string;
  message: string;
}

/** Element kinds a token cannot be put on (Zeebe refuses them too): they are entered by events, not by flows. */
const NOT_ACTIVATABLE = new Set<ElementDef['kind']>(['startEvent', 'boundaryEvent']);

/** Every live instance of an element that can hold tokens of its children (never a multi-instance body). */
function scopeInstancesOf(state: State, elementId: string): ElementInstance[] {
  return Object.keys(state.instances)
    .map((k) => state.instances[k])
    .filter((i): i is ElementInstance => i !== undefined && i.elementId === elementId && i.role !== 'body');
}

/**
 * Where an activation goes: the live flow scope instance, `create` when the flow scope (and
 * maybe its own scopes) must be created first, or a problem.
 */
type ScopeChoice = { key: string } | { create: ElementDef[] } | { problem: string };

function chooseScope(index: ModelIndex, state: State, def: ElementDef, ancestor: string | undefined): ScopeChoice {
  if (def.parentId === null) {
    if (ancestor !== undefined && ancestor !== state.rootKey) return { problem: `ancestorElementInstanceKey '${ancestor}' is not the flow scope of '${def.id}' (the process instance)` };
    return state.rootKey === null ? { problem: 'the instance has no process instance' } : { key: state.rootKey };
  }
  const live = scopeInstancesOf(state, def.parentId);
  if (ancestor !== undefined) {
    return live.some((i) => i.key === ancestor)
      ? { key: ancestor }
      : { problem: `ancestorElementInstanceKey '${ancestor}' is not a live instance of '${def.parentId}', the flow scope of '${def.id}'` };
  }
  if (live.length === 1 && live[0]) return { key: live[0].key };
  if (live.length > 1) return { problem: `'${def.parentId}' has ${live.length} live instances; name one with ancestorElementInstanceKey (${live.map((i) => i.key).join(', ')})` };
  const parent = index.element(def.parentId);
  if (parent.multiInstance) return { problem: `'${def.id}' lies in the multi-instance subprocess '${parent.id}', which has no live inner instance` };
  if (parent.kind === 'eventSubProcess') return { problem: `'${def.id}' lies in the event subprocess '${parent.id}', which is not running; it starts by its event only` };
  const outer = chooseScope(index, state, parent, undefined);
  if ('problem' in outer) return outer;
  return { create: [...('create' in outer ? outer.create : []), parent] };
}

/** Every problem of a modification, each with its instruction and element id; empty when it can be applied. */
export function validateModification(model: ProcessModel, state: State, instructions: readonly ModificationInstruction[]): ModificationProblem[] {
  const problems: ModificationProblem[] = [];
  if (state.status !== 'active') return [{ path: 'instructions', message: `the instance is ${state.status}` }];
  if (instructions.length === 0) return [{ path: 'instructions', message: 'give at least one activate or terminate instruction' }];
  const index = indexModel(model);
  const terminated = new Set<string>();
  instructions.forEach((instruction, i) => {
    const path = `instructions[${i}]`;
    if (instruction.type === 'activate') {
      const { elementId } = instruction;
      if (!index.hasElement(elementId)) {
        problems.push({ path, elementId, message: `'${elementId}' is not an element of process '${model.id}'` });
        return;
      }
      const def = index.element(elementId);
      if (NOT_ACTIVATABLE.has(def.kind)) {
        problems.push({ path, elementId, message: `'${elementId}' is a ${def.bpmnType}: it cannot be activated by a modification (activate the element it leads to)` });
        return;
      }
      const scope = chooseScope(index, state, def, instruction.ancestorElementInstanceKey);
      if ('problem' in scope) problems.push({ path, elementId, message: scope.problem });
      problems.push(...variableScopeProblems(index, instruction, path));
      return;
    }
    const keys = 'elementInstanceKey' in instruction ? [instruction.elementInstanceKey] : liveInstancesOf(state, instruction.elementId).map((inst) => inst.key);
    if ('elementId' in instruction && keys.length === 0) {
      problems.push({ path, elementId: instruction.elementId, message: `'${instruction.elementId}' has no live instance to terminate` });
      return;
    }
    for (const key of keys) {
      const inst = state.instances[key];
      if (!inst) {
        problems.push({ path, elementInstanceKey: key, message: `no live element instance '${key}'` });
      } else if (inst.role === 'process') {
        problems.push({ path, elementId: inst.elementId, elementInstanceKey: key, message: 'the process instance itself cannot be terminated by a modification (cancel the instance instead)' });
      } else if (inst.role === 'inner') {
        problems.push({ path, elementId: inst.elementId, elementInstanceKey: key, message: `'${key}' is one inner instance of the multi-instance '${inst.elementId}'; terminate its multi-instance body (${inst.parentKey ?? '?'}) instead` });
      } else if (terminated.has(key)) {
        problems.push({ path, elementId: inst.elementId, elementInstanceKey: key, message: `'${key}' is terminated twice` });
      } else {
        terminated.add(key);
      }
    }
  });
  return problems;
}

/** Live instances of an element as an operator sees them: a multi-instance activity is its body. */
function liveInstancesOf(state: State, elementId: string): ElementInstance[] {
  return Object.keys(state.instances)
    .map((k) => state.instances[k])
    .filter((i): i is ElementInstance => i !== undefined && i.elementId === elementId && (i.role === 'element' || i.role === 'body'));
}

/** Creates a flow scope (an embedded subprocess) as Zeebe does for an activation: active, with its boundary events, but its start event not entered. */
function createScope(run: Run, parentKey: string, def: ElementDef): string {
  const inst: ElementInstance = {
    key: nextKey(run), elementId: def.id, elementType: def.bpmnType, parentKey, role: 'element', variables: {}, incidentId: null,
  };
  run.state.instances[inst.key] = inst;
  run.live += 1;
  history(run, 'elementActivated', inst);
  openEventWaits(run, inst);
  return inst.key;
}

/** A termination left its flow scope without tokens: end the scope too, up to the process instance. */
function terminateEmptyScopes(run: Run, scopeKey: string | null): void {
  let key = scopeKey;
  while (key !== null) {
    const scope = run.state.instances[key];
    if (!scope || hasChildren(run, key) || run.state.joins.some((j) => j.scopeKey === key)) return;
    if (scope.role === 'inner' || scope.role === 'body') return; // the multi-instance bookkeeping completes it
    if (scope.role === 'process') {
      run.state.finalVariables = scope.variables;
      terminate(run, scope);
      run.state.status = 'terminated';
      run.commands.push({ type: 'processTerminated', time: run.time });
      return;
    }
    const parent = scope.parentKey;
    terminate(run, scope);
    key = parent;
  }
}

/** The `modify` stimulus: validated again here, so a stale request changes nothing. */
export function applyModification(run: Run, s: { instructions: ModificationInstruction[] }): Outcome {
  const problems = validateModification(run.index.model, run.state, s.instructions);
  if (problems.length > 0) return rejected(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  for (const instruction of s.instructions) {
    if (instruction.type !== 'activate') continue;
    const def = run.index.element(instruction.elementId);
    const root = run.state.rootKey === null ? undefined : run.state.instances[run.state.rootKey];
    if (root && instruction.variables) setLocalVariables(root, ownVariables(instruction.variables));
    setGlobalInstructionVariables(run, instruction);
    const scope = chooseScope(run.index, run.state, def, instruction.ancestorElementInstanceKey);
    if ('problem' in scope) return rejected(scope.problem);
    let scopeKey: string;
    if ('key' in scope) {
      scopeKey = scope.key;
    } else {
      const first = scope.create[0];
      const outer = first && first.parentId !== null ? chooseScope(run.index, run.state, first, undefined) : { key: run.state.rootKey ?? '' };
      if (!('key' in outer)) return rejected(`no flow scope for '${def.id}'`);
      scopeKey = outer.key;
      for (const parent of scope.create) scopeKey = createScope(run, scopeKey, parent);
    }
    setScopedInstructionVariables(run, instruction, enterElement(run, scopeKey, def, null));
  }
  for (const instruction of s.instructions) {
    if (instruction.type !== 'terminate') continue;
    const targets = 'elementInstanceKey' in instruction
      ? [run.state.instances[instruction.elementInstanceKey]].filter((i): i is ElementInstance => i !== undefined)
      : liveInstancesOf(run.state, instruction.elementId);
    for (const inst of targets) {
      if (!run.state.instances[inst.key]) continue; // already ended with an outer instance
      const parentKey = inst.parentKey;
      terminate(run, inst);
      terminateEmptyScopes(run, parentKey);
    }
  }
  return ACCEPTED;
}
