/**
 * Process instance migration (Camunda 8 / Zeebe): the state of an instance of one version,
 * mapped onto another version of the same process. Every live element instance keeps its key,
 * variables and waits (user tasks, jobs, timers, subscriptions keep their keys too, so nothing
 * is opened twice or lost); only element ids change, by the mapping instructions (an element
 * whose id exists in the target maps to itself unless an instruction says otherwise).
 *
 * Refused, each with the element named, as Zeebe refuses them: an active element that the
 * target lacks and no instruction maps; a mapping to an element of another type; a change of
 * flow scope; a multi-instance activity mapped to a single one (or back); a catch event
 * (boundary or event-subprocess start) with an open subscription that the target lacks; a
 * boundary event or event-subprocess start that the target adds to an active element (a new
 * subscription would be needed); a join holding tokens of a flow the target lacks; a running
 * child process (the adapter cannot hand it to the new run); an SLA clock still running
 * whose policy the target drops. Pure: the state given is not changed.
 */
import { indexModel, type ModelIndex } from '../model/indexModel';
import type { ElementDef, EventTrigger, ProcessModel } from '../model/types';
import { cloneJson } from './json';
import type { ElementInstance, State } from './types';

export interface MappingInstruction {
  sourceElementId: string;
  targetElementId: string;
}

export interface MigrationRefusal {
  /** The element of the source version the refusal is about (the process id for the whole instance). */
  elementId: string;
  elementInstanceKey?: string;
  reason: string;
}

export type MigrationResult =
  | { ok: true; state: State; mapped: Array<{ elementInstanceKey: string; from: string; to: string }> }
  | { ok: false; refusals: MigrationRefusal[] };

/** The effective mapping: explicit instructions, else the same id where the target has it. */
export function defaultMapping(source: ProcessModel, target: ProcessModel, instructions: readonly MappingInstruction[] = []): Map<string, string> {
  const targetIndex = indexModel(target);
  const map = new Map<string, string>();
  for (const e of source.elements) if (targetIndex.hasElement(e.id)) map.set(e.id, e.id);
  for (const m of instructions) map.set(m.sourceElementId, m.targetElementId);
  map.set(source.id, target.id);
  return map;
}

/** Triggers that hold an open wait (timer or message): the catch events migration must carry over. */
const waitsFor = (trigger: EventTrigger) => trigger.type === 'timer' || trigger.type === 'message';

/** Catch events an element instance owns: its boundary events, or the event-subprocess starts of a scope. */
function ownedCatchEvents(index: ModelIndex, elementId: string | null, role: ElementInstance['role']): string[] {
  const out: string[] = [];
  if (elementId !== null && role !== 'inner') {
    for (const id of index.element(elementId).boundaryEventIds) {
      const b = index.element(id);
      if (b.kind === 'boundaryEvent' && waitsFor(b.trigger)) out.push(id);
    }
  }
  const isScope = elementId === null || (role !== 'body' && ['subProcess', 'eventSubProcess'].includes(index.element(elementId).kind));
  if (isScope) {
    for (const child of index.children(elementId)) {
      if (child.kind !== 'eventSubProcess') continue;
      const start = index.children(child.id).find((e) => e.kind === 'startEvent');
      if (start && start.kind === 'startEvent' && waitsFor(start.trigger)) out.push(start.id);
    }
  }
  return out;
}

/** Problems of the mapping instructions alone (unknown source or target element, a source mapped twice). */
export function validateMapping(source: ProcessModel, target: ProcessModel, instructions: readonly MappingInstruction[]): MigrationRefusal[] {
  return checkInstructions(indexModel(source), indexModel(target), instructions);
}

