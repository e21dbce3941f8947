/**
 * HTTP routes of the complaints domain: intake, lists, detail, the customer's evaluation and
 * reopen request, commitments, photo attachments and touchpoint feedback (task comments and
 * transfers are served by server/tasks/router.ts). Every operation is declared once with addRoute (validation + OpenAPI).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { Router } from 'express';
import { z } from 'zod';
import { addRoute } from '../http/route';
import { currentUser, type AuthUser } from '../auth/context';
import { Forbidden, NotFound } from '../domain/errors';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { ATTACHMENT_TYPES, type createAttachments } from './attachments';
import type { createFeedbackService } from './feedback';
import type { CustomerLinks } from '../auth/customerLink';
import type { createEngineerChoice } from './engineerChoice';
import type { createDepartmentRequests } from './departmentWork';
import { departmentRoutes } from './departmentRoutes';
import type { MyExpert } from './myExpert';
import type { Appointments } from './appointments';
import { appointmentRoutes } from './appointmentRoutes';
import {
  AttachmentParams, AttachmentQuery, CommitmentBody, ComplaintListQuery, ComplaintParams, ComplaintView, CustomerLinkBody,
  EngineerChoiceBody, EvaluationBody, FeedbackBody, FeedbackParams, IntakeBody, IntakeHeaders, ReopenBody,
} from './schemas';
import type { ComplaintsService } from './service';
import { customerView } from './customerView';
import type { createTaskActions } from './taskActions';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['complaints'];
const missing = errorResponse('No such complaint');
const conflict = (what: string) => errorResponse(what);

export interface ComplaintsApi {
  complaints: ComplaintsService;
  feedback: ReturnType<typeof createFeedbackService>;
  attachments: ReturnType<typeof createAttachments>;
  taskActions: ReturnType<typeof createTaskActions>;
  engineerChoice: ReturnType<typeof createEngineerChoice>;
  departments: ReturnType<typeof createDepartmentRequests>;
  myExpert: MyExpert;
  appointments: Appointments;
  /** Signed customer links: issued here, checked by the auth middleware. */
  links: CustomerLinks;
  attachmentMaxBytes: number;
}

/** A customer (and nobody else) is limited to their own complaints; null = no limit. */
function customerScope(user: AuthUser): string | null {
  if (!user.roles.includes('customer') || user.roles.some((r) => r !== 'customer')) return null;
  // A customer account without a customer reference sees nothing rather than everything.
  // (No NUL in it: PostgreSQL's jsonb cannot hold one, and a filter with it fails.)
  return user.customerId ?? '\u001fnone';
}

/** A customer, signed in or through a link: sees the customer view of a complaint only. */
const isCustomer = (user: AuthUser) => user.linkComplaintId !== undefined || customerScope(user) !== null;

