import { hasOwn, setOwn } from './json';
import type { Run } from './run';
import type { ElementInstance, Variables } from './types';

/** The instance and its flow scopes up to the process instance, innermost first. */
export function scopeChain(run: Run, key: string): ElementInstance[] {
  const chain: ElementInstance[] = [];
  let current = run.state.instances[key];
  while (current) {
    chain.push(current);
    current = current.parentKey === null ? undefined : run.state.instances[current.parentKey];
  }
  return chain;
}

/** Every variable visible from an instance; inner scopes shadow outer ones. */
export function visibleVariables(run: Run, key: string): Variables {
  const chain = scopeChain(run, key);
  const out: Variables = {};
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const vars = chain[i]?.variables ?? {};
    for (const name of Object.keys(vars)) setOwn(out, name, vars[name]);
  }
  return out;
}

/** The value a name has as seen from an instance, or undefined when it is not set. */
export function lookupVariable(run: Run, key: string, name: string): unknown {
  for (const scope of scopeChain(run, key)) {
    if (hasOwn(scope.variables, name)) return scope.variables[name];
  }
  return undefined;
}

/**
 * Camunda 8 propagation: each variable goes up from `fromKey` to the first scope that
 * already has it and is updated there; a variable no scope has is created on the process.
 */
export function mergeVariables(run: Run, fromKey: string, vars: Variables): void {
  const chain = scopeChain(run, fromKey);
  const root = chain[chain.length - 1];
  if (!root) return;
  for (const name of Object.keys(vars)) {
    const holder = chain.find((scope) => hasOwn(scope.variables, name)) ?? root;
    setOwn(holder.variables, name, vars[name]);
  }
}

export function setLocalVariables(inst: ElementInstance, vars: Variables): void {
  for (const name of Object.keys(vars)) setOwn(inst.variables, name, vars[name]);
}

/**
 * Writes `value` at a dotted `target` (`a.b.c`) on top of `base` (the current value of
 * `a`), returning the new top-level value; objects on the path are copied, not mutated.
 */
export function assignPath(base: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const obj: Variables =
    base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Variables) } : {};
  setOwn(obj, head, assignPath(hasOwn(obj, head) ? obj[head] : undefined, rest, value));
  return obj;
}
