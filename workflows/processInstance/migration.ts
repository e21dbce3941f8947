/**
 * An accepted migration (decision 0041) once the instance is idle: the evaluator maps the
 * state as it is now; a refusal answers the update and the run goes on, a success records a
 * `migrated` event and continues as new with the target version's model.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, patched, workflowInfo } from '@temporalio/workflow';
import { migrate } from '../../processes/evaluator';
import { workflowNow } from '../clock';
import { BPMN_PROCESS_VERSION } from '../searchAttributes';
import type { InstanceRun, PendingMigration } from './instanceRun';
import { auditEvent, remapExternalJobs, REMEMBERED_MIGRATIONS } from './operations';
import { INSTANCE_MIGRATION } from './patches';
import type { ProcessInstanceInput, ProcessInstanceResult } from './types';

/** Returns 'refused' when the state cannot be mapped (the run goes on); otherwise it continues as new and never returns. */
export async function migrateNow(run: InstanceRun, pending: PendingMigration): Promise<'refused'> {
  const { request } = pending;
  const { model, input } = run;
  // The state may have moved on since the update was accepted: map what is there now.
  const mapped = migrate(model, request.target.model, run.state, request.mapping);
  if (!mapped.ok) {
    pending.outcome = { accepted: false, reason: mapped.refusals.map((r) => `'${r.elementId}': ${r.reason}`).join('; ') };
    run.migration = null;
    // The jobs held back for the next run: there is none now, unless Temporal suggests one.
    if (!workflowInfo().continueAsNewSuggested) {
      run.deferring = false;
      for (const job of run.deferredJobs.splice(0)) run.effects.run(job);
    }
    return 'refused';
  }
  patched(INSTANCE_MIGRATION);
  run.state = mapped.state;
  const from = input.definition;
  const to = request.target.definition;
  run.project([auditEvent(run.eventCount++, model, 'migrated', workflowNow(), request.actor, request.reason,
    `migrated from version ${from.version} to ${to.version} (migration ${request.migrationId}; ${mapped.mapped.length} element instances mapped)`)]);
  pending.outcome = { accepted: true, from, to };
  run.migrations.push(request.migrationId);
  if (run.migrations.length > REMEMBERED_MIGRATIONS) run.migrations.shift();
  await condition(allHandlersFinished);
  const carriedOn = run.carry();
  for (const job of carriedOn.deferredJobs ?? []) job.elementId = run.state.waits[job.key]?.elementId ?? job.elementId;
  if (carriedOn.externalJobs) carriedOn.externalJobs = remapExternalJobs(carriedOn.externalJobs, run.state);
  return await makeContinueAsNewFunc<(input: ProcessInstanceInput) => Promise<ProcessInstanceResult>>({
    typedSearchAttributes: workflowInfo().typedSearchAttributes.updateCopy([{ key: BPMN_PROCESS_VERSION, value: to.version }]),
  })({ ...input, definition: to, model: request.target.model, variables: undefined, carried: carriedOn });
}
