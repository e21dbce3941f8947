/**
 * The activity interface the process-instance workflow calls (types only, so the workflow
 * bundle never pulls in integration code).
 */
import type { ProcessModel } from '../processes/model';

export interface JobRequest {
  taskType: string;
  elementId: string;
  /** The evaluator's job key; with the workflow id it forms the idempotency key. */
  jobKey: string;
  workflowId: string;
  /** The job's input variables after input mappings. */
  variables: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface JobResult {
  variables: Record<string, unknown>;
}

export interface CalledProcess {
  definition: { key: string; version: number };
  model: ProcessModel;
  jobProfiles: Record<string, { startToCloseTimeoutMs: number; initialIntervalMs?: number; backoffCoefficient?: number }>;
}

export interface JobActivities {
  runJob(request: JobRequest): Promise<JobResult>;
  /** The latest deployed version of a called process, at the moment the call activity starts. */
  resolveCalledProcess(processId: string): Promise<CalledProcess>;
}
