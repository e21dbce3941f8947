/**
 * The one workflow type that runs any deployed BPMN model: a thin adapter around the pure
 * evaluator. Everything that happens outside (activity results, timers, messages, agents'
 * updates) becomes a stimulus in an inbox; each stimulus is applied with `step`, and the
 * returned commands are carried out by `Effects`. The evaluator state is plain data, so
 * continue-as-new simply hands it to the next run.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  patched,
} from '@temporalio/workflow';
import { initialState, pendingTimers, type State } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import { applyStimulus } from './apply';
import { registerHandlers } from './handlers';
import { InstanceRun, type PendingMigration } from './instanceRun';
import { DEFAULT_EXECUTION_LIMITS } from './limits';
import { migrateNow } from './migration';
import { carriedInputBytes, carryRefusal } from './carriedSize';
import { BOUNDED_EXECUTION, CARRIED_STATE_SIZE, FEEL_NULL_FRIENDLY, SLA_CLOCKS } from './patches';
import type { ProcessInstanceInput, ProcessInstanceResult } from './types';
import { instanceStatus } from './view';

/**
 * One run: the state holder (instanceRun.ts) with its handlers (handlers.ts), then the main
 * loop — apply the inbox one stimulus at a time (apply.ts), migrate when an accepted migration
 * finds the instance idle (migration.ts), continue as new when Temporal suggests it and
 * nothing is in flight (unless the input is too large to carry: an incident, carriedSize.ts)
 * — until the instance completes or is canceled.
 */
export async function processInstance(input: ProcessInstanceInput): Promise<ProcessInstanceResult> {
  const { carried } = input;
  const model = input.model.sla && !patched(SLA_CLOCKS) ? withoutSla(input.model) : input.model;
  const limits = patched(BOUNDED_EXECUTION) ? input.limits ?? DEFAULT_EXECUTION_LIMITS : null;
  let state: State = carried?.state ?? initialState(model);
  if (!carried && !patched(FEEL_NULL_FRIENDLY)) state = { ...state, feelMode: 'strict' };
  const run = new InstanceRun(input, model, limits, state);
  const { effects, inbox } = run;
  registerHandlers(run);

  try {
    if (carried) {
      for (const timer of pendingTimers(run.state)) effects.rearmTimer(timer.key, timer.dueAt);
      for (const job of carried.deferredJobs ?? []) effects.run(job);
      run.project();
    } else {
      applyStimulus(run, { type: 'start', variables: input.variables ?? {}, startEventId: input.startEventId });
    }
    while (!run.finished()) {
      run.checkDeferring();
      await condition(() => inbox.length > 0 || run.mayContinueAsNew() || run.mayMigrate());
      run.checkDeferring();
      const next = inbox.shift();
      if (!next && run.migration !== null && run.mayMigrate()) {
        await migrateNow(run, run.migration);
        continue;
      }
      if (!next) {
        await condition(allHandlersFinished);
        if (!run.mayContinueAsNew()) continue;
        const nextRun = run.continueAsNewInput();
        const refusal = carryRefusal(carriedInputBytes(nextRun));
        if (refusal !== null && patched(CARRIED_STATE_SIZE)) {
          run.holdCarry(refusal);
          continue;
        }
        return await continueAsNew<typeof processInstance>(nextRun);
      }
      const result = applyStimulus(run, next.body);
      run.outcomes.set(next.ticket, { accepted: result.accepted, ...(result.reason ? { reason: result.reason } : {}) });
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(async () => {
      run.canceled = true;
      effects.cancelAll();
      applyStimulus(run, { type: 'cancel' });
    });
    throw err;
  }
  // A signal thrown by the last step (an end event) is broadcast before the instance ends.
  if (effects.broadcasting) await condition(() => !effects.broadcasting);
  // A migration that waited for an idle moment the instance never had: it ended first.
  const unsettled = run.migration as PendingMigration | null;
  if (unsettled !== null) unsettled.outcome ??= { accepted: false, reason: `the instance ended (${run.state.status}) before it could migrate` };
  await condition(allHandlersFinished);
  const status = instanceStatus(run.state, run.canceled);
  if (status !== 'completed' && status !== 'terminated') {
    throw ApplicationFailure.nonRetryable(`instance ended in status ${status}`);
  }
  return { status, variables: run.state.finalVariables ?? {} };
}

function withoutSla(model: ProcessModel): ProcessModel {
  const { sla: _sla, ...rest } = model;
  return rest;
}
