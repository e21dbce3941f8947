import type { ElementDef } from '../model/types';
import { enterElement } from './instances';
import type { Run, Trigger } from './run';
import { upstreamOf } from './reach';
import type { JoinState } from './types';

function isJoin(def: ElementDef): boolean {
  return (def.kind === 'parallelGateway' || def.kind === 'inclusiveGateway') && def.incoming.length > 1;
}

/** Moves a token along a sequence flow: into the target, or onto a join's waiting list. */
export function takeFlow(run: Run, scopeKey: string, flowId: string, trigger: Trigger | null): void {
  const target = run.index.element(run.index.flow(flowId).targetId);
  if (!isJoin(target)) {
    enterElement(run, scopeKey, target, trigger);
    return;
  }
  let join = run.state.joins.find((j) => j.scopeKey === scopeKey && j.elementId === target.id);
  if (!join) {
    join = { scopeKey, elementId: target.id, arrived: [] };
    run.state.joins.push(join);
  }
  join.arrived.push(flowId);
  if (target.kind === 'parallelGateway') {
    const arrived = join.arrived;
    if (target.incoming.every((f) => arrived.includes(f))) fireJoin(run, join, target);
  } else {
    run.inclusiveDirty = true;
  }
}

/** Consumes one token per incoming flow that has one and activates the gateway. */
function fireJoin(run: Run, join: JoinState, def: ElementDef): void {
  for (const f of def.incoming) {
    const at = join.arrived.indexOf(f);
    if (at >= 0) join.arrived.splice(at, 1);
  }
  if (join.arrived.length === 0) run.state.joins = run.state.joins.filter((j) => j !== join);
  enterElement(run, join.scopeKey, def, null);
}

/**
 * Fires every inclusive join whose missing incoming flows can no longer receive a token:
 * no token in its scope (an active element, or a token waiting at another join) sits
 * upstream of a missing flow along a path that does not pass through this join.
 */
export function fireReadyInclusiveJoins(run: Run): boolean {
  let fired = false;
  for (const join of [...run.state.joins]) {
    if (!run.state.joins.includes(join)) continue;
    const def = run.index.element(join.elementId);
    if (def.kind !== 'inclusiveGateway') continue;
    const missing = def.incoming.filter((f) => !join.arrived.includes(f));
    if (missing.length > 0 && tokenCanReach(run, join, missing)) continue;
    fireJoin(run, join, def);
    fired = true;
  }
  return fired;
}

function tokenCanReach(run: Run, join: JoinState, missing: string[]): boolean {
  const at: string[] = [];
  for (const key of Object.keys(run.state.instances)) {
    const inst = run.state.instances[key];
    if (inst && inst.parentKey === join.scopeKey) at.push(inst.elementId);
  }
  for (const other of run.state.joins) {
    if (other !== join && other.scopeKey === join.scopeKey) at.push(other.elementId);
  }
  return missing.some((flowId) => {
    const upstream = upstreamOf(run.index, join.elementId, flowId);
    return at.some((id) => upstream.has(id));
  });
}
