import { indexModel } from '../model/indexModel';
import type { ProcessModel } from '../model/types';
import { fireReadyInclusiveJoins } from './flow';
import { DISPATCH } from './dispatch';
import { cloneJson } from './json';
import { activate, completeScope } from './lifecycle';
import type { Run } from './run';
import { followClocks, isSlaTimerKey, slaTimerFired } from './sla/clocks';
import { STIMULI } from './stimuli';
import type { StimulusHandler } from './stimuli/outcome';
import type { EvaluatorLimits } from './limits';
import type { State, StepResult, Stimulus, StimulusType } from './types';

/** The state of an instance that has not started yet. */
export function initialState(model: ProcessModel): State {
  return {
    schemaVersion: 1,
    processId: model.id,
    status: 'ready',
    nextKey: 1,
    time: 0,
    rootKey: null,
    instances: {},
    waits: {},
    joins: [],
    incidents: {},
    finalVariables: null,
  };
}

/**
 * Applies one stimulus. Pure: the input state is not modified; the result holds the
 * next state and the commands for the adapter, in the order they must be carried out.
 * Runtime data problems become incidents; only programming errors (a model that the
 * compiler should have rejected, a state from another process) throw.
 *
 * `handOver`: the caller gives the state up (the what-if simulator, which keeps only the
 * latest): it is changed in place instead of copied first. Never for a workflow's state.
 */
export function step(model: ProcessModel, state: State, stimulus: Stimulus, limits: EvaluatorLimits | null = null, handOver = false): StepResult {
  if (state.processId !== model.id) {
    throw new Error(`state of process '${state.processId}' stepped with model '${model.id}'`);
  }
  const expected = stimulus.type === 'start' ? 'ready' : 'active';
  if (state.status !== expected) {
    return { state, commands: [], accepted: false, reason: `instance is ${state.status}` };
  }
  const run: Run = {
    index: indexModel(model),
    dispatch: DISPATCH,
    state: handOver ? state : cloneJson(state),
    commands: [],
    agenda: [],
    agendaHead: 0,
    time: stimulus.time,
    inclusiveDirty: false,
    limits,
    activations: 0,
    live: 0,
  };
  if (limits) run.live = Object.keys(run.state.instances).length;
  run.state.time = stimulus.time;
  const handler = STIMULI[stimulus.type] as StimulusHandler<StimulusType>;
  const outcome = stimulus.type === 'timerFired' && isSlaTimerKey(stimulus.key)
    ? slaTimerFired(run, stimulus.key) ? { accepted: true as const } : { accepted: false as const, reason: `no pending SLA timer with key '${stimulus.key}'` }
    : handler(run, stimulus as never);
  if (!outcome.accepted) return { state, commands: [], ...outcome };
  drain(run);
  followClocks(run, model, 0);
  return { state: run.state, commands: run.commands, accepted: true };
}

/** Runs queued work to quiescence, then fires inclusive joins that became ready. */
function drain(run: Run): void {
  for (;;) {
    while (run.agendaHead < run.agenda.length) {
      const item = run.agenda[run.agendaHead];
      run.agendaHead += 1;
      if (!item) continue;
      if (item.op === 'activate') activate(run, item.key, item.trigger);
      else completeScope(run, item.key);
    }
    if (!run.inclusiveDirty || run.state.joins.length === 0) return;
    run.inclusiveDirty = false;
    if (!fireReadyInclusiveJoins(run)) return;
  }
}

/** Convenience: a fresh instance started with `variables` at `time`. */
export function start(
  model: ProcessModel,
  options: { time: number; variables?: Record<string, unknown>; startEventId?: string },
  limits: EvaluatorLimits | null = null,
): StepResult {
  return step(model, initialState(model), { type: 'start', ...options }, limits);
}
