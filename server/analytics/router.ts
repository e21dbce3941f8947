/** HTTP routes of workload analytics, drivers of low scores and the forecast (managers: supervisors, department heads, admins). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { addRoute } from '../http/route';
import { validationErrorResponse } from '../http/responses';
import { DriversQuerySchema, DriversResponse, ForecastQuerySchema, ForecastResponse, periodOf, WorkloadQuerySchema, WorkloadResponse } from './schemas';
import type { AnalyticsService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['analytics'];

export function analyticsRouter(analytics: AnalyticsService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'get', path: '/api/analytics/workload', operationId: 'getWorkload', tags: TAGS,
    summary: 'Open load, intake, throughput, handling times, SLA and satisfaction per department, outlet or engineer',
    description: 'From the analytics rollups (docs/operations.md, "Workload analytics"); days are UTC; `trend` is the whole (all keys) per day.',
    query: WorkloadQuerySchema,
    responses: { 200: { description: 'The workload', ...json(WorkloadResponse) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json(await analytics.workload({ ...query, ...periodOf(query, analytics.today()) }));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/analytics/workload.csv', operationId: 'exportWorkload', tags: TAGS,
    summary: 'The workload rows as CSV',
    query: WorkloadQuerySchema,
    responses: { 200: { description: 'CSV, one line per key', content: { 'text/csv': { schema: { type: 'string' } } } }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    const q = { ...query, ...periodOf(query, analytics.today()) };
    res.type('text/csv').attachment(`workload-${q.dim}-${q.from}-${q.to}.csv`).send(await analytics.workloadCsv(q));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/analytics/drivers', operationId: 'getLowScoreDrivers', tags: TAGS,
    summary: 'Where low scores come from: per element, department, engineer and outlet',
    query: DriversQuerySchema,
    responses: { 200: { description: 'Highest share of low scores first', ...json(DriversResponse) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json(await analytics.drivers({ ...query, ...periodOf(query, analytics.today()) }));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/analytics/forecast', operationId: 'getForecast', tags: TAGS,
    summary: 'Complaint volume for the coming weeks, its error on a held-back period, and engineers needed per day',
    description: 'Seasonal regression (weekday effects, yearly Fourier terms, trend) on daily intake; Erlang C staffing. See docs/decisions/0039-forecast-by-seasonal-regression.md.',
    query: ForecastQuerySchema,
    responses: { 200: { description: 'The forecast', ...json(ForecastResponse) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json(await analytics.forecast(query));
  });

  return router;
}
