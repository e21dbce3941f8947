import type { CallActivityDef, StartEventDef, SubProcessDef } from '../../model/types';
import { enterAdHoc } from '../adHoc';
import { evalString } from '../feelEval';
import { raiseIncident } from '../incidents';
import { enterElement } from '../instances';
import { nextKey } from '../run';
import type { Run, Trigger } from '../run';
import type { ElementInstance } from '../types';
import { visibleVariables } from '../variables';

/**
 * An embedded subprocess enters its none start event; an event subprocess enters the
 * start event that triggered it, handing on the trigger's payload.
 */
export function subProcess(run: Run, inst: ElementInstance, def: SubProcessDef, trigger: Trigger | null): void {
  if (def.adHoc !== undefined) {
    enterAdHoc(run, inst, def, def.adHoc);
    return;
  }
  const starts = run.index.children(def.id).filter((e): e is StartEventDef => e.kind === 'startEvent');
  const start =
    def.kind === 'eventSubProcess'
      ? starts.find((s) => s.id === inst.startEventId) ?? starts[0]
      : starts.find((s) => s.trigger.type === 'none');
  if (!start) throw new Error(`subprocess '${def.id}' has no start event to enter`);
  enterElement(run, inst.key, start, trigger ?? { variables: {} });
}

/** Starts the called process as a child; the adapter runs it as a child workflow. */
export function callActivity(run: Run, inst: ElementInstance, def: CallActivityDef): void {
  const processId = evalString(run, inst.key, def.calledProcessId, 'called process id');
  if (!processId.ok) {
    raiseIncident(run, inst, 'CALLED_ELEMENT_ERROR', processId.error, 'behaviour');
    return;
  }
  // Without propagation the child sees only the call activity's input mappings.
  const variables = def.propagateAllParentVariables ? visibleVariables(run, inst.key) : { ...inst.variables };
  const key = nextKey(run);
  run.state.waits[key] = { type: 'child', key, ownerKey: inst.key, elementId: def.id, processId: processId.value };
  run.commands.push({ type: 'startChildProcess', key, elementId: def.id, elementInstanceKey: inst.key, processId: processId.value, variables });
}
