/** Routes of the engineer's visit (appointments.ts, decision 0045). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request, Router } from 'express';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { currentUser } from '../auth/context';
import type { Appointments } from './appointments';
import { AppointmentAnswerBody, AppointmentBody, ComplaintParams, VisitBody } from './schemas';

const TAGS = ['complaints'];

export function appointmentRoutes(router: Router, registry: OpenAPIRegistry, appointments: Appointments,
  own: (req: Request, id: string) => Promise<void>, isCustomer: (req: Request) => boolean): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/appointment', operationId: 'proposeVisit', tags: TAGS,
    summary: 'The engineer who serves the complaint proposes a visit: when and where (on site or at the outlet); proposing again replaces it',
    params: ComplaintParams,
    body: { schema: AppointmentBody },
    responses: {
      201: { description: 'Proposed: the appointment' }, 400: validationErrorResponse, 403: errorResponse('Not the engineer of this complaint (`not_the_engineer`)'), 404: errorResponse('No such complaint'),
      409: errorResponse('Nobody dispatched yet (`no_engineer`), closed (`complaint_closed`) or visited already (`already_visited`)'),
    },
  }, async ({ params, body }, req, res) => {
    res.status(201).json(await appointments.propose(params.id, body, currentUser(req)));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/appointment/answer', operationId: 'answerVisit', tags: TAGS,
    summary: 'The customer accepts the proposed visit, or asks for another time (`preferred`, `note`)',
    params: ComplaintParams,
    body: { schema: AppointmentAnswerBody },
    responses: { 200: { description: 'The appointment' }, 400: validationErrorResponse, 404: errorResponse('No such complaint'), 409: errorResponse('No visit waits for an answer (`no_visit_proposed`)') },
  }, async ({ params, body }, req, res) => {
    await own(req, params.id);
    const user = currentUser(req);
    res.json(await appointments.answer(params.id, body, isCustomer(req) ? `customer:${user.customerId ?? 'link'}` : `staff:${user.id}`));
  });

  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/appointment/visit', operationId: 'recordVisit', tags: TAGS,
    summary: 'The engineer records the accepted visit: on site or at the outlet',
    params: ComplaintParams,
    body: { schema: VisitBody },
    responses: {
      200: { description: 'The appointment' }, 400: validationErrorResponse, 403: errorResponse('Not the engineer of this complaint (`not_the_engineer`)'), 404: errorResponse('No such complaint'),
      409: errorResponse('No accepted visit (`visit_not_accepted`), nobody dispatched (`no_engineer`) or closed (`complaint_closed`)'),
    },
  }, async ({ params, body }, req, res) => {
    res.json(await appointments.recordVisit(params.id, body, currentUser(req)));
  });
}
