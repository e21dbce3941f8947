/**
 * The contract between the workflow adapter and the one generic job activity, `runJob`.
 * Workflow-safe: only pure data and types are imported, so the adapter can use
 * `proxyActivities<JobActivities>(jobActivityOptions(job.type, job.retries))`.
 */
import type { ActivityOptions } from '@temporalio/common';
import { findManifest } from './catalog/manifests';
import type { IntegrationDefaults } from './catalog/types';

export interface JobRequest {
  /** `zeebe:taskDefinition type`. */
  taskType: string;
  elementId: string;
  /** This job's key (a retried incident issues a new one). */
  jobKey: string;
  /**
   * The key of the element instance (activation) the job belongs to: stable across the jobs a
   * resolved incident reissues, new for each activation (loop, multi-instance). When given,
   * it makes the idempotency key instead of `jobKey`, so a retried incident does not repeat
   * its side effects (absent in histories before patch `job-idempotency-per-activation`).
   */
  activationKey?: string;
  workflowId: string;
  /** The job's input variables after input mappings. */
  variables: Record<string, unknown>;
  /** Static `zeebe:taskHeader` values. */
  headers: Record<string, string>;
}

export interface JobResult {
  /** Variables to apply through the task's output mappings. */
  variables: Record<string, unknown>;
  /**
   * The job's key, on results of local activities only: their history marker names the
   * activity by a sequence number, so the replay dry run reads the job from here (decision 0061).
   */
  jobKey?: string;
}

export interface JobActivities {
  runJob(request: JobRequest): Promise<JobResult>;
}

/** How one runJob attempt ended, for metrics: a fixed set, never an error message. */
export type JobOutcome = 'ok' | 'bpmn_error' | 'permanent_error' | 'retryable_error' | 'canceled' | 'invalid_input' | 'invalid_output' | 'unknown_task_type';

/** Told of every runJob attempt (the service passes its metrics; activities never import server code). */
export type JobObserver = (taskType: string, outcome: JobOutcome, seconds: number) => void;

/** ApplicationFailure types runJob raises itself; integrations add their own (HttpClientError, …). */
export const JobFailureType = {
  /** details[0] = { errorCode, message, variables }: to be thrown as a BPMN error in the process. */
  BpmnError: 'BpmnError',
  /** details[0] = { issues: [{ path, message }] }. */
  InvalidInput: 'InvalidInput',
  InvalidOutput: 'InvalidOutput',
  UnknownTaskType: 'UnknownTaskType',
} as const;

/** Used for a type missing from the catalog; runJob then fails with UnknownTaskType anyway. */
const FALLBACK: IntegrationDefaults = { startToCloseTimeoutMs: 60_000, retries: 3 };

/** Whether jobs of this type run as local activities (their integration's `local`, decision 0061). */
export function runsLocally(taskType: string): boolean {
  return findManifest(taskType)?.defaults.local === true;
}

/**
 * proxyActivities options for a job: the integration's timeout and backoff, and
 * `modelRetries` (the diagram's `retries`) as total attempts, else the integration's default.
 */
export function jobActivityOptions(taskType: string, modelRetries?: number): ActivityOptions {
  const defaults = findManifest(taskType)?.defaults ?? FALLBACK;
  // Temporal reads maximumAttempts 0 as "unlimited"; Zeebe's retries 0 means "no attempt left".
  const attempts = Math.max(1, Math.floor(modelRetries ?? defaults.retries));
  return {
    startToCloseTimeout: defaults.startToCloseTimeoutMs,
    retry: {
      maximumAttempts: attempts,
      initialInterval: defaults.retryInitialIntervalMs ?? 1_000,
      backoffCoefficient: defaults.retryBackoff ?? 2,
      nonRetryableErrorTypes: Object.values(JobFailureType),
    },
  };
}
