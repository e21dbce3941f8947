/**
 * The job API of external workers (decision 0028), in the shape of Camunda 8's: activate jobs
 * of a type (long poll), complete, fail (retries, backoff), throw a BPMN error, update retries
 * and timeout. Every change is an update of the instance's workflow, which alone decides (its
 * validators refuse a locked or vanished job); the `jobs` read model only says which to try.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { trusted, type Model } from 'mongoose';
import {
  activateJobUpdate,
  completeJobUpdate,
  failJobUpdate,
  throwJobErrorUpdate,
  updateJobUpdate,
  type UpdateOutcome,
} from '../../workflows/processInstance/messages';
import type { AdHocJobResult } from '../../processes/evaluator';
import type { ActivatedJob } from '../../workflows/processInstance/types';
import { Conflict, Invalid, NotFound } from '../domain/errors';
import { fromTemporalError } from '../instances/temporalErrors';
import { jobStateAt, type JobRecord, type JobState } from './models';

/** `pi-<uuid>` with any `.call-<n>` of child instances, then `:<key>`. */
export const JOB_KEY = /^(pi-[0-9a-f-]{36}(?:\.call-\d{1,12})*):(\d{1,12})$/;

export interface ActivateRequest {
  type: string;
  worker: string;
  /** Lock duration in ms. */
  timeout: number;
  maxJobsToActivate: number;
  /** Only these variables (all visible ones when absent). */
  fetchVariable?: string[] | undefined;
  /** Long poll: ms to wait for a job when none is there (0: the default; negative: answer at once). */
  requestTimeout?: number | undefined;
}

export interface JobsServiceOptions {
  /** How often a long poll looks at the read model again (ms). */
  pollIntervalMs?: number;
  defaultRequestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const MAX_REQUEST_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms).unref(); });

export function parseJobKey(jobKey: string): { instanceId: string; key: string } {
  const match = JOB_KEY.exec(jobKey);
  if (!match) throw new Invalid('invalid_request', 'jobKey: a job key like pi-<uuid>:<n> is required', { fields: [{ path: 'jobKey', message: 'a job key like pi-<uuid>:<n>' }] });
  return { instanceId: match[1]!, key: match[2]! };
}

/** A refusal that means "someone else has it, or it is gone": the next candidate is tried. */
function isLostRace(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  if (err instanceof WorkflowUpdateFailedError) return true;
  return err instanceof Error && /workflow execution already completed/i.test(err.message);
}

