import type { BoundaryEventDef, StartEventDef, SubProcessDef } from '../model/types';
import { enterElement } from './instances';
import type { Run, Trigger } from './run';
import { elementOf, eventSubprocessesOf, isScopeInstance, scopeElementId } from './scopes';
import type { ElementInstance } from './types';
import { triggerEventSubprocess } from './eventSubprocess';

type ThrowKind = 'error' | 'escalation';

type Catcher =
  | { kind: 'boundary'; host: ElementInstance; def: BoundaryEventDef }
  | { kind: 'eventSubprocess'; scope: ElementInstance; esp: SubProcessDef; start: StartEventDef };

function codeOf(trigger: BoundaryEventDef['trigger']): string | undefined | null {
  if (trigger.type === 'error') return trigger.errorCode;
  if (trigger.type === 'escalation') return trigger.escalationCode;
  return null;
}

/** A catch with this exact code wins over a catch-all (no code) at the same level. */
function pick<T extends { trigger: BoundaryEventDef['trigger'] }>(kind: ThrowKind, code: string, candidates: T[]): T | undefined {
  const matching = candidates.filter((c) => c.trigger.type === kind);
  return matching.find((c) => codeOf(c.trigger) === code) ?? matching.find((c) => codeOf(c.trigger) === undefined);
}

/**
 * Looks for the catch of an error or escalation from `from` outwards: in each scope
 * first its event subprocesses, then the boundary events of the activity itself, as
 * Zeebe does. Multi-instance inner instances defer to the boundary events of their body.
 */
function findCatcher(run: Run, from: ElementInstance, kind: ThrowKind, code: string): Catcher | null {
  let current: ElementInstance | undefined = from;
  while (current) {
    if (isScopeInstance(run, current) && !current.interrupted) {
      const starts = eventSubprocessesOf(run, scopeElementId(current)).map((x) => ({ ...x, trigger: x.start.trigger }));
      const hit = pick(kind, code, starts);
      if (hit) return { kind: 'eventSubprocess', scope: current, esp: hit.esp, start: hit.start };
    }
    const def = elementOf(run, current);
    if (def && (current.role === 'element' || current.role === 'body')) {
      const boundaries = def.boundaryEventIds
        .map((id) => run.index.element(id))
        .filter((b): b is BoundaryEventDef => b.kind === 'boundaryEvent');
      const hit = pick(kind, code, boundaries);
      if (hit) return { kind: 'boundary', host: current, def: hit };
    }
    current = current.parentKey === null ? undefined : run.state.instances[current.parentKey];
  }
  return null;
}

/**
 * Throws a BPMN error or escalation from `from`. Returns false when nothing catches it
 * (an error then becomes an incident at the thrower; an escalation is simply dropped).
 */
export function throwEvent(run: Run, from: ElementInstance, kind: ThrowKind, code: string, trigger: Trigger): boolean {
  const catcher = findCatcher(run, from, kind, code);
  if (!catcher) return false;
  if (catcher.kind === 'eventSubprocess') {
    triggerEventSubprocess(run, catcher.scope, catcher.esp, catcher.start, trigger);
    return true;
  }
  const scopeKey = catcher.host.parentKey;
  if (scopeKey === null) throw new Error('boundary host without a scope');
  if (catcher.def.interrupting) run.dispatch.terminate(run, catcher.host);
  enterElement(run, scopeKey, catcher.def, trigger);
  return true;
}
