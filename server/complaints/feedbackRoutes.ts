/** Touchpoint feedback and the reopen of a low-score alert's work order (decision 0032). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { currentUser } from '../auth/context';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { Forbidden } from '../domain/errors';
import { customerScope } from './access';
import type { ComplaintsApi } from './router';
import { FeedbackBody, FeedbackParams, ReopenBody } from './schemas';

const conflict = (what: string) => errorResponse(what);

export function feedbackRoutes(router: Router, registry: OpenAPIRegistry, feedback: ComplaintsApi['feedback']): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/feedback', operationId: 'submitFeedback', tags: ['feedback'],
    summary: 'Touchpoint feedback (0-10); a score at or below FEEDBACK_ALERT_THRESHOLD starts the low-score-alert process',
    body: { schema: FeedbackBody },
    responses: { 201: { description: 'Recorded; `alert` names the alert instance, if one was started' }, 400: validationErrorResponse },
  }, async ({ body }, req, res) => {
    // Customers file feedback as themselves: their own reference, whatever the body says.
    const scope = customerScope(currentUser(req));
    if (scope !== null && body.customerId !== undefined && body.customerId !== scope) {
      throw new Forbidden('forbidden', 'Customers file feedback as themselves only', { fields: [{ path: 'customerId', message: 'not your customer reference' }] });
    }
    res.status(201).json(await feedback.submit(scope !== null ? { ...body, customerId: scope } : body));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/feedback/{id}/reopen', operationId: 'reopenAlert', tags: ['feedback'],
    summary: "Reopen a closed low-score alert work order within ALERT_REOPEN_WINDOW (message low-score-alert-reopen): a new work order for the same group",
    params: FeedbackParams,
    body: { schema: ReopenBody },
    responses: {
      202: { description: 'Reopen delivered to the process' }, 400: validationErrorResponse, 404: errorResponse('No such feedback'),
      409: conflict('The feedback raised no alert, or its work order is not closed, or the reopen window is over'),
    },
  }, async ({ params, body }, req, res) => {
    res.status(202).json(await feedback.reopen(params.id, body.reason, `staff:${currentUser(req).id}`));
  });
}