export function complaintsRouter(api: ComplaintsApi, registry: OpenAPIRegistry): Router {
  const router = Router();
  const { complaints } = api;
  /** 404, not 403, for someone else's complaint: ids do not leak whether they exist. */
  const own = async (req: Parameters<typeof currentUser>[0], id: string) => {
    const user = currentUser(req);
    // A customer link: its one complaint (checkPolicy has compared the ids already; kept here as a second lock).
    if (user.linkComplaintId !== undefined) {
      if (user.linkComplaintId !== id) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
      return;
    }
    const scope = customerScope(user);
    if (scope !== null && (await complaints.load(id)).customerId !== scope) throw new NotFound('complaint_not_found', `No complaint '${id}'`);
  };

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints', operationId: 'createComplaint', tags: TAGS,
    summary: 'File a complaint; starts the complaint-handling process. With Idempotency-Key, a repeat returns the first complaint',
    body: { schema: IntakeBody },
    responses: {
      201: { description: 'Filed', ...json(ComplaintView) },
      200: { description: 'The complaint filed earlier with the same Idempotency-Key', ...json(ComplaintView) },
      400: validationErrorResponse,
      409: conflict('A request with this Idempotency-Key is still in progress'),
    },
  }, async ({ body }, req, res) => {
    const headers = IntakeHeaders.parse({ 'idempotency-key': req.get('idempotency-key') });
    const scope = customerScope(currentUser(req));
    if (scope !== null && body.customer.id !== scope) throw new Forbidden('forbidden', 'Customers file complaints for themselves only');
    const { complaint, created } = await complaints.intake(body, headers['idempotency-key']);
    const detail = await complaints.detail(complaint._id, complaint);
    res.status(created ? 201 : 200).location(`/api/complaints/${complaint._id}`).json(scope !== null ? customerView(detail) : detail);
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/complaints', operationId: 'listComplaints', tags: TAGS,
    summary: 'Complaints, newest first, filtered by status, severity, department, engineer or title text',
    query: ComplaintListQuery,
    responses: { 200: { description: 'A page of complaints', ...json(z.object({ items: z.array(ComplaintView), page: z.number(), pageSize: z.number(), total: z.number() })) }, 400: validationErrorResponse },
  }, async ({ query }, req, res) => {
    const scope = customerScope(currentUser(req));
    const { items, total } = await complaints.list(query, scope === null ? {} : { customerId: scope });
    // Customers: no staff ids or departments (as in their detail view).
    const shown = scope === null ? items : items.map((i) => ({ ...i, engineer: null, departments: [] }));
    res.json({ items: shown, page: query.page, pageSize: query.pageSize, total });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/complaints/{id}', operationId: 'getComplaint', tags: TAGS,
    summary: 'A complaint with its timeline, tasks (with comments), commitments, evaluations, attachments and SLA clocks',
    params: ComplaintParams,
    responses: { 200: { description: 'The complaint', ...json(ComplaintView) }, 400: validationErrorResponse, 404: missing },
  }, async ({ params }, req, res) => {
    await own(req, params.id);
    const detail = await complaints.detail(params.id);
    if (!isCustomer(currentUser(req))) {
      res.json(detail);
      return;
    }
    const [servedBy, myExpert] = await Promise.all([api.myExpert.servedBy(detail.engineer), api.myExpert.isMyExpert(detail)]);
    res.json({ ...customerView(detail), servedBy, myExpert });
  });

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
    await complaints.reopen(params.id, body.reason, customerScope(user) === null ? `staff:${user.id}` : `customer:${user.customerId ?? ''}`);
    res.status(202).json({ id: params.id, reopenRequested: true });
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/commitments', operationId: 'addCommitment', tags: TAGS,
    summary: 'Record a commitment to the customer; starts a commitment-fulfilment process (a task for the owner department)',
    params: ComplaintParams,
    body: { schema: CommitmentBody },
    responses: { 201: { description: 'Recorded' }, 400: validationErrorResponse, 404: missing, 409: conflict('The complaint is closed') },
  }, async ({ params, body }, req, res) => {
    res.status(201).json(await complaints.addCommitment(params.id, body));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/attachments', operationId: 'addComplaintAttachment', tags: TAGS,
    summary: `Upload a photo as the raw body (${Object.keys(ATTACHMENT_TYPES).join(', ')})`,
    params: ComplaintParams,
    query: AttachmentQuery,
    rawBody: { required: true, content: Object.fromEntries(Object.keys(ATTACHMENT_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])) },
    responses: {
      201: { description: 'Stored' }, 400: validationErrorResponse, 404: missing,
      413: errorResponse('Larger than ATTACHMENT_MAX_BYTES'), 415: errorResponse('Not an allowed image type'),
    },
    before: [express.raw({ type: () => true, limit: api.attachmentMaxBytes })],
  }, async ({ params, query }, req, res) => {
    await own(req, params.id);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const meta = await api.attachments.add(params.id, contentType, body, query);
    res.status(201).json({ ...meta, takenAt: meta.takenAt?.toISOString() ?? null, uploadedAt: meta.uploadedAt.toISOString() });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/complaints/{id}/attachments/{attachmentId}', operationId: 'getComplaintAttachment', tags: TAGS,
    summary: 'Download an attachment: the stored file with its content type, as a download (Content-Disposition: attachment)',
    params: AttachmentParams,
    responses: {
      200: { description: 'The file', content: Object.fromEntries(Object.keys(ATTACHMENT_TYPES).map((t) => [t, { schema: z.string().meta({ format: 'binary' }) }])) },
      400: validationErrorResponse, 404: errorResponse('No such complaint or attachment'),
    },
  }, async ({ params }, req, res) => {
    await own(req, params.id);
    const { meta, size, stream } = await api.attachments.open(params.id, params.attachmentId);
    res.status(200).set({
      'Content-Type': meta.contentType,
      'Content-Length': String(size),
      // The stored name is a plain file name (checked at upload); quoted all the same.
      'Content-Disposition': `attachment; filename="${meta.filename.replace(/["\\]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
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

  departmentRoutes(router, registry, api.departments);
  appointmentRoutes(router, registry, api.appointments, own, (req) => isCustomer(currentUser(req)));

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
    res.status(201).json(await api.feedback.submit(scope !== null ? { ...body, customerId: scope } : body));
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
    res.status(202).json(await api.feedback.reopen(params.id, body.reason, `staff:${currentUser(req).id}`));
  });

  return router;
}
