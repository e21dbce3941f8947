/**
 * A recorded stimulus carried over to the target version's replay. Keys are the instance's
 * own (a task key, a timer key): the target's replay hands out its own keys, so a keyed
 * stimulus is found again by what it belongs to — the same kind of wait (or incident, or
 * element instance) at the mapped element, the n-th of its kind there as in the recorded
 * run. Messages, signals and the start (its start event mapped) carry over as they are.
 */
import type { ModificationInstruction, State, Wait } from '../evaluator';
import type { StimulusBody } from './recorded';

export type Translation = { body: StimulusBody } | { elementId: string; message: string };

const byKey = (a: { key: string }, b: { key: string }) => {
  const x = Number(a.key);
  const y = Number(b.key);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
};

const WAIT_NAMES: Record<Wait['type'], string> = {
  job: 'job', timer: 'timer', message: 'message subscription', signal: 'signal subscription', userTask: 'user task', child: 'called process',
};

/** The element a stimulus of the recorded run concerns (for reports), or null. */
export function stimulusElement(state: State, body: StimulusBody): string | null {
  switch (body.type) {
    case 'jobCompleted': case 'jobFailed': case 'jobThrewError': case 'timerFired':
    case 'userTaskCompleted': case 'childCompleted': case 'childFailed':
      return state.waits[body.key]?.elementId ?? slaTimerElement(state, body) ?? null;
    case 'resolveIncident':
      return state.incidents[body.incidentId]?.elementId ?? null;
    case 'start':
      return body.startEventId ?? null;
    default:
      return null;
  }
}

function slaTimerElement(state: State, body: StimulusBody): string | null {
  if (body.type !== 'timerFired') return null;
  const clock = state.sla?.clocks.find((c) => c.timer?.key === body.key);
  return clock ? clock.elementId ?? state.processId : null;
}

/** A short description of a stimulus for the report: its type and element. */
export function describeStimulus(state: State, body: StimulusBody): string {
  const element = stimulusElement(state, body);
  if (body.type === 'messageReceived' || body.type === 'signalReceived') return `${body.type} '${body.name}'`;
  return element ? `${body.type} at '${element}'` : body.type;
}

/** The target's wait that corresponds to the source's wait `key`, or why there is none. */
function matchWait(source: State, target: State, map: ReadonlyMap<string, string>, key: string): { key: string } | { elementId: string; message: string } {
  const wait = source.waits[key];
  if (!wait) {
    // An SLA clock's timer: its key names the clock, the same in both versions when the policy is kept.
    const sla = target.sla?.clocks.some((c) => c.timer?.key === key);
    return sla ? { key } : { elementId: source.processId, message: `the target has no pending SLA timer '${key}'` };
  }
  const to = map.get(wait.elementId) ?? wait.elementId;
  const same = (w: Wait | undefined, elementId: string) => w !== undefined && w.type === wait.type && w.elementId === elementId;
  const ordinal = Object.values(source.waits).filter((w) => same(w, wait.elementId)).sort(byKey).findIndex((w) => w.key === key);
  const candidates = Object.values(target.waits).filter((w) => same(w, to)).sort(byKey);
  const match = candidates[ordinal] ?? null;
  if (match) return { key: match.key };
  return { elementId: wait.elementId, message: `the recorded ${WAIT_NAMES[wait.type]} at '${wait.elementId}' has no counterpart at '${to}' in the target (it has ${candidates.length} there)` };
}

/** The target's element instance that corresponds to the source's instance `key`. */
function matchInstance(source: State, target: State, map: ReadonlyMap<string, string>, key: string): { key: string } | { elementId: string; message: string } {
  const inst = source.instances[key];
  if (!inst) return { elementId: source.processId, message: `the recorded element instance '${key}' is not live` };
  if (inst.role === 'process') return target.rootKey === null ? { elementId: inst.elementId, message: 'the target has no process instance' } : { key: target.rootKey };
  const to = map.get(inst.elementId) ?? inst.elementId;
  const ordinal = Object.values(source.instances).filter((i) => i.elementId === inst.elementId && i.role === inst.role).sort(byKey).findIndex((i) => i.key === key);
  const match = Object.values(target.instances).filter((i) => i.elementId === to && i.role === inst.role).sort(byKey)[ordinal];
  return match ? { key: match.key } : { elementId: inst.elementId, message: `the recorded instance of '${inst.elementId}' has no counterpart at '${to}' in the target` };
}

function translateModification(source: State, target: State, map: ReadonlyMap<string, string>, instructions: ModificationInstruction[]): Translation {
  const out: ModificationInstruction[] = [];
  for (const i of instructions) {
    if (i.type === 'activate') {
      const elementId = map.get(i.elementId) ?? i.elementId;
      let ancestor: string | undefined;
      if (i.ancestorElementInstanceKey !== undefined) {
        const m = matchInstance(source, target, map, i.ancestorElementInstanceKey);
        if (!('key' in m)) return m;
        ancestor = m.key;
      }
      const variableInstructions = i.variableInstructions?.map((v) => (v.scopeId === undefined ? v : { ...v, scopeId: map.get(v.scopeId) ?? v.scopeId }));
      out.push({ ...i, elementId, ...(ancestor !== undefined ? { ancestorElementInstanceKey: ancestor } : {}), ...(variableInstructions ? { variableInstructions } : {}) });
    } else if ('elementInstanceKey' in i) {
      const m = matchInstance(source, target, map, i.elementInstanceKey);
      if (!('key' in m)) return m;
      out.push({ type: 'terminate', elementInstanceKey: m.key });
    } else {
      out.push({ type: 'terminate', elementId: map.get(i.elementId) ?? i.elementId });
    }
  }
  return { body: { type: 'modify', instructions: out } };
}

/** `body`, applied to the source state `source`, as the target's replay (state `target`) must receive it. */
export function translate(source: State, target: State, map: ReadonlyMap<string, string>, body: StimulusBody): Translation {
  switch (body.type) {
    case 'jobCompleted': case 'jobFailed': case 'jobThrewError': case 'timerFired':
    case 'userTaskCompleted': case 'childCompleted': case 'childFailed': {
      const m = matchWait(source, target, map, body.key);
      return 'key' in m ? { body: { ...body, key: m.key } } : m;
    }
    case 'resolveIncident': {
      const incident = source.incidents[body.incidentId];
      if (!incident) return { elementId: source.processId, message: `the recorded incident '${body.incidentId}' is not open` };
      const to = map.get(incident.elementId) ?? incident.elementId;
      const match = Object.values(target.incidents).find((i) => i.elementId === to);
      return match ? { body: { ...body, incidentId: match.id } } : { elementId: incident.elementId, message: `the recorded incident at '${incident.elementId}' has no counterpart at '${to}' in the target` };
    }
    case 'setVariables': {
      if (body.scopeKey === undefined) return { body };
      const m = matchInstance(source, target, map, body.scopeKey);
      return 'key' in m ? { body: { ...body, scopeKey: m.key } } : m;
    }
    case 'modify':
      return translateModification(source, target, map, body.instructions);
    case 'start':
      return { body: body.startEventId === undefined ? body : { ...body, startEventId: map.get(body.startEventId) ?? body.startEventId } };
    default:
      return { body };
  }
}