function checkInstructions(source: ModelIndex, target: ModelIndex, instructions: readonly MappingInstruction[]): MigrationRefusal[] {
  const refusals: MigrationRefusal[] = [];
  const seen = new Set<string>();
  for (const m of instructions) {
    if (!source.hasElement(m.sourceElementId)) refusals.push({ elementId: m.sourceElementId, reason: `mapping: '${m.sourceElementId}' is not an element of the source version` });
    else if (!target.hasElement(m.targetElementId)) refusals.push({ elementId: m.sourceElementId, reason: `mapping: target '${m.targetElementId}' is not an element of the target version` });
    if (seen.has(m.sourceElementId)) refusals.push({ elementId: m.sourceElementId, reason: `mapping: '${m.sourceElementId}' is mapped more than once` });
    seen.add(m.sourceElementId);
  }
  return refusals;
}

/** What is wrong with mapping one live element instance; null when it maps. */
function checkInstance(source: ModelIndex, target: ModelIndex, map: Map<string, string>, inst: ElementInstance): string | null {
  const to = map.get(inst.elementId);
  if (to === undefined || !target.hasElement(to)) return `active element '${inst.elementId}' does not exist in the target version and is not mapped`;
  const from = source.element(inst.elementId);
  const def = target.element(to);
  if (from.kind !== def.kind || from.bpmnType !== def.bpmnType) return `'${inst.elementId}' (${from.bpmnType}) is mapped to '${to}' of another type (${def.bpmnType})`;
  if (Boolean(from.multiInstance) !== Boolean(def.multiInstance)) return `'${inst.elementId}' is mapped to '${to}' but only one of them is a multi-instance activity`;
  const expectedParent = from.parentId === null ? null : map.get(from.parentId) ?? null;
  if (def.parentId !== expectedParent) return `'${inst.elementId}' is mapped to '${to}' in another flow scope ('${def.parentId ?? target.model.id}' instead of '${expectedParent ?? target.model.id}')`;
  return null;
}

function scopeElement(index: ModelIndex, inst: ElementInstance): string | null {
  return inst.role === 'process' ? null : index.hasElement(inst.elementId) ? inst.elementId : null;
}

