/**
 * Jobs served by external workers (a `zeebe:taskDefinition` type outside the activity
 * catalog, compiled with `worker: 'external'`), as Camunda 8's job workers serve them. The
 * workflow is the one authority over each job (decision 0028): a worker activates it through
 * the `activateJob` update, whose validator refuses a job that is locked, backing off after a
 * failure or of another type, so two API processes racing for one job cannot both get it.
 * The lock is a deadline, not a timer: once it has passed the job may be activated again.
 * Nothing here does I/O; the projection (`jobs` in the view) tells the API which jobs to try.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { variables as visibleVariables, type Command, type State, type Variables } from '../../processes/evaluator';
import type { ElementDef, JobDef, ListenerEventType, ProcessModel } from '../../processes/model';
import { RejectionType } from './messages';
import type { ActivatedJob, ExternalJobRecord, JobView } from './types';

type ExecuteJob = Extract<Command, { type: 'executeJob' }>;

const reject = (type: string, message: string) => ApplicationFailure.nonRetryable(message, type);

function jobOfElement(element: ElementDef | undefined): JobDef | undefined {
  if (!element) return undefined;
  if (element.kind === 'serviceTask') return element.job;
  // An ad-hoc subprocess in job-worker mode (decision 0046); such models could not be deployed before.
  if (element.kind === 'subProcess') return element.adHoc?.job;
  if ('result' in element && element.result.type === 'message') return element.result.job;
  return undefined;
}

/** A job type outside the catalog the diagram was deployed with; a type given as FEEL is known once evaluated. */
function servedExternally(job: JobDef | undefined, taskType: string | null): boolean {
  if (!job) return false;
  if (job.typeExpression === undefined) return job.worker === 'external';
  if (!job.catalogTypes) return false;
  return taskType === null || !job.catalogTypes.includes(taskType);
}

/** The listener jobs of an element (decision 0055); served by the catalog or by external workers as any job. */
function listenerJobs(element: Pick<ElementDef, 'executionListeners'> | undefined, eventType?: ListenerEventType): JobDef[] {
  const listeners = element?.executionListeners;
  if (!listeners) return [];
  return eventType === undefined ? [...listeners.start, ...listeners.end] : listeners[eventType];
}

/** Whether the model has any job served (or possibly served, by its evaluated type) by external workers (then the view lists `jobs`). */
export function hasExternalJobs(model: ProcessModel): boolean {
  const listenedExternally = (owner: Pick<ElementDef, 'executionListeners'>) => listenerJobs(owner).some((j) => servedExternally(j, null));
  return listenedExternally(model) || model.elements.some((e) => servedExternally(jobOfElement(e), null) || listenedExternally(e));
}

/**
 * Whether an executeJob command belongs to external workers (by the element's job def and the
 * command's type; a listener's job by the listener defs of its event type with that type).
 */
export function isExternal(model: ProcessModel, command: ExecuteJob): boolean {
  const element = model.elements.find((e) => e.id === command.elementId);
  if (command.listener !== undefined) {
    // The listeners of the process itself are on the model, their jobs at the process id.
    const owner = element ?? (command.elementId === model.id ? model : undefined);
    return listenerJobs(owner, command.listener).some((j) => (j.typeExpression !== undefined || j.type === command.taskType) && servedExternally(j, command.taskType));
  }
  return servedExternally(jobOfElement(element), command.taskType);
}

/** Camunda's job kind and listener event type, only on a listener's job. */
function kindOf(job: { listener?: ListenerEventType } | ExternalJobRecord): Pick<ExternalJobRecord, 'jobKind' | 'listenerEventType'> {
  if ('jobKind' in job) return job.jobKind === undefined ? {} : { jobKind: job.jobKind, ...(job.listenerEventType ? { listenerEventType: job.listenerEventType } : {}) };
  if (!('listener' in job) || job.listener === undefined) return {};
  return { jobKind: 'EXECUTION_LISTENER', listenerEventType: job.listener === 'start' ? 'START' : 'END' };
}

/** The job as the API names it: unique across instances, child instances included. */
export const publicJobKey = (workflowId: string, key: string) => `${workflowId}:${key}`;

export class ExternalJobs {
  readonly jobs: Record<string, ExternalJobRecord>;

  constructor(carried: Record<string, ExternalJobRecord> | undefined) {
    this.jobs = { ...carried };
  }

  get count(): number {
    return Object.keys(this.jobs).length;
  }

  /** A new job (or the job again after its incident was resolved: retries updated meanwhile are kept). */
  open(command: ExecuteJob, now: number): void {
    const failed = Object.values(this.jobs).find((j) => j.failed && j.elementInstanceKey === command.elementInstanceKey);
    if (failed) delete this.jobs[failed.key];
    this.jobs[command.key] = {
      key: command.key,
      elementId: command.elementId,
      elementInstanceKey: command.elementInstanceKey,
      type: command.taskType,
      retries: failed && failed.retries > 0 ? failed.retries : command.retries,
      headers: Object.fromEntries(command.headers.map((h) => [h.key, h.value])),
      createdAt: now,
      worker: null,
      deadline: null,
      retryAt: null,
      errorMessage: null,
      failed: false,
      ...kindOf(command),
    };
  }

  /** Drops a job the evaluator cancelled (interrupting boundary, cancellation); false when not ours. */
  cancel(key: string): boolean {
    if (!this.jobs[key]) return false;
    delete this.jobs[key];
    return true;
  }

  /** Forgets failed jobs whose element instance is gone (terminated while in its incident). */
  prune(state: State): void {
    for (const job of Object.values(this.jobs)) if (!state.instances[job.elementInstanceKey]) delete this.jobs[job.key];
  }

