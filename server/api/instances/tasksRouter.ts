/** HTTP routes of the task inbox. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { currentUser } from '../../auth/context';
import { addRoute } from '../route';
import { errorResponse, validationErrorResponse } from '../schemas';
import { ClaimBody, CompleteBody, TaskForm, TaskListQuery, TaskPage, TaskParams } from './schemas';
import { taskScopeOf, type TasksService } from './tasks';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['tasks'];
const notFound = errorResponse('No such open task');
const closed = errorResponse('The task is already completed or canceled, or claimed by someone else');

export function tasksRouter(service: TasksService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'get', path: '/api/tasks', operationId: 'listTasks', tags: TAGS,
    summary: 'User tasks, oldest first, filtered by instance, assignee, candidate group or state',
    description: 'Agents and engineers see only tasks of their candidate groups or offered or assigned to them.',
    query: TaskListQuery,
    responses: { 200: { description: 'A page of tasks', ...json(TaskPage) }, 400: validationErrorResponse },
  }, async ({ query }, req, res) => {
    const { page, pageSize, ...filter } = query;
    const { items, total } = await service.list(filter, page, pageSize, taskScopeOf(currentUser(req)));
    res.json({ items, page, pageSize, total });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/tasks/{id}/form', operationId: 'getTaskForm', tags: TAGS,
    summary: "The task's form: its formKey and the form-js schema of a form embedded in the diagram (camunda-forms:bpmn:<id>) or linked to it (zeebe:formDefinition formId)",
    description: 'Agents and engineers only for tasks of their candidate groups or offered or assigned to them.',
    params: TaskParams,
    responses: { 200: { description: 'The form (schema null when the task has none or an external one)', ...json(TaskForm) }, 400: validationErrorResponse, 404: errorResponse('No such task') },
  }, async ({ params }, req, res) => {
    res.json(await service.form(params.id, taskScopeOf(currentUser(req))));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/claim', operationId: 'claimTask', tags: TAGS,
    summary: 'Claim a task for an assignee',
    params: TaskParams,
    body: { required: true, ...json(ClaimBody) },
    responses: { 204: { description: 'Claimed' }, 400: validationErrorResponse, 404: notFound, 409: closed },
  }, async ({ params }, req, res) => {
    const { assignee } = ClaimBody.parse(req.body);
    await service.authorize(params.id, taskScopeOf(currentUser(req)), { claimFor: assignee });
    await service.claim(params.id, assignee);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/unclaim', operationId: 'unclaimTask', tags: TAGS,
    summary: 'Return a claimed task to its candidates',
    params: TaskParams,
    responses: { 204: { description: 'Unclaimed' }, 404: notFound, 409: closed },
  }, async ({ params }, req, res) => {
    await service.authorize(params.id, taskScopeOf(currentUser(req)));
    await service.unclaim(params.id);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/complete', operationId: 'completeTask', tags: TAGS,
    summary: 'Complete a task with result variables',
    params: TaskParams,
    body: { required: false, ...json(CompleteBody) },
    responses: { 200: { description: 'Completed', ...json(CompleteBody) }, 400: validationErrorResponse, 404: notFound, 409: closed, 413: errorResponse('The variables would bring the instance past its size cap of 2,015,232 bytes of model and variables (`payload_too_large`); nothing changed') },
  }, async ({ params }, req, res) => {
    const body = CompleteBody.parse(req.body ?? {});
    await service.authorize(params.id, taskScopeOf(currentUser(req)));
    await service.complete(params.id, body.variables ?? {});
    res.status(200).json({ id: params.id, state: 'completed' });
  });

  return router;
}
