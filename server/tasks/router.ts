/**
 * HTTP routes of the task inbox, all of /api/tasks in one place: the list, a task's form, claim,
 * unclaim, complete (TasksService) and the collaboration on a task, comments and transfers (kept
 * by the complaints domain, which echoes them on the complaint's timeline).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { currentUser } from '../auth/context';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { ClaimBody, CommentBody, CompleteBody, Task, TaskCompleted, TaskForm, TaskListQuery, TaskPage, TaskParams, TransferBody } from './schemas';
import { taskScopeOf, type TaskScope, type TasksService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['tasks'];
const notFound = errorResponse('No such open task');
const closed = errorResponse('The task is already completed or canceled, or claimed by someone else');

/** Comments and transfers, as the complaints domain keeps them (server/complaints/taskActions.ts). */
export interface TaskCollaboration {
  comment(id: string, author: string, text: string, scope: TaskScope | undefined): Promise<{ id: string; taskId: string; author: string; text: string; at: string }>;
  transfer(id: string, to: { toGroup?: string; toUser?: string }, reason: string, who: string, scope: TaskScope | undefined): Promise<void>;
}

export function tasksRouter(deps: { service?: TasksService; collaboration?: TaskCollaboration }, registry: OpenAPIRegistry): Router {
  const router = Router();
  if (deps.service) inboxRoutes(router, deps.service, registry);
  if (deps.collaboration) collaborationRoutes(router, deps.collaboration, registry);
  return router;
}

function inboxRoutes(router: Router, service: TasksService, registry: OpenAPIRegistry): void {

  addRoute(router, registry, {
    method: 'get', path: '/api/tasks', operationId: 'listTasks', tags: TAGS,
    summary: 'User tasks, oldest first, filtered by instance, assignee, candidate group, state, text, department and creation range',
    description: 'Agents and engineers see only tasks of their candidate groups or offered or assigned to them.',
    query: TaskListQuery,
    responses: { 200: { description: 'A page of tasks', ...json(TaskPage) }, 400: validationErrorResponse },
  }, async ({ query }, req, res) => {
    const { page, pageSize, ...filter } = query;
    const { items, total } = await service.list(filter, page, pageSize, taskScopeOf(currentUser(req)));
    res.json({ items, page, pageSize, total });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/tasks/{id}', operationId: 'getTask', tags: TAGS,
    summary: 'One task, as the list shows it (with its business key, complaint and annotations)',
    description: 'Agents and engineers only for tasks of their candidate groups or offered or assigned to them. Closed tasks are still readable.',
    params: TaskParams,
    responses: { 200: { description: 'The task', ...json(Task) }, 400: validationErrorResponse, 403: errorResponse('Not a task of your groups'), 404: errorResponse('No such task') },
  }, async ({ params }, req, res) => {
    res.json(await service.get(params.id, taskScopeOf(currentUser(req))));
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
    body: { schema: ClaimBody },
    responses: { 204: { description: 'Claimed' }, 400: validationErrorResponse, 404: notFound, 409: closed },
  }, async ({ params, body }, req, res) => {
    const { assignee } = body;
    const task = await service.authorize(params.id, taskScopeOf(currentUser(req)), { claimFor: assignee });
    await service.claim(task, assignee);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/unclaim', operationId: 'unclaimTask', tags: TAGS,
    summary: 'Return a claimed task to its candidates',
    params: TaskParams,
    responses: { 204: { description: 'Unclaimed' }, 404: notFound, 409: closed },
  }, async ({ params }, req, res) => {
    const task = await service.authorize(params.id, taskScopeOf(currentUser(req)));
    await service.unclaim(task);
    res.status(204).end();
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/complete', operationId: 'completeTask', tags: TAGS,
    summary: 'Complete a task with result variables',
    params: TaskParams,
    body: { schema: CompleteBody, required: false },
    responses: { 200: { description: 'Completed: the task id and its new state', ...json(TaskCompleted) }, 400: validationErrorResponse, 404: notFound, 409: closed, 413: errorResponse('The variables would bring the instance past its size cap of 2,015,232 bytes of model and variables (`payload_too_large`); nothing changed') },
  }, async ({ params, body }, req, res) => {
    // One read of the task serves the scope, the closed check, the declared variables and the timeline entry.
    const task = await service.authorize(params.id, taskScopeOf(currentUser(req)));
    await service.complete(task, body.variables ?? {});
    const user = currentUser(req);
    // The task is completed whatever becomes of the note: a failed timeline write is said, not a failed request (a retry would meet a closed task).
    const noted = await service.completed(task, { who: `staff:${user.id}`, name: user.name }, body.note ?? null).catch(() => false);
    res.status(200).json({ id: params.id, state: 'completed', noted });
  });
}

function collaborationRoutes(router: Router, collaboration: TaskCollaboration, registry: OpenAPIRegistry): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/comments', operationId: 'commentTask', tags: TAGS,
    summary: 'Comment on a task (shown with the task and on its complaint timeline)',
    params: TaskParams,
    body: { schema: CommentBody },
    responses: { 201: { description: 'Recorded' }, 400: validationErrorResponse, 404: errorResponse('No such task') },
  }, async ({ params, body }, req, res) => {
    const user = currentUser(req);
    res.status(201).json(await collaboration.comment(params.id, `staff:${user.id}`, body.text, taskScopeOf(user)));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/tasks/{id}/transfer', operationId: 'transferTask', tags: TAGS,
    summary: 'Hand an open task to another group (unassigned, new candidates) or to one user',
    params: TaskParams,
    body: { schema: TransferBody },
    responses: { 204: { description: 'Transferred' }, 400: validationErrorResponse, 404: errorResponse('No such open task'), 409: errorResponse('The task is closed') },
  }, async ({ params, body }, req, res) => {
    const user = currentUser(req);
    await collaboration.transfer(params.id, body, body.reason, `staff:${user.id}`, taskScopeOf(user));
    res.status(204).end();
  });
}
