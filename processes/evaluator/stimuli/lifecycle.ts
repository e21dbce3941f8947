import type { StartEventDef } from '../../model/types';
import { ownVariables } from '../json';
import { terminate } from '../lifecycle';
import { history, nextKey } from '../run';
import type { Run } from '../run';
import type { ElementInstance, Stimulus } from '../types';
import { ACCEPTED, rejected } from './outcome';
import type { Outcome } from './outcome';

type Of<T extends Stimulus['type']> = Extract<Stimulus, { type: T }>;

/** Chooses the process-level start event: the one named, else the none start event. */
function startEventFor(run: Run, id: string | undefined): StartEventDef | string {
  const starts = run.index.children(null).filter((e): e is StartEventDef => e.kind === 'startEvent');
  if (id !== undefined) return starts.find((s) => s.id === id) ?? `'${id}' is not a start event of process '${run.index.model.id}'`;
  return starts.find((s) => s.trigger.type === 'none') ?? `process '${run.index.model.id}' has no none start event; name one`;
}

export function start(run: Run, stimulus: Of<'start'>): Outcome {
  const startEvent = startEventFor(run, stimulus.startEventId);
  if (typeof startEvent === 'string') return rejected(startEvent);
  const root: ElementInstance = {
    key: nextKey(run),
    elementId: run.index.model.id,
    elementType: 'bpmn:Process',
    parentKey: null,
    role: 'process',
    variables: ownVariables(stimulus.variables),
    incidentId: null,
    startEventId: startEvent.id,
  };
  run.state.instances[root.key] = root;
  run.live += 1;
  run.state.rootKey = root.key;
  run.state.status = 'active';
  history(run, 'elementActivated', root);
  run.agenda.push({ op: 'activate', key: root.key, trigger: null });
  return ACCEPTED;
}

/** Cancels the whole instance: every token, job, timer, subscription, task and child. */
export function cancel(run: Run, _stimulus: Of<'cancel'>): Outcome {
  const root = run.state.rootKey === null ? undefined : run.state.instances[run.state.rootKey];
  if (!root) return rejected('no process instance to cancel');
  run.state.finalVariables = root.variables;
  terminate(run, root);
  run.state.status = 'terminated';
  run.commands.push({ type: 'processTerminated', time: run.time });
  return ACCEPTED;
}
