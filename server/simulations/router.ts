/** HTTP routes of the what-if simulation and diagram coverage (docs/designer.md). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import type { z } from 'zod';
import { addRoute } from '../http/route';
import { badRequestResponse, errorResponse, validationErrorResponse } from '../http/responses';
import { CoverageParams, CoverageQuery, CoverageResponse, defaultSince, SimulationBody, SimulationResponse } from './schemas';
import type { SimulationsService } from './service';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const TAGS = ['simulation'];

export function simulationsRouter(service: SimulationsService, registry: OpenAPIRegistry): Router {
  const router = Router();

  addRoute(router, registry, {
    method: 'post', path: '/api/simulations', operationId: 'runSimulation', tags: TAGS,
    summary: 'What-if simulation: a draft diagram and the deployed version side by side',
    description:
      'Runs `count` synthetic complaints through the draft and through the deployed version of the same process id, on virtual time, ' +
      'with durations and branch shares from the recorded history of the deployed version (last `historyDays`), arrivals at the recorded ' +
      'rate, SLA clocks on their business calendars. Deterministic for a seed. Runs on a worker thread. See docs/designer.md, "Simulate".',
    body: { schema: SimulationBody },
    responses: {
      200: { description: 'Predicted p50/p90 and SLA breach rate per element and overall, load per department', ...json(SimulationResponse) },
      400: badRequestResponse('A field is invalid (`fields`), or the document has no such process'),
      413: errorResponse('The document is larger than BPMN_MAX_BYTES'),
      422: errorResponse('The draft does not compile (`invalid_bpmn`, errors by element id), or the simulation overran its time limit (`simulation_too_large`)'),
    },
  }, async ({ body }, req, res) => {
    res.json(await service.simulate(body));
  });

  addRoute(router, registry, {
    method: 'get', path: '/api/definitions/{key}/coverage', operationId: 'getDefinitionCoverage', tags: TAGS,
    summary: 'Diagram coverage: the elements and flows that production instances took',
    description: 'Over the instances started since `since` (default 30 days; the newest 5000). Flows are inferred from element events (decision 0043).',
    params: CoverageParams,
    query: CoverageQuery,
    responses: { 200: { description: 'Coverage against the latest (or the given) version', ...json(CoverageResponse) }, 400: validationErrorResponse, 404: errorResponse('No such process or version') },
  }, async ({ params, query }, _req, res) => {
    res.json(await service.coverage(params.key, query.since ?? defaultSince(new Date()), query.version));
  });

  return router;
}