  /** An open job (not failed for good), or a NotFound rejection. */
  live(key: unknown): ExternalJobRecord {
    const job = typeof key === 'string' && Object.prototype.hasOwnProperty.call(this.jobs, key) ? this.jobs[key] : undefined;
    if (!job || job.failed) throw reject(RejectionType.notFound, `no open job '${String(key)}' in this instance`);
    return job;
  }

  /** Any job this instance knows, failed ones included (their retries may be updated). */
  known(key: unknown): ExternalJobRecord {
    const job = typeof key === 'string' && Object.prototype.hasOwnProperty.call(this.jobs, key) ? this.jobs[key] : undefined;
    if (!job) throw reject(RejectionType.notFound, `no job '${String(key)}' in this instance`);
    return job;
  }

  validateActivation(req: { jobKey: string; type: string; worker: string; timeoutMs: number }, now: number): void {
    const job = this.live(req.jobKey);
    if (job.type !== req.type) throw reject(RejectionType.conflict, `job '${req.jobKey}' is of another type`);
    if (job.deadline !== null && job.deadline > now) throw reject(RejectionType.conflict, `job '${req.jobKey}' is activated until its deadline`);
    if (job.retryAt !== null && job.retryAt > now) throw reject(RejectionType.conflict, `job '${req.jobKey}' waits for its retry backoff`);
    if (typeof req.worker !== 'string' || req.worker.length > 200) throw reject(RejectionType.invalid, 'worker: a string of at most 200 characters is required');
    if (!Number.isInteger(req.timeoutMs) || req.timeoutMs < 1) throw reject(RejectionType.invalid, 'timeout: a whole number of milliseconds of at least 1 is required');
  }

  activate(req: { jobKey: string; worker: string; timeoutMs: number; fetchVariables?: string[] | undefined }, state: State, now: number, ids: { workflowId: string; processId: string; version: number }): ActivatedJob {
    const job = this.live(req.jobKey);
    job.worker = req.worker;
    job.deadline = now + req.timeoutMs;
    job.retryAt = null;
    const all = visibleVariables(state, job.elementInstanceKey);
    const fetched: Variables = {};
    if (req.fetchVariables) {
      for (const name of req.fetchVariables) if (Object.prototype.hasOwnProperty.call(all, name)) fetched[name] = all[name];
    }
    return {
      jobKey: publicJobKey(ids.workflowId, job.key),
      type: job.type,
      processInstanceId: ids.workflowId,
      bpmnProcessId: ids.processId,
      processDefinitionVersion: ids.version,
      elementId: job.elementId,
      elementInstanceKey: job.elementInstanceKey,
      customHeaders: job.headers,
      worker: req.worker,
      retries: job.retries,
      deadline: job.deadline,
      variables: req.fetchVariables ? fetched : all,
      ...kindOf(job),
    };
  }

  /** Retries left: back to activatable after the backoff. None left: the caller raises the incident. */
  fail(key: string, retries: number, message: string | null, backoffMs: number, now: number): 'retry' | 'incident' {
    const job = this.live(key);
    job.retries = Math.max(0, retries);
    job.worker = null;
    job.deadline = null;
    job.errorMessage = message;
    if (job.retries > 0) {
      job.retryAt = backoffMs > 0 ? now + backoffMs : null;
      return 'retry';
    }
    job.retryAt = null;
    job.failed = true;
    return 'incident';
  }

  /** Completion and a thrown error end the job here; the evaluator hears of it through the inbox. */
  finish(key: string): void {
    delete this.jobs[key];
  }

  view(workflowId: string, now: number): JobView[] {
    return Object.values(this.jobs).map((job) => ({
      key: publicJobKey(workflowId, job.key),
      type: job.type,
      elementId: job.elementId,
      elementInstanceKey: job.elementInstanceKey,
      state: jobState(job, now),
      retries: job.retries,
      worker: job.deadline !== null && job.deadline > now ? job.worker : null,
      deadline: job.deadline,
      // when the job may be activated (again): now, the lock's deadline or the backoff's end; null: never (failed)
      availableAt: job.failed ? null : Math.max(job.deadline ?? 0, job.retryAt ?? 0, job.createdAt),
      errorMessage: job.errorMessage,
      createdAt: job.createdAt,
      ...kindOf(job),
    }));
  }
}

export function jobState(job: ExternalJobRecord, now: number): JobView['state'] {
  if (job.failed) return 'failed';
  if (job.deadline !== null && job.deadline > now) return 'activated';
  if (job.retryAt !== null && job.retryAt > now) return 'backoff';
  return 'activatable';
}

export function validateJobUpdate(jobs: ExternalJobs, req: { jobKey: string; retries?: number; timeoutMs?: number }, now: number): void {
  const job = jobs.known(req.jobKey);
  if (req.retries === undefined && req.timeoutMs === undefined) throw reject(RejectionType.invalid, 'changeset: give retries, timeout or both');
  if (req.retries !== undefined && (!Number.isInteger(req.retries) || req.retries < 1 || req.retries > 1_000_000)) {
    throw reject(RejectionType.invalid, 'changeset.retries: a whole number from 1 is required');
  }
  if (req.timeoutMs !== undefined) {
    if (!Number.isInteger(req.timeoutMs) || req.timeoutMs < 1) throw reject(RejectionType.invalid, 'changeset.timeout: a whole number of milliseconds of at least 1 is required');
    if (job.failed || job.deadline === null || job.deadline <= now) throw reject(RejectionType.conflict, `job '${req.jobKey}' is not activated: only an activated job's timeout can change`);
  }
}
