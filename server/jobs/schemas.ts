/** Request and response shapes of the job API (router.ts), after Camunda 8's REST API. */
import { z } from 'zod';
import { Variables } from '../instances/schemas';
import { JOB_KEY, MAX_REQUEST_TIMEOUT_MS } from './service';

const ms = (what: string) => z.number().int().min(1).max(7 * 24 * 3600 * 1000).meta({ description: what });

export const JobKey = z.string().regex(JOB_KEY, 'a job key like pi-<uuid>:<n>').meta({ example: 'pi-3f0c5c4e-8a0b-4a53-9a7e-2f1d6f0a9b11:12' });
export const JobKeyParams = z.object({ jobKey: JobKey });

const variableNameList = z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name')).max(200);

export const ActivateBody = z.object({
  type: z.string().min(1).max(255).meta({ description: 'The job type (`zeebe:taskDefinition type`)' }),
  worker: z.string().min(1).max(200).default('anonymous').meta({ description: 'Who activates: shown on the job while it holds the lock' }),
  timeout: ms('Lock duration in ms: the job is handed out again when it has passed without completion or failure'),
  maxJobsToActivate: z.number().int().min(1).max(100),
  fetchVariable: variableNameList.optional().meta({ description: 'Only these variables (default: all visible from the task)' }),
  requestTimeout: z.number().int().min(-1).max(MAX_REQUEST_TIMEOUT_MS).optional()
    .meta({ description: 'Long poll: ms to wait for a job when none is there; 0 or absent: 10 s; -1: answer at once' }),
}).strict().meta({ id: 'ActivateJobsRequest' });

export const ActivatedJob = z.object({
  jobKey: JobKey,
  type: z.string(),
  processInstanceId: z.string(),
  bpmnProcessId: z.string(),
  processDefinitionVersion: z.number().int(),
  elementId: z.string(),
  elementInstanceKey: z.string(),
  customHeaders: z.record(z.string(), z.string()),
  worker: z.string(),
  retries: z.number().int(),
  deadline: z.number().int().meta({ description: 'Epoch ms when the lock ends' }),
  variables: z.record(z.string(), z.unknown()),
  jobKind: z.enum(['EXECUTION_LISTENER']).optional().meta({ description: 'Only on the job of an execution listener (Camunda: BPMN_ELEMENT otherwise)' }),
  listenerEventType: z.enum(['START', 'END']).optional().meta({ description: 'With jobKind EXECUTION_LISTENER: before (START) or after (END) the element' }),
}).meta({ id: 'ActivatedJob' });

export const ActivateResponse = z.object({ jobs: z.array(ActivatedJob) }).meta({ id: 'ActivatedJobs' });

/**
 * Camunda 8.8's `JobResultAdHocSubProcess`, for the job of an ad-hoc subprocess served by a
 * job worker (decision 0046): elements to activate (each with local variables), or the
 * completion condition fulfilled, optionally cancelling what is still active.
 */
export const AdHocJobResultBody = z.object({
  type: z.literal('adHocSubProcess').meta({ description: 'The kind of result; only ad-hoc subprocess results are accepted' }),
  activateElements: z.array(z.object({
    elementId: z.string().min(1).max(255).meta({ description: 'An inner element of the ad-hoc subprocess without incoming flows' }),
    variables: Variables.optional().meta({ description: 'Local variables of the activated element' }),
  }).strict()).max(100).optional(),
  isCompletionConditionFulfilled: z.boolean().optional().meta({ description: 'Complete the ad-hoc subprocess (not together with activateElements)' }),
  isCancelRemainingInstances: z.boolean().optional().meta({ description: 'With a fulfilled condition: terminate the inner elements still active (default false: wait for them)' }),
}).strict().refine((r) => !(r.isCompletionConditionFulfilled === true && (r.activateElements?.length ?? 0) > 0), {
  message: 'a result cannot both fulfil the completion condition and activate elements',
  path: ['isCompletionConditionFulfilled'],
}).meta({ id: 'JobResultAdHocSubProcess' });

export const CompleteBody = z.object({
  variables: Variables.optional(),
  result: AdHocJobResultBody.optional(),
}).strict();
export const FailBody = z.object({
  retries: z.number().int().min(0).max(1_000_000).meta({ description: 'Retries left; 0 raises an incident (JOB_NO_RETRIES)' }),
  errorMessage: z.string().max(4000).optional(),
  retryBackOff: z.number().int().min(0).max(7 * 24 * 3600 * 1000).optional().meta({ description: 'ms before the job may be activated again' }),
}).strict();
export const ErrorBodyRequest = z.object({
  errorCode: z.string().min(1).max(200).meta({ description: 'Matched against error boundary and event subprocess codes' }),
  errorMessage: z.string().max(4000).optional(),
  variables: Variables.optional(),
}).strict();
export const UpdateBody = z.object({
  changeset: z.object({
    retries: z.number().int().min(1).max(1_000_000).optional(),
    timeout: ms('New lock duration from now (activated jobs only)').optional(),
  }).strict().refine((c) => c.retries !== undefined || c.timeout !== undefined, { message: 'give retries, timeout or both' }),
}).strict();

const jobStates = ['activatable', 'activated', 'backoff', 'failed'] as const;
export const JobListQuery = z.object({
  type: z.string().min(1).max(255).optional(),
  instanceId: z.string().regex(/^pi-[0-9a-f-]{36}(\.call-\d{1,12})*$/, 'an instance id').optional(),
  state: z.string().regex(/^(activatable|activated|backoff|failed)(,(activatable|activated|backoff|failed))*$/, 'a state, or states separated by commas')
    .transform((v) => v.split(',') as Array<(typeof jobStates)[number]>).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const JobSummary = z.object({
  jobKey: JobKey,
  type: z.string(),
  state: z.enum(jobStates),
  instanceId: z.string(),
  definition: z.object({ key: z.string(), version: z.number().int() }),
  elementId: z.string(),
  retries: z.number().int(),
  worker: z.string().nullable(),
  deadline: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: z.string(),
  jobKind: z.enum(['EXECUTION_LISTENER']).optional().meta({ description: 'Only on the job of an execution listener (Camunda: BPMN_ELEMENT otherwise)' }),
  listenerEventType: z.enum(['START', 'END']).optional().meta({ description: 'With jobKind EXECUTION_LISTENER: before (START) or after (END) the element' }),
}).meta({ id: 'JobSummary' });
export const JobPage = z.object({ items: z.array(JobSummary), page: z.number(), pageSize: z.number(), total: z.number() });
