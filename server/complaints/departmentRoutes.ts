/** The route that brings another department into a running complaint (departmentWork.ts, decision 0044). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { currentUser } from '../auth/context';
import type { createDepartmentRequests } from './departmentWork';
import { ComplaintParams, DepartmentRequestBody } from './schemas';

export function departmentRoutes(router: Router, registry: OpenAPIRegistry, departments: ReturnType<typeof createDepartmentRequests>): void {
  addRoute(router, registry, {
    method: 'post', path: '/api/complaints/{id}/departments', operationId: 'bringInDepartment', tags: ['complaints'],
    summary: "Bring another department in: opens that department's task in the running process (message complaint-department-requested, event subprocess \"Bring in a department\")",
    params: ComplaintParams,
    body: { schema: DepartmentRequestBody },
    responses: {
      201: { description: 'The department is involved and its task is opening' },
      400: validationErrorResponse,
      403: errorResponse('None of the complaint\'s tasks is for the caller or their groups (`not_working_on_complaint`)'),
      404: errorResponse('No such complaint'),
      409: errorResponse('Already involved (`department_already_involved`), the complaint is closed (`complaint_closed`), or its process cannot take it (`department_request_not_possible`)'),
    },
  }, async ({ params, body }, req, res) => {
    res.status(201).json(await departments.bringIn(params.id, body.department, body.reason, currentUser(req)));
  });
}
