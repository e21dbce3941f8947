/** HTTP routes of SLA operations monitoring: overview, breach records, heat map. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { addRoute } from '../http/route';
import { errorResponse, validationErrorResponse } from '../http/responses';
import { BreachesQuery, BreachPage, HeatmapQuery, HeatmapResponse, OverviewQuery, OverviewResponse, periodOf } from './schemas';
import type { SlaService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['sla'];

export function slaRouter(sla: SlaService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'get', path: '/api/sla/overview', operationId: 'getSlaOverview', tags: TAGS,
    summary: 'SLA clocks by state, what breaches next, and daily trends',
    description:
      'Counts and trends cover the clocks started in [from, to) (default: the last 14 days); `breachingNext` lists ' +
      'the running clocks (not paused, not met or breached) of any start date, soonest due first. See docs/sla-operations.md.',
    query: OverviewQuery,
    responses: {
      200: { description: 'The overview', ...json(OverviewResponse) },
      400: validationErrorResponse,
      503: errorResponse('The clocks are still being read after start-up (`sla_index_loading`)'),
    },
  }, async ({ query }, _req, res) => {
    res.json(await sla.overview({ ...query, ...periodOf(query) }));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/sla/breaches', operationId: 'listSlaBreaches', tags: TAGS,
    summary: 'SLA breach records, newest first, paged by cursor',
    query: BreachesQuery,
    responses: { 200: { description: 'A page of breaches', ...json(BreachPage) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json(await sla.breaches(query));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/sla/heatmap', operationId: 'getSlaHeatmap', tags: TAGS,
    summary: 'Median and p90 time per element of a process definition',
    description: 'From activation/completion pairs of the instances started in [from, to) (default: the last 14 days); at most the newest 2000 instances (`truncated`).',
    query: HeatmapQuery,
    responses: { 200: { description: 'Per element, slowest median first', ...json(HeatmapResponse) }, 400: validationErrorResponse },
  }, async ({ query }, _req, res) => {
    res.json(await sla.heatmap({ ...query, ...periodOf(query) }));
  });

  return router;
}