/** Maps an instance's state onto `target` (same process id), or gives every refusal with its element. */
export function migrate(source: ProcessModel, target: ProcessModel, state: State, instructions: readonly MappingInstruction[] = []): MigrationResult {
  const refusals: MigrationRefusal[] = [];
  const sourceIndex = indexModel(source);
  const targetIndex = indexModel(target);
  if (state.status !== 'active') return { ok: false, refusals: [{ elementId: source.id, reason: `the instance is ${state.status}` }] };
  if (state.processId !== source.id) throw new Error(`state of process '${state.processId}' migrated from model '${source.id}'`);
  if (source.id !== target.id) return { ok: false, refusals: [{ elementId: source.id, reason: `the target is process '${target.id}', not another version of '${source.id}'` }] };
  refusals.push(...checkInstructions(sourceIndex, targetIndex, instructions));
  if (refusals.length > 0) return { ok: false, refusals };
  const map = defaultMapping(source, target, instructions);
  const mapped: Array<{ elementInstanceKey: string; from: string; to: string }> = [];

  for (const key of Object.keys(state.instances)) {
    const inst = state.instances[key];
    if (inst?.listening) {
      // Its place in the listeners is an index into the source's (decision 0055).
      refusals.push({ elementId: inst.elementId, elementInstanceKey: key, reason: `'${inst.elementId}' is running its ${inst.listening.eventType} execution listeners; migrate once they have completed` });
      continue;
    }
    if (!inst || inst.role === 'process') continue;
    const problem = checkInstance(sourceIndex, targetIndex, map, inst);
    if (problem) refusals.push({ elementId: inst.elementId, elementInstanceKey: key, reason: problem });
    else mapped.push({ elementInstanceKey: key, from: inst.elementId, to: map.get(inst.elementId) ?? inst.elementId });
  }
  for (const key of Object.keys(state.waits)) {
    const wait = state.waits[key];
    if (!wait) continue;
    const to = map.get(wait.elementId);
    const ownerRefused = refusals.some((r) => r.elementInstanceKey === wait.ownerKey && r.elementId === wait.elementId);
    if ((to === undefined || !targetIndex.hasElement(to)) && !ownerRefused) {
      refusals.push({ elementId: wait.elementId, elementInstanceKey: wait.ownerKey, reason: `'${wait.elementId}' has an open ${wait.type === 'userTask' ? 'user task' : wait.type} but does not exist in the target version and is not mapped` });
    }
    if (wait.type === 'child') {
      refusals.push({ elementId: wait.elementId, elementInstanceKey: wait.ownerKey, reason: `call activity '${wait.elementId}' has a running child process; migrate once it has returned` });
    }
  }
  // Catch events the target adds to a live instance would need a subscription no one opened.
  for (const key of Object.keys(state.instances)) {
    const inst = state.instances[key];
    if (!inst) continue;
    const fromId = scopeElement(sourceIndex, inst);
    const toId = fromId === null ? null : map.get(fromId);
    if (toId === undefined || (toId !== null && !targetIndex.hasElement(toId))) continue;
    if (inst.role === 'inner' && fromId !== null && sourceIndex.element(fromId).kind !== 'subProcess') continue;
    const have = new Set(ownedCatchEvents(sourceIndex, fromId, inst.role).map((id) => map.get(id)));
    for (const id of ownedCatchEvents(targetIndex, toId, inst.role)) {
      if (!have.has(id)) refusals.push({ elementId: inst.elementId, elementInstanceKey: key, reason: `the target adds catch event '${id}' to active '${toId ?? target.id}'; migration opens no new subscription (map an existing one to it, or modify the instance after migrating)` });
    }
  }
  for (const join of state.joins) {
    const to = map.get(join.elementId);
    const def = to !== undefined && targetIndex.hasElement(to) ? targetIndex.element(to) : null;
    if (!def) {
      refusals.push({ elementId: join.elementId, reason: `join '${join.elementId}' holds tokens but does not exist in the target version and is not mapped` });
      continue;
    }
    for (const flowId of join.arrived) {
      if (!def.incoming.includes(flowId)) refusals.push({ elementId: join.elementId, reason: `join '${join.elementId}' holds a token of flow '${flowId}', which is not an incoming flow of '${to ?? ''}' in the target version` });
    }
  }
  const policies = new Set((target.sla?.policies ?? []).map((p) => p.id));
  for (const clock of state.sla?.clocks ?? []) {
    if (clock.stoppedAt === null && !policies.has(clock.policyId)) {
      refusals.push({ elementId: clock.elementId ?? source.id, reason: `SLA clock '${clock.clockKey}' is running but the target version has no policy '${clock.policyId}'` });
    }
  }
  if (refusals.length > 0) return { ok: false, refusals: dedupe(refusals) };
  return { ok: true, state: mappedState(target, targetIndex, state, map), mapped };
}

function dedupe(refusals: MigrationRefusal[]): MigrationRefusal[] {
  const seen = new Set<string>();
  return refusals.filter((r) => {
    const id = `${r.elementId}\u001f${r.elementInstanceKey ?? ''}\u001f${r.reason}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function mappedState(target: ProcessModel, targetIndex: ModelIndex, state: State, map: Map<string, string>): State {
  const next = cloneJson(state);
  const to = (id: string) => map.get(id) ?? id;
  for (const key of Object.keys(next.instances)) {
    const inst = next.instances[key];
    if (!inst || inst.role === 'process') continue;
    inst.elementId = to(inst.elementId);
    if (inst.role !== 'body') inst.elementType = (targetIndex.element(inst.elementId) as ElementDef).bpmnType;
  }
  for (const key of Object.keys(next.waits)) {
    const wait = next.waits[key];
    if (wait) wait.elementId = to(wait.elementId);
  }
  for (const join of next.joins) join.elementId = to(join.elementId);
  for (const id of Object.keys(next.incidents)) {
    const incident = next.incidents[id];
    if (incident) incident.elementId = to(incident.elementId);
  }
  if (next.sla) {
    for (const clock of next.sla.clocks) if (clock.elementId !== null) clock.elementId = to(clock.elementId);
    if (!target.sla && next.sla.clocks.every((c) => c.stoppedAt !== null)) delete next.sla;
  } else if (target.sla) {
    next.sla = { clocks: [] };
  }
  return next;
}
