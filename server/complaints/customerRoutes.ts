/**
 * The customer's side of a complaint's life: the evaluation of the resolution, a reopen request,
 * the choice of engineer, keeping "my expert", and the signed link that opens all of it.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { z } from 'zod';
import { currentUser } from '../auth/context';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { customerScope, isCustomer, type OwnComplaint } from './access';
import type { ComplaintsApi } from './router';
import { ComplaintParams, CustomerLinkBody, EngineerChoiceBody, EvaluationBody, IntakeHeaders, ReopenBody } from './schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['complaints'];
const missing = errorResponse('No such complaint');
const conflict = (what: string) => errorResponse(what);

export function customerRoutes(router: Router, registry: OpenAPIRegistry, api: ComplaintsApi, own: OwnComplaint): void {
  const { complaints } = api;
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/evaluation', operationId: 'evaluateComplaint', tags: TAGS,
    summary: 'The customer evaluates the resolution: 4-5 stars close it, 1-3 reopen it (message complaint-evaluated); `engineerId` may only name the engineer who served it',
    params: ComplaintParams,
    body: { schema: EvaluationBody },
    responses: {
      201: { description: 'Recorded and delivered to the process' }, 400: validationErrorResponse, 404: missing,
      409: conflict('Not awaiting an evaluation (`not_awaiting_evaluation`), or a closing evaluation while commitments are open (`open_commitments`)'),
      422: errorResponse('`engineerId` is not the engineer who served this complaint (`engineer_not_served`, with `fields`)'),
    },
  }, async ({ params, body }, req, res) => {
    await own(req, params.id);
    const headers = IntakeHeaders.parse({ 'idempotency-key': req.get('idempotency-key') });
    res.status(201).json(await complaints.evaluate(params.id, body, headers['idempotency-key']));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/reopen', operationId: 'reopenComplaint', tags: TAGS,
    summary: 'Reopen a resolved complaint that awaits its evaluation (message complaint-reopen-requested)',
    params: ComplaintParams,
    body: { schema: ReopenBody },
    responses: { 202: { description: 'Reopen delivered to the process' }, 400: validationErrorResponse, 404: missing, 409: conflict('Not awaiting an evaluation') },
  }, async ({ params, body }, req, res) => {
    await own(req, params.id);
    const user = currentUser(req);
    const staff = customerScope(user) === null;
    await complaints.reopen(params.id, body.reason, staff ? `staff:${user.id}` : `customer:${user.customerId ?? ''}`, staff ? user.name : undefined);
    res.status(202).json({ id: params.id, reopenRequested: true });
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/engineer-choice', operationId: 'chooseEngineer', tags: TAGS,
    summary: 'The customer (or an agent for them) picks one of the engineers the process offered (message complaint-engineer-chosen)',
    params: ComplaintParams,
    body: { schema: EngineerChoiceBody },
    responses: {
      202: { description: 'The choice was delivered to the process' }, 400: validationErrorResponse, 404: missing,
      409: conflict('Not waiting for a choice of engineer (`not_awaiting_engineer_choice`)'),
      422: errorResponse('Not one of the engineers offered (`engineer_not_offered`, with `fields`)'),
    },
  }, async ({ params, body }, req, res) => {
    await own(req, params.id);
    const user = currentUser(req);
    const who = user.linkComplaintId !== undefined || customerScope(user) !== null ? 'customer' : `staff:${user.id}`;
    res.status(202).json(await api.engineerChoice.choose(params.id, body.staffId, who));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/my-expert', operationId: 'keepMyExpert', tags: TAGS,
    summary: 'The customer keeps the engineer who served this complaint as "my expert" (first in later dispatches when on duty and skilled)',
    params: ComplaintParams,
    responses: {
      200: { description: 'Kept: `{ id, staffId, myExpert: true }`' }, 400: validationErrorResponse, 404: missing,
      409: conflict('Nobody served it yet (`no_engineer`), or the customer or engineer is not in the directory (`customer_not_in_directory`, `engineer_not_in_directory`)'),
    },
  }, async ({ params }, req, res) => {
    await own(req, params.id);
    const user = currentUser(req);
    res.json(await api.myExpert.keep(params.id, isCustomer(user) ? null : `staff:${user.id}`));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/customer-link', operationId: 'createCustomerLink', tags: TAGS,
    summary: "A signed, expiring link to the complaint's customer view (for the customer only: view, evaluation, engineer choice, attachments)",
    params: ComplaintParams,
    body: { schema: CustomerLinkBody, required: false },
    responses: {
      201: { description: 'The link: `token` (send as Authorization: Bearer or ?token=), `url` and `expiresAt`', ...json(z.object({ token: z.string(), url: z.string(), expiresAt: z.string() })) },
      400: validationErrorResponse, 404: missing,
    },
  }, async ({ params, body }, req, res) => {
    await complaints.load(params.id);
    const { token, expiresAt } = api.links.sign(params.id, body.ttlHours === undefined ? undefined : body.ttlHours * 3_600_000);
    res.status(201).json({ token, url: api.links.url(params.id, token), expiresAt: expiresAt.toISOString() });
  });
}
