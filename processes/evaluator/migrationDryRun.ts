/**
 * The dry run of a migration (decision 0041), pure: for one instance, what `migrate` would do
 * and whether the result is consistent, before anything changes.
 *
 * - **Refusals**: `migrate`'s own, each with its element.
 * - **One-to-one**: open user tasks, timers (SLA timers included), message subscriptions, jobs
 *   and SLA clocks before and after, by key; each must be there exactly once after, at the
 *   mapped element.
 * - **Recorded path replayed**: every sequence flow the instance took (read from its element
 *   history: an element activated after one it has a flow from completed) must exist between the
 *   mapped elements in the target; the first one that does not is where the target would
 *   diverge from what happened. Elements on the path that the target lacks are reported too.
 * - **Reachable**: every active element of the migrated state must be reachable in the target
 *   from a start event (flows, boundary events, subprocess and event-subprocess starts), so the
 *   instance stands where an instance of the target could stand.
 */
import { indexModel, type ModelIndex } from '../model/indexModel';
import type { ProcessModel } from '../model/types';
import { defaultMapping, migrate, type MappingInstruction, type MigrationRefusal } from './migrate';
import { openJobs, openMessageSubscriptions, openUserTasks, pendingTimers } from './queries';
import type { State } from './types';

/** One element event of the instance's recorded history, oldest first. */
export interface RecordedStep {
  elementId: string;
  event: string;
}

export interface Correspondence {
  key: string;
  from: string;
  to: string | null;
}

export interface MigrationReport {
  migratable: boolean;
  refusals: MigrationRefusal[];
  /** Every open task, timer, subscription, job and SLA clock maps one-to-one (same key, mapped element). */
  consistent: boolean;
  /** Every active element of the migrated state can be reached in the target. */
  reachable: boolean;
  tasks: Correspondence[];
  timers: Correspondence[];
  subscriptions: Correspondence[];
  jobs: Correspondence[];
  slaClocks: Correspondence[];
  /** Where the target departs from the recorded path or state, each with its element. */
  divergences: Array<{ elementId: string; message: string }>;
}

type Keyed = { key: string; elementId: string };

function correspond(before: Keyed[], after: Keyed[] | null, map: Map<string, string>): { list: Correspondence[]; ok: boolean } {
  const afterByKey = new Map((after ?? []).map((a) => [a.key, a.elementId]));
  let ok = after === null || after.length === before.length;
  const list = before.map((b) => {
    const to = after === null ? map.get(b.elementId) ?? null : afterByKey.get(b.key) ?? null;
    if (after !== null && (to === null || to !== (map.get(b.elementId) ?? b.elementId))) ok = false;
    return { key: b.key, from: b.elementId, to };
  });
  return { list, ok };
}

/** Elements of the target reachable from its process-level start events. */
function reachableElements(index: ModelIndex): Set<string> {
  const next = new Map<string, string[]>();
  const add = (from: string, to: string) => next.set(from, [...(next.get(from) ?? []), to]);
  for (const flow of index.model.flows) add(flow.sourceId, flow.targetId);
  for (const e of index.model.elements) {
    for (const b of e.boundaryEventIds) add(e.id, b);
    if (e.kind === 'subProcess' || e.kind === 'eventSubProcess') {
      for (const child of index.children(e.id)) if (child.kind === 'startEvent') add(e.id, child.id);
    }
    // An event subprocess can start while its enclosing scope is active.
    if (e.kind === 'eventSubProcess') add(e.parentId ?? '', e.id);
  }
  const seen = new Set<string>();
  const queue = [...index.children(null).filter((e) => e.kind === 'startEvent').map((e) => e.id), ...(next.get('') ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(next.get(id) ?? []));
  }
  return seen;
}

function replayPath(source: ModelIndex, target: ModelIndex, map: Map<string, string>, path: readonly RecordedStep[]) {
  const divergences: Array<{ elementId: string; message: string }> = [];
  const completed = new Set<string>();
  const missing = new Set<string>();
  for (const stepOf of path) {
    const { elementId, event } = stepOf;
    if (!source.hasElement(elementId)) continue; // the process element, or history of an older version
    if (event === 'completed') completed.add(elementId);
    if (event !== 'activated') continue;
    const to = map.get(elementId);
    if (to === undefined || !target.hasElement(to)) {
      if (!missing.has(elementId)) divergences.push({ elementId, message: `the recorded path passed '${elementId}', which the target lacks (history only: nothing live is there)` });
      missing.add(elementId);
      continue;
    }
    const def = source.element(elementId);
    const taken = def.incoming.map((id) => source.flow(id)).find((f) => completed.has(f.sourceId));
    if (!taken) continue; // a start, boundary or event-subprocess entry, or a modification
    const fromTo = map.get(taken.sourceId);
    if (fromTo === undefined || !target.hasElement(fromTo)) continue; // reported as missing already
    const exists = target.element(to).incoming.some((id) => target.flow(id).sourceId === fromTo);
    if (!exists) divergences.push({ elementId, message: `the recorded path took flow '${taken.id}' from '${taken.sourceId}' to '${elementId}'; the target has no flow from '${fromTo}' to '${to}'` });
  }
  return divergences;
}

export function dryRunMigration(
  source: ProcessModel, target: ProcessModel, state: State, mapping: readonly MappingInstruction[], path: readonly RecordedStep[],
): MigrationReport {
  const sourceIndex = indexModel(source);
  const targetIndex = indexModel(target);
  const result = migrate(source, target, state, mapping);
  const map = defaultMapping(source, target, mapping);
  const after = result.ok ? result.state : null;
  const clocks = (s: State) => (s.sla?.clocks ?? []).filter((c) => c.stoppedAt === null).map((c) => ({ key: c.clockKey, elementId: c.elementId ?? source.id }));
  const targetPolicies = new Set((target.sla?.policies ?? []).map((p) => p.id));
  const tasks = correspond(openUserTasks(state), after && openUserTasks(after), map);
  const timers = correspond(pendingTimers(state), after && pendingTimers(after), map);
  const subscriptions = correspond(openMessageSubscriptions(state), after && openMessageSubscriptions(after), map);
  const jobs = correspond(openJobs(state), after && openJobs(after), map);
  const slaClocks = correspond(clocks(state), after && clocks(after).map((c) => ({ ...c, elementId: c.elementId === source.id ? target.id : c.elementId })), map);
  const policiesKept = (state.sla?.clocks ?? []).every((c) => c.stoppedAt !== null || targetPolicies.has(c.policyId));
  const divergences = replayPath(sourceIndex, targetIndex, map, path);
  let reachable = true;
  if (after) {
    const reach = reachableElements(targetIndex);
    for (const key of Object.keys(after.instances)) {
      const inst = after.instances[key];
      if (!inst || inst.role === 'process' || reach.has(inst.elementId)) continue;
      reachable = false;
      divergences.push({ elementId: inst.elementId, message: `active element '${inst.elementId}' cannot be reached from a start event of the target` });
    }
  }
  return {
    migratable: result.ok,
    refusals: result.ok ? [] : result.refusals,
    consistent: result.ok && tasks.ok && timers.ok && subscriptions.ok && jobs.ok && slaClocks.ok && policiesKept,
    reachable: result.ok && reachable,
    tasks: tasks.list,
    timers: timers.list,
    subscriptions: subscriptions.list,
    jobs: jobs.list,
    slaClocks: slaClocks.list,
    divergences,
  };
}
