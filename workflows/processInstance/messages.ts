/**
 * The workflow's public interface: a signal for messages, updates for everything an agent or
 * operator does (each with a validator, so a wrong id or bad variables never reach history),
 * and a query for the live view.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AdHocJobResult, MappingInstruction, ModificationInstruction, State, Variables } from '../../processes/evaluator';
import type { ProcessModel } from '../../processes/model';
import type { ActivatedJob, DefinitionRef, InstanceSnapshot, InstanceView } from './types';

export interface MessageDelivery {
  name: string;
  correlationKey?: string;
  variables?: Variables;
  /** Deliveries with an id already seen are ignored (at-least-once senders). */
  messageId?: string;
}

/** Hand a task to another group (its candidates, unassigned) or to one user. Exactly one of the two. */
export interface TaskTransfer {
  taskKey: string;
  toGroup?: string;
  toUser?: string;
}

export interface UpdateOutcome {
  accepted: boolean;
  reason?: string;
}

export const correlateMessageSignal = defineSignal<[MessageDelivery]>('correlateMessage');
export const claimTaskUpdate = defineUpdate<UpdateOutcome, [{ taskKey: string; assignee: string }]>('claimTask');
export const transferTaskUpdate = defineUpdate<UpdateOutcome, [TaskTransfer]>('transferTask');
export const unclaimTaskUpdate = defineUpdate<UpdateOutcome, [{ taskKey: string }]>('unclaimTask');
export const completeTaskUpdate = defineUpdate<UpdateOutcome, [{ taskKey: string; variables?: Variables }]>('completeTask');
/** `retries`: for a job's incident (JOB_NO_RETRIES of an external job), the retries it gets again. */
export const resolveIncidentUpdate = defineUpdate<UpdateOutcome, [{ incidentId: string; retries?: number }]>('resolveIncident');

/** Job API of external workers (externalJobs.ts); `jobKey` is the evaluator's key within this instance. */
export interface ActivateJobRequest { jobKey: string; type: string; worker: string; timeoutMs: number; fetchVariables?: string[] }
export const activateJobUpdate = defineUpdate<ActivatedJob, [ActivateJobRequest]>('activateJob');
/** `adHoc`: the result of the job of an ad-hoc subprocess in job-worker mode (decision 0046). */
export const completeJobUpdate = defineUpdate<UpdateOutcome, [{ jobKey: string; variables?: Variables; adHoc?: AdHocJobResult }]>('completeJob');
export const failJobUpdate = defineUpdate<UpdateOutcome, [{ jobKey: string; retries: number; errorMessage?: string; retryBackOffMs?: number }]>('failJob');
export const throwJobErrorUpdate = defineUpdate<UpdateOutcome, [{ jobKey: string; errorCode: string; errorMessage?: string; variables?: Variables }]>('throwJobError');
export const updateJobUpdate = defineUpdate<UpdateOutcome, [{ jobKey: string; retries?: number; timeoutMs?: number }]>('updateJob');
export const setVariablesUpdate = defineUpdate<UpdateOutcome, [{ variables: Variables }]>('setVariables');
export const instanceStateQuery = defineQuery<InstanceView>('instanceState');

/** Token modification by an operator (decision 0040): who and why go into the instance history. */
export interface ModificationRequest {
  instructions: ModificationInstruction[];
  actor: string;
  reason: string;
}
export const modifyInstanceUpdate = defineUpdate<UpdateOutcome, [ModificationRequest]>('modifyInstance');

/**
 * Migration to another version of the same process (decision 0041). Idempotent per
 * `migrationId`: a second delivery (a retried batch activity, a new run) answers `alreadyMigrated`.
 */
export interface MigrationRequest {
  migrationId: string;
  target: { definition: DefinitionRef; model: ProcessModel };
  mapping: MappingInstruction[];
  actor: string;
  reason: string;
}
export interface MigrationOutcome extends UpdateOutcome {
  alreadyMigrated?: boolean;
  from?: DefinitionRef;
  to?: DefinitionRef;
}
export const migrateInstanceUpdate = defineUpdate<MigrationOutcome, [MigrationRequest]>('migrateInstance');

/** The evaluator state and the version it runs, for the migration dry run (a query: nothing in history). */
export const evaluatorStateQuery = defineQuery<{ definition: DefinitionRef; state: State }>('evaluatorState');

/**
 * The projection snapshot of the instance's last step, for the read-model reconciler
 * (server/projections/reconciler.ts) when the sink's write of it may have been lost (a worker
 * or database crash): the view with the sequence it was projected under, no element events,
 * and why each task closed in this run (`closedTaskReasons`), so the reconciler can close what
 * the inbox still shows open. A query adds nothing to history.
 */
export interface ProjectionSnapshotAnswer extends InstanceSnapshot {
  closedTaskReasons: Record<string, 'completed' | 'canceled'>;
}
export const projectionSnapshotQuery = defineQuery<ProjectionSnapshotAnswer>('projectionSnapshot');

/** ApplicationFailure types thrown by validators; the HTTP layer maps them to status codes. */
export const RejectionType = {
  notFound: 'NotFound',
  conflict: 'Conflict',
  invalid: 'InvalidArgument',
  /** A migration the pure `migrate` refuses; details[0] holds the refusals with their element ids. */
  migrationRefused: 'MigrationRefused',
  /** The variables would bring the instance over what Temporal can carry (carriedSize.ts). */
  tooLarge: 'TooLarge',
} as const;
