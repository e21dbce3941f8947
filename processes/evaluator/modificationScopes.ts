/**
 * Variable instructions of a modification's activation (Camunda 8 `variableInstructions`):
 * each set of variables is created in the scope named by `scopeId` before the element is
 * activated. The scope is the activated element itself (local variables of its new instance;
 * its input mappings run after them), one of its enclosing subprocesses (the live or newly
 * created instance the token goes into), or the process (`scopeId` absent or the process id:
 * global, like the instruction's plain `variables`).
 */
import type { ModelIndex } from '../model/indexModel';
import { ownVariables } from './json';
import type { Run } from './run';
import type { ElementInstance, ModificationInstruction } from './types';
import { setLocalVariables } from './variables';

type Activate = Extract<ModificationInstruction, { type: 'activate' }>;

export interface ScopeProblem {
  path: string;
  elementId: string;
  message: string;
}

/** The element and its enclosing subprocesses, innermost first. */
function ancestry(index: ModelIndex, elementId: string): string[] {
  const out: string[] = [];
  for (let id: string | null = elementId; id !== null; id = index.element(id).parentId) out.push(id);
  return out;
}

/** Every variable instruction whose scope is not the element, an enclosing subprocess or the process. */
export function variableScopeProblems(index: ModelIndex, instruction: Activate, path: string): ScopeProblem[] {
  const problems: ScopeProblem[] = [];
  const allowed = ancestry(index, instruction.elementId);
  (instruction.variableInstructions ?? []).forEach((v, j) => {
    const scopeId = v.scopeId;
    if (scopeId === undefined || scopeId === index.model.id || allowed.includes(scopeId)) return;
    const at = `${path}.variableInstructions[${j}].scopeId`;
    problems.push(index.hasElement(scopeId)
      ? { path: at, elementId: scopeId, message: `'${scopeId}' is neither '${instruction.elementId}' nor a subprocess enclosing it (${[...allowed.slice(1), index.model.id].map((id) => `'${id}'`).join(', ')})` }
      : { path: at, elementId: scopeId, message: `'${scopeId}' is not an element of process '${index.model.id}'` });
  });
  return problems;
}

/** Global instructions: before the flow scope and the element are entered. */
export function setGlobalInstructionVariables(run: Run, instruction: Activate): void {
  const root = run.state.rootKey === null ? undefined : run.state.instances[run.state.rootKey];
  if (!root) return;
  for (const v of instruction.variableInstructions ?? []) {
    if (v.scopeId === undefined || v.scopeId === run.index.model.id) setLocalVariables(root, ownVariables(v.variables));
  }
}

/** Scoped instructions: once the element's instance exists (its activation is queued, not run). */
export function setScopedInstructionVariables(run: Run, instruction: Activate, inst: ElementInstance): void {
  for (const v of instruction.variableInstructions ?? []) {
    if (v.scopeId === undefined || v.scopeId === run.index.model.id) continue;
    let scope: ElementInstance | undefined = inst;
    while (scope && scope.elementId !== v.scopeId) scope = scope.parentKey === null ? undefined : run.state.instances[scope.parentKey];
    if (scope) setLocalVariables(scope, ownVariables(v.variables));
  }
}
