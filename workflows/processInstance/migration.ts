/**
 * An accepted migration (decision 0041) once the instance is idle: the evaluator maps the
 * state as it is now; a refusal answers the update and the run goes on, a success records a
 * `migrated` event and continues as new with the target version's model. That input is weighed
 * before anything changes (decision 0056): one Temporal would refuse is a refusal too.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, patched, workflowInfo } from '@temporalio/workflow';
import { migrate, type State } from '../../processes/evaluator';
import { workflowNow } from '../clock';
import { BPMN_PROCESS_VERSION } from '../searchAttributes';
import { carriedInputBytes, migrationCarryRefusal } from './carriedSize';
import type { InstanceRun, PendingMigration } from './instanceRun';
import type { MigrationRequest } from './messages';
import { auditEvent, remapExternalJobs, REMEMBERED_MIGRATIONS } from './operations';
import { INSTANCE_MIGRATION, MIGRATION_CARRIED_SIZE } from './patches';
import type { ProcessInstanceInput, ProcessInstanceResult } from './types';

/** Returns 'refused' when the state cannot be mapped or carried (the run goes on); otherwise it continues as new and never returns. */
export async function migrateNow(run: InstanceRun, pending: PendingMigration): Promise<'refused'> {
  const { request } = pending;
  const { model, input } = run;
  // The state may have moved on since the update was accepted: map what is there now.
  const mapped = migrate(model, request.target.model, run.state, request.mapping);
  if (!mapped.ok) return refuse(run, pending, mapped.refusals.map((r) => `'${r.elementId}': ${r.reason}`).join('; '));
  const from = input.definition;
  const to = request.target.definition;
  const next = migratedInput(run, request, mapped.state);
  const tooLarge = migrationCarryRefusal(carriedInputBytes(next), from.version, to.version);
  if (tooLarge !== null && patched(MIGRATION_CARRIED_SIZE)) return refuse(run, pending, tooLarge);
  patched(INSTANCE_MIGRATION);
  run.state = mapped.state;
  run.project([auditEvent(run.eventCount++, model, 'migrated', workflowNow(), request.actor, request.reason,
    `migrated from version ${from.version} to ${to.version} (migration ${request.migrationId}; ${mapped.mapped.length} element instances mapped)`)]);
  pending.outcome = { accepted: true, from, to };
  run.migrations.push(request.migrationId);
  if (run.migrations.length > REMEMBERED_MIGRATIONS) run.migrations.shift();
  await condition(allHandlersFinished);
  // The input itself is carried as it is once the handlers finished, as before the weighing.
  const carriedOn = run.carry();
  for (const job of carriedOn.deferredJobs ?? []) job.elementId = run.state.waits[job.key]?.elementId ?? job.elementId;
  if (carriedOn.externalJobs) carriedOn.externalJobs = remapExternalJobs(carriedOn.externalJobs, run.state);
  return await makeContinueAsNewFunc<(input: ProcessInstanceInput) => Promise<ProcessInstanceResult>>({
    typedSearchAttributes: workflowInfo().typedSearchAttributes.updateCopy([{ key: BPMN_PROCESS_VERSION, value: to.version }]),
  })({ ...input, definition: to, model: request.target.model, variables: undefined, carried: carriedOn });
}

/**
 * What the next run's input will weigh once this migration is applied, built before it is:
 * what `carry()` gives after the lines above (the mapped state, the `migrated` event counted,
 * its projection's sequence, the migration remembered), with the jobs held back and the
 * external jobs at their mapped elements, under the target's definition and model. Nothing in
 * the run changes, so a refusal leaves it as it was. Only weighed: the input continued with is
 * built as before, after the handlers finished (what they change is a few bytes at most).
 */
function migratedInput(run: InstanceRun, request: MigrationRequest, state: State): ProcessInstanceInput {
  const carried = run.carry();
  const migrations = [...run.migrations, request.migrationId].slice(-REMEMBERED_MIGRATIONS);
  const { deferredJobs, externalJobs } = carried;
  return {
    ...run.input, definition: request.target.definition, model: request.target.model, variables: undefined,
    carried: {
      ...carried, state, sequence: carried.sequence + 1, eventCount: carried.eventCount + 1, migrations,
      ...(deferredJobs ? { deferredJobs: deferredJobs.map((job) => ({ ...job, elementId: state.waits[job.key]?.elementId ?? job.elementId })) } : {}),
      ...(externalJobs ? { externalJobs: remapExternalJobs(externalJobs, state) } : {}),
    },
  };
}

/** Answers the update with the reason and goes on on this version; the run's state, model and events are untouched. */
function refuse(run: InstanceRun, pending: PendingMigration, reason: string): 'refused' {
  pending.outcome = { accepted: false, reason };
  run.migration = null;
  // The jobs held back for the next run: there is none now, unless Temporal suggests one.
  if (!workflowInfo().continueAsNewSuggested) {
    run.deferring = false;
    for (const job of run.deferredJobs.splice(0)) run.effects.run(job);
  }
  return 'refused';
}
