/**
 * The one generic activity behind every service task: look the integration up, validate
 * its input, run it, validate its output, and translate failures for the workflow:
 * BpmnError -> non-retryable `BpmnError`; PermanentError -> non-retryable (incident);
 * TransientError and anything else -> retried per jobActivityOptions.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { z } from 'zod';
import { findIntegration } from './catalog';
import { BpmnError, PermanentError, TransientError } from './catalog/errors';
import type { Integration, IntegrationDeps } from './catalog/types';
import type { JobActivities, JobObserver, JobOutcome, JobRequest, JobResult } from './jobContract';
import { JobFailureType } from './jobContract';

export type { JobRequest, JobResult, JobActivities, JobObserver, JobOutcome } from './jobContract';
export { jobActivityOptions, JobFailureType } from './jobContract';

const HEARTBEAT_MS = 5_000;

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Paths and messages only: zod messages do not echo values, which may be personal data. */
function validationFailure(type: string, what: string, error: z.ZodError): ApplicationFailure {
  const issues = error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return ApplicationFailure.create({
    type,
    nonRetryable: true,
    message: `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    details: [{ issues }],
  });
}

function toFailure(err: unknown): unknown {
  if (err instanceof BpmnError) {
    return ApplicationFailure.create({
      type: JobFailureType.BpmnError,
      nonRetryable: true,
      message: err.message,
      details: [{ errorCode: err.errorCode, message: err.message, variables: err.variables }],
    });
  }
  if (err instanceof PermanentError) {
    return ApplicationFailure.create({ type: err.type, nonRetryable: true, message: err.message, details: err.details ? [err.details] : [] });
  }
  if (err instanceof TransientError) {
    const { retryAfterMs, details } = err.options;
    return ApplicationFailure.create({
      type: err.type,
      nonRetryable: false,
      message: err.message,
      details: details ? [details] : [],
      ...(retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
    });
  }
  // Cancellation (the signal's reason) and SDK failures pass through; anything else is retried as it is.
  return err;
}

/** The metrics outcome of what runJob throws (after toFailure). */
export function jobOutcome(failure: unknown, canceled: boolean): JobOutcome {
  if (canceled) return 'canceled';
  if (failure instanceof ApplicationFailure) {
    if (failure.type === JobFailureType.BpmnError) return 'bpmn_error';
    if (failure.type === JobFailureType.InvalidInput) return 'invalid_input';
    if (failure.type === JobFailureType.InvalidOutput) return 'invalid_output';
    if (failure.type === JobFailureType.UnknownTaskType) return 'unknown_task_type';
    return failure.nonRetryable ? 'permanent_error' : 'retryable_error';
  }
  return 'retryable_error';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface JobActivityOptions {
  /** Replaces the catalog lookup (tests run integrations that are not in the catalog). */
  integrations?: readonly Integration[];
  /** Told of every attempt's task type, outcome and duration (metrics). */
  observe?: JobObserver;
}

export function createJobActivities(deps: IntegrationDeps, options: JobActivityOptions = {}): JobActivities {
  const lookup = (type: string) =>
    options.integrations ? options.integrations.find((i) => i.type === type) : findIntegration(type);

  const run = runJobOnce(deps, lookup);
  const observe = options.observe;
  if (!observe) return { runJob: run };
  return {
    async runJob(request: JobRequest): Promise<JobResult> {
      const start = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - start) / 1e9;
      try {
        const result = await run(request);
        observe(request.taskType, 'ok', seconds());
        return result;
      } catch (err) {
        observe(request.taskType, jobOutcome(err, Context.current().cancellationSignal.aborted), seconds());
        throw err;
      }
    },
  };
}

/** Stable across attempts of a job and, since patch `job-idempotency-per-activation`, across the jobs of one activation. */
export const idempotencyKeyOf = (request: Pick<JobRequest, 'workflowId' | 'jobKey' | 'activationKey'>) =>
  request.activationKey === undefined ? `${request.workflowId}:${request.jobKey}` : `${request.workflowId}:activation-${request.activationKey}`;

function runJobOnce(deps: IntegrationDeps, lookup: (type: string) => Integration | undefined) {
  const attempt = runAttempt(deps, lookup);
  return async function runJob(request: JobRequest): Promise<JobResult> {
    if (!Context.current().info.isLocal) return attempt(request);
    try {
      return { ...await attempt(request), jobKey: request.jobKey };
    } catch (err) {
      throw withJobKey(err, request.jobKey);
    }
  };
}

function runAttempt(deps: IntegrationDeps, lookup: (type: string) => Integration | undefined) {
  return async function attempt(request: JobRequest): Promise<JobResult> {
    const context = Context.current();
    const { taskType, elementId, jobKey } = request;
    const where = `'${taskType}' at element '${elementId}'`;
    const integration = lookup(taskType);
    if (!integration) {
      throw ApplicationFailure.create({
        type: JobFailureType.UnknownTaskType,
        nonRetryable: true,
        message: `no integration for task type ${where}`,
      });
    }
    const input = integration.input.safeParse(request.variables);
    if (!input.success) throw validationFailure(JobFailureType.InvalidInput, `invalid input for ${where}`, input.error);

    // Heartbeats are what deliver cancellation to an activity; the SDK throttles them. A local
    // activity has none: the worker running its workflow delivers the cancellation itself.
    const beat = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), HEARTBEAT_MS);
    beat?.unref();
    let raw: unknown;
    try {
      raw = await integration.run(input.data, {
        idempotencyKey: idempotencyKeyOf(request),
        headers: request.headers,
        signal: context.cancellationSignal,
        log: (msg, fields) => context.log.info(msg, { taskType, elementId, jobKey, ...fields }),
        deps,
      });
    } catch (err) {
      throw toFailure(err);
    } finally {
      clearInterval(beat);
    }

    const output = integration.output.safeParse(raw);
    if (!output.success) throw validationFailure(JobFailureType.InvalidOutput, `invalid output from ${where}`, output.error);
    if (!isRecord(output.data)) {
      throw ApplicationFailure.create({
        type: JobFailureType.InvalidOutput,
        nonRetryable: true,
        message: `invalid output from ${where}: (root): expected an object of variables`,
      });
    }
    return { variables: output.data };
  };
}

/**
 * A local activity's failure, named by its job: its history marker has no activity id, so the
 * replay dry run reads the job key from the failure's last detail (decision 0061). The first
 * detail stays what it was (a BPMN error's code and variables). Cancellation passes unchanged.
 */
export function withJobKey(failure: unknown, jobKey: string): unknown {
  if (failure instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: failure.type ?? 'Error',
      nonRetryable: failure.nonRetryable === true,
      message: failure.message,
      details: [...(failure.details ?? []), { jobKey }],
      ...(failure.nextRetryDelay !== undefined ? { nextRetryDelay: failure.nextRetryDelay } : {}),
    });
  }
  if (failure instanceof Error && !(failure instanceof CancelledFailure)) {
    return ApplicationFailure.create({ type: failure.name, nonRetryable: false, message: failure.message, details: [{ jobKey }] });
  }
  return failure;
}
