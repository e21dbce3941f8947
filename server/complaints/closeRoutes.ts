/** The route that closes a resolved complaint without the customer's evaluation (staffClose.ts, decision 0051). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { currentUser } from '../auth/context';
import { actorOf } from './evidence';
import { ComplaintParams, ReopenBody } from './schemas';
import type { createStaffClose } from './staffClose';

export function closeRoutes(router: Router, registry: OpenAPIRegistry, staffClose: ReturnType<typeof createStaffClose>): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/close', operationId: 'closeComplaint', tags: ['complaints'],
    summary: "Close a resolved complaint without the customer's evaluation (supervisors, department heads, admins), with the reason: the process checks the commitments and closes it",
    params: ComplaintParams,
    body: { schema: ReopenBody },
    responses: {
      202: { description: 'The close is under way: `{ id, closeRequested: true }`' }, 400: validationErrorResponse, 404: errorResponse('No such complaint'),
      409: errorResponse('Not awaiting the evaluation (`not_awaiting_evaluation`), or no longer (`close_not_possible`)'),
    },
  }, async ({ params, body }, req, res) => {
    res.status(202).json(await staffClose.close(params.id, body.reason, actorOf(currentUser(req), '', false)));
  });
}
