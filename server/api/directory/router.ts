/** HTTP routes of the staff directory: read-only lists and staff recommendations for a complaint. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import type { DirectoryService, RecommendationRequest, StaffRecord } from '../../domain/directory';
import { Invalid, NotFound } from '../../domain/errors';
import { addRoute } from '../../http/route';
import { errorResponse, validationErrorResponse } from '../../http/responses';
import { DepartmentPage, EngineerParams, EngineerProfileSchema, OutletPage, RecommendationQuery, RecommendationsResponse, StaffListQuery, StaffPage, PageQuery } from './schemas';

/** A complaint's criteria (`complaintId=`): the complaints service provides it; undefined = no such complaint. */
export type ComplaintCriteriaLookup = (complaintId: string) => Promise<RecommendationRequest | undefined>;

export interface DirectoryRouterOptions {
  directory: DirectoryService;
  registry: OpenAPIRegistry;
  complaintCriteria?: ComplaintCriteriaLookup;
}

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['directory'];

const toStaff = (s: StaffRecord): z.input<typeof StaffPage>['items'][number] => ({
  id: s._id,
  name: s.name,
  roles: s.roles,
  skills: s.skills,
  products: s.products,
  outletId: s.outletId ?? null,
  regions: s.regions,
  languages: s.languages,
  currentLoad: s.currentLoad,
  maxLoad: s.maxLoad,
  onDuty: s.onDuty,
  satisfaction: { rate: s.satisfaction.count > 0 ? s.satisfaction.sum / s.satisfaction.count : 0, count: s.satisfaction.count },
});

const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

export function directoryRouter({ directory, registry, complaintCriteria }: DirectoryRouterOptions): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'get', path: '/api/engineers/{staffId}', operationId: 'getEngineerProfile', tags: TAGS,
    summary: "An engineer's public profile: name, photo, rating, the tags and recent comments customers gave, the outlet",
    params: EngineerParams,
    responses: { 200: { description: 'The profile', ...json(EngineerProfileSchema) }, 400: validationErrorResponse, 404: errorResponse('No such staff member') },
  }, async ({ params }, _req, res) => {
    const profile = await directory.profile(params.staffId);
    if (!profile) throw new NotFound('staff_not_found', `No engineer '${params.staffId}'`);
    res.json(profile);
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/staff/recommendations', operationId: 'recommendStaff', tags: TAGS,
    summary: 'The best three staff for a complaint, with the reasons',
    description:
      'Ranks on-duty staff by distance, skill, product, language, load, satisfaction and region (weights in docs/api.md). ' +
      'The customer\'s favourite engineer comes first when on duty and skilled; for on-site repairs only engineers ' +
      'qualify and those of the nearest outlet rated 4.0 or better come first. Equal scores are ordered by staff id.',
    query: RecommendationQuery,
    responses: {
      200: { description: 'At most three, best first', ...json(RecommendationsResponse) },
      400: validationErrorResponse,
      404: errorResponse('`customerId` or `complaintId` names nothing (`customer_not_found`, `complaint_not_found`)'),
    },
  }, async ({ query }, _req, res) => {
    const { lat, lon, complaintId, ...rest } = query;
    let fromComplaint: RecommendationRequest = {};
    if (complaintId !== undefined) {
      if (!complaintCriteria) {
        throw new Invalid('invalid_request', 'The request is not valid', {
          fields: [{ path: 'complaintId', message: 'recommendations by complaint are not available on this server' }],
        });
      }
      const found = await complaintCriteria(complaintId);
      if (!found) throw new NotFound('complaint_not_found', 'No such complaint');
      fromComplaint = found;
    }
    const request: RecommendationRequest = {
      ...fromComplaint,
      ...defined(rest),
      ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}),
    };
    res.json({ recommendations: await directory.recommend(request) });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/staff', operationId: 'listStaff', tags: TAGS,
    summary: 'List staff (by id), optionally by outlet, skill, role or duty',
    query: StaffListQuery,
    responses: { 200: { description: 'A page of staff', ...json(StaffPage) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    const { page, pageSize, ...filter } = query;
    const { items, total } = await directory.listStaff(defined(filter), page, pageSize);
    res.json({ items: items.map(toStaff), page, pageSize, total });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/departments', operationId: 'listDepartments', tags: TAGS,
    summary: 'List departments and the candidate group of each',
    query: PageQuery,
    responses: { 200: { description: 'A page of departments', ...json(DepartmentPage) }, 400: validationErrorResponse },
  }, async ({ query: { page, pageSize } }, _req, res) => {
    const { items, total } = await directory.listDepartments(page, pageSize);
    res.json({ items: items.map((d) => ({ key: d.key, name: d.name, candidateGroup: d.candidateGroup })), page, pageSize, total });
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/outlets', operationId: 'listOutlets', tags: TAGS,
    summary: 'List service outlets with location, opening hours and rating',
    query: PageQuery,
    responses: { 200: { description: 'A page of outlets', ...json(OutletPage) }, 400: validationErrorResponse },
  }, async ({ query: { page, pageSize } }, _req, res) => {
    const { items, total } = await directory.listOutlets(page, pageSize);
    res.json({
      items: items.map((o) => ({ id: o._id, name: o.name, location: { lat: o.location.lat, lon: o.location.lon }, openingHours: o.openingHours, rating: o.rating, departmentKeys: o.departmentKeys })),
      page, pageSize, total,
    });
  });

  return router;
}