export function createJobsService(deps: { temporal: Client; jobs: Model<JobRecord> }, options: JobsServiceOptions = {}) {
  const { temporal, jobs } = deps;
  const pollMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const defaultTimeout = options.defaultRequestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

  async function onJob<T>(jobKey: string, op: (handle: ReturnType<Client['workflow']['getHandle']>, key: string) => Promise<T>): Promise<T> {
    const { instanceId, key } = parseJobKey(jobKey);
    try {
      return await op(temporal.workflow.getHandle(instanceId), key);
    } catch (err) {
      const mapped = fromTemporalError(err, instanceId);
      if (mapped instanceof NotFound && mapped.code === 'not_found') throw new NotFound('not_found', `No open job '${jobKey}'`);
      throw mapped;
    }
  }

  const requireAccepted = (outcome: UpdateOutcome, what: string) => {
    if (!outcome.accepted) throw new Conflict('conflict', `${what} was not applied: ${outcome.reason ?? 'the instance state changed'}`);
  };

  /** One pass over the read model: activates up to `max` jobs, skipping those another worker won. */
  async function activateOnce(req: ActivateRequest, isAborted: () => boolean): Promise<ActivatedJob[]> {
    const now = Date.now();
    const candidates = (await jobs
      .find({ type: req.type, availableAt: trusted({ $lte: now }) })
      .sort({ createdAt: 1, _id: 1 })
      .limit(Math.min(1000, req.maxJobsToActivate * 4))
      .lean())
      .filter((j) => jobStateAt(j, now) === 'activatable');
    const activated: ActivatedJob[] = [];
    for (const job of candidates) {
      if (activated.length >= req.maxJobsToActivate || isAborted()) break;
      try {
        activated.push(await temporal.workflow.getHandle(job.instanceId).executeUpdate(activateJobUpdate, {
          args: [{
            jobKey: job.key, type: req.type, worker: req.worker, timeoutMs: req.timeout,
            ...(req.fetchVariable ? { fetchVariables: req.fetchVariable } : {}),
          }],
        }));
      } catch (err) {
        if (!isLostRace(err)) throw err;
      }
    }
    return activated;
  }

  return {
    /** Long poll: answers as soon as a pass activates a job, else when `requestTimeout` has passed. */
    async activate(req: ActivateRequest, isAborted: () => boolean = () => false): Promise<ActivatedJob[]> {
      const wait = req.requestTimeout === undefined || req.requestTimeout === 0 ? defaultTimeout : Math.min(req.requestTimeout, MAX_REQUEST_TIMEOUT_MS);
      const until = Date.now() + Math.max(0, wait);
      for (;;) {
        const activated = await activateOnce(req, isAborted);
        if (activated.length > 0 || isAborted() || Date.now() + pollMs > until) return activated;
        await sleep(pollMs);
      }
    },

    async complete(jobKey: string, variables: Record<string, unknown>, result?: AdHocJobResult) {
      const adHoc = result === undefined ? {} : {
        adHoc: {
          ...(result.activateElements ? { activateElements: result.activateElements.map((e) => ({ elementId: e.elementId, ...(e.variables ? { variables: e.variables } : {}) })) } : {}),
          ...(result.isCompletionConditionFulfilled !== undefined ? { isCompletionConditionFulfilled: result.isCompletionConditionFulfilled } : {}),
          ...(result.isCancelRemainingInstances !== undefined ? { isCancelRemainingInstances: result.isCancelRemainingInstances } : {}),
        },
      };
      const outcome = await onJob(jobKey, (h, key) => h.executeUpdate(completeJobUpdate, { args: [{ jobKey: key, variables, ...adHoc }] }));
      requireAccepted(outcome, 'Completing the job');
    },

    async fail(jobKey: string, body: { retries: number; errorMessage?: string | undefined; retryBackOff?: number | undefined }) {
      const outcome = await onJob(jobKey, (h, key) => h.executeUpdate(failJobUpdate, {
        args: [{
          jobKey: key, retries: body.retries,
          ...(body.errorMessage !== undefined ? { errorMessage: body.errorMessage } : {}),
          ...(body.retryBackOff !== undefined ? { retryBackOffMs: body.retryBackOff } : {}),
        }],
      }));
      requireAccepted(outcome, 'Failing the job');
    },

    async throwError(jobKey: string, body: { errorCode: string; errorMessage?: string | undefined; variables?: Record<string, unknown> | undefined }) {
      const outcome = await onJob(jobKey, (h, key) => h.executeUpdate(throwJobErrorUpdate, {
        args: [{
          jobKey: key, errorCode: body.errorCode,
          ...(body.errorMessage !== undefined ? { errorMessage: body.errorMessage } : {}),
          ...(body.variables !== undefined ? { variables: body.variables } : {}),
        }],
      }));
      requireAccepted(outcome, 'Throwing the error');
    },

    async update(jobKey: string, changeset: { retries?: number | undefined; timeout?: number | undefined }) {
      const outcome = await onJob(jobKey, (h, key) => h.executeUpdate(updateJobUpdate, {
        args: [{
          jobKey: key,
          ...(changeset.retries !== undefined ? { retries: changeset.retries } : {}),
          ...(changeset.timeout !== undefined ? { timeoutMs: changeset.timeout } : {}),
        }],
      }));
      requireAccepted(outcome, 'Updating the job');
    },

    /** Open jobs from the read model (eventually consistent), oldest first; state as of now. */
    async list(filter: { type?: string | undefined; state?: JobState[] | undefined; instanceId?: string | undefined }, page: number, pageSize: number) {
      const query = {
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.instanceId ? { instanceId: filter.instanceId } : {}),
      };
      const now = Date.now();
      const all = (await jobs.find(query).sort({ createdAt: 1, _id: 1 }).lean())
        .map((j) => ({ ...j, state: jobStateAt(j, now) }))
        .filter((j) => !filter.state || filter.state.includes(j.state));
      return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
