/**
 * HTTP routes of the complaints domain, one file per step of a complaint's life: filing,
 * listing and reading complaints and recording commitments (here), photos and video clips
 * (attachmentRoutes.ts, their poster frames evidenceRoutes.ts), staff closing one (closeRoutes.ts), the customer's side — evaluation, reopen, engineer choice, my expert,
 * the signed link — (customerRoutes.ts), other departments (departmentRoutes.ts), the
 * engineer's visit (appointmentRoutes.ts) and touchpoint feedback (feedbackRoutes.ts). Who sees
 * which complaint: access.ts. Task comments and transfers are served by server/tasks/router.ts.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { addRoute } from '../http/route';
import { currentUser } from '../auth/context';
import { Forbidden } from '../domain/errors';
import { errorResponse, validationErrorResponse } from '../http/responses';
import type { createAttachments } from './attachments';
import { customerScope, isCustomer, ownComplaint } from './access';
import { attachmentRoutes } from './attachmentRoutes';
import { customerRoutes } from './customerRoutes';
import { feedbackRoutes } from './feedbackRoutes';
import { actorOf } from './evidence';
import { evidenceRoutes } from './evidenceRoutes';
import { closeRoutes } from './closeRoutes';
import type { createStaffClose } from './staffClose';
import type { createFeedbackService } from './feedback';
import type { CustomerLinks } from '../auth/customerLink';
import type { createEngineerChoice } from './engineerChoice';
import type { createDepartmentRequests } from './departmentWork';
import { departmentRoutes } from './departmentRoutes';
import type { MyExpert } from './myExpert';
import type { Appointments } from './appointments';
import { appointmentRoutes } from './appointmentRoutes';
import { CommitmentBody, ComplaintListQuery, ComplaintParams, ComplaintView, IntakeBody, IntakeHeaders } from './schemas';
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
  /** Staff close a resolved complaint without the evaluation (staffClose.ts). */
  staffClose?: ReturnType<typeof createStaffClose>;
  /** ATTACHMENT_VIDEO_MAX_BYTES: the largest video clip. */
  videoMaxBytes?: number;
}

export function complaintsRouter(api: ComplaintsApi, registry: OpenAPIRegistry): Router {
  const router = Router();
  const { complaints } = api;
  const own = ownComplaint(complaints);

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
    const detail = await complaints.detail(complaint._id, complaint, created);
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
    method: 'post', path: '/api/complaints/{id}/commitments', operationId: 'addCommitment', tags: TAGS,
    summary: 'Record a commitment to the customer; starts a commitment-fulfilment process (a task for the owner department)',
    params: ComplaintParams,
    body: { schema: CommitmentBody },
    responses: { 201: { description: 'Recorded' }, 400: validationErrorResponse, 404: missing, 409: conflict('The complaint is closed') },
  }, async ({ params, body }, req, res) => {
    const user = currentUser(req);
    res.status(201).json(await complaints.addCommitment(params.id, body, actorOf(user, '', false)));
  });

  attachmentRoutes(router, registry, api, own);
  customerRoutes(router, registry, api, own);
  departmentRoutes(router, registry, api.departments);
  evidenceRoutes(router, registry, api.attachments, own);
  if (api.staffClose) closeRoutes(router, registry, api.staffClose);
  appointmentRoutes(router, registry, api.appointments, own, (req) => isCustomer(currentUser(req)));
  feedbackRoutes(router, registry, api.feedback);

  return router;
}
