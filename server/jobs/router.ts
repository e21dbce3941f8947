/** HTTP routes of the job API for external workers (docs/integrations.md, decision 0028). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import {
  ActivateBody, ActivateResponse, CompleteBody, ErrorBodyRequest, FailBody, JobKeyParams, JobListQuery, JobPage, UpdateBody,
} from './schemas';
import type { JobsService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['jobs'];
const gone = errorResponse('No such open job (completed, cancelled, or its instance ended)');
const conflict = errorResponse('The job is in a state that does not allow it (e.g. a timeout change of a job that is not activated)');
const tooLarge = errorResponse('The variables would bring the instance past its size cap of 2,015,232 bytes of model and variables (`payload_too_large`); nothing changed');

export function jobsRouter(service: JobsService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'post', path: '/api/jobs/activation', operationId: 'activateJobs', tags: TAGS,
    summary: 'Activate jobs of a type for a worker (long poll)',
    description: 'Locks up to `maxJobsToActivate` activatable jobs of `type` for `timeout` ms and returns them with their variables. Without one, waits up to `requestTimeout` for one to appear; answers `{ jobs: [] }` after it.',
    body: { schema: ActivateBody },
    responses: { 200: { description: 'The activated jobs (possibly none)', ...json(ActivateResponse) }, 400: validationErrorResponse },
  }, async ({ body }, req, res) => {
    let aborted = false;
    res.on('close', () => { aborted = true; });
    const jobs = await service.activate(body, () => aborted);
    res.json({ jobs });
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/jobs/{jobKey}/completion', operationId: 'completeJob', tags: TAGS,
    summary: 'Complete a job, with variables for the task; for the job of an ad-hoc subprocess, with its `result` (elements to activate, or the completion condition fulfilled)',
    params: JobKeyParams,
    body: { schema: CompleteBody, required: false },
    responses: { 204: { description: 'Completed' }, 400: validationErrorResponse, 404: gone, 409: conflict, 413: tooLarge },
  }, async ({ params, body }, req, res) => {
    await service.complete(params.jobKey, body.variables ?? {}, body.result);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/jobs/{jobKey}/failure', operationId: 'failJob', tags: TAGS,
    summary: 'Report a failed attempt: with retries left it is handed out again after `retryBackOff`; with 0 an incident is raised',
    params: JobKeyParams,
    body: { schema: FailBody },
    responses: { 204: { description: 'Recorded' }, 400: validationErrorResponse, 404: gone, 409: conflict },
  }, async ({ params, body }, req, res) => {
    await service.fail(params.jobKey, body);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/jobs/{jobKey}/error', operationId: 'throwJobError', tags: TAGS,
    summary: 'Throw a BPMN error from the task: caught by an error boundary or event subprocess with that code, else an incident. An execution listener\'s job cannot throw one (409, the job stays open)',
    params: JobKeyParams,
    body: { schema: ErrorBodyRequest },
    responses: { 204: { description: 'Thrown' }, 400: validationErrorResponse, 404: gone, 409: conflict, 413: tooLarge },
  }, async ({ params, body }, req, res) => {
    await service.throwError(params.jobKey, body);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'patch', path: '/api/jobs/{jobKey}', operationId: 'updateJob', tags: TAGS,
    summary: "Change a job's retries (also of a failed job, before its incident is resolved) or its lock timeout (from now)",
    params: JobKeyParams,
    body: { schema: UpdateBody },
    responses: { 204: { description: 'Updated' }, 400: validationErrorResponse, 404: gone, 409: conflict },
  }, async ({ params, body }, req, res) => {
    await service.update(params.jobKey, body.changeset);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/jobs', operationId: 'listJobs', tags: TAGS,
    summary: 'Open jobs of external workers (oldest first), from the read model',
    description: 'Jobs of a type no worker takes stay here as `activatable`. `state` as of the request: a lock or a backoff ends by time alone.',
    query: JobListQuery,
    responses: { 200: { description: 'A page of jobs', ...json(JobPage) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    const { items, total } = await service.list({ type: query.type, state: query.state, instanceId: query.instanceId }, query.page, query.pageSize);
    res.json({
      items: items.map((j) => ({
        jobKey: j._id,
        type: j.type,
        state: j.state,
        instanceId: j.instanceId,
        definition: { key: j.definitionKey, version: j.definitionVersion },
        elementId: j.elementId,
        retries: j.retries,
        worker: j.state === 'activated' ? j.worker : null,
        deadline: j.deadline === null ? null : new Date(j.deadline).toISOString(),
        errorMessage: j.errorMessage,
        createdAt: new Date(j.createdAt).toISOString(),
        ...(j.jobKind ? { jobKind: j.jobKind } : {}),
        ...(j.listenerEventType ? { listenerEventType: j.listenerEventType } : {}),
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    });
  });

  return router;
}
