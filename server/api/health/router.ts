/**
 * GET /api/health: 200 when Temporal, MongoDB and a worker answer, 503 naming what is down.
 * Declared with addRoute like every operation, so both answers are checked against the report's
 * schema under API_CHECK_RESPONSES (the 503 is an answer of the handler, not an error).
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import type { HealthReport } from '../../health';
import { addRoute } from '../../http/route';

const part = z.enum(['ok', 'down']);

export const HealthReportSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    temporal: part,
    mongo: part,
    worker: part.meta({ description: 'A probe workflow with an activity really ran' }),
    errors: z
      .object({ temporal: z.string().optional(), mongo: z.string().optional(), worker: z.string().optional() })
      .optional()
      .meta({ description: 'Why each part that is down is down' }),
    // Every 4xx/5xx JSON body carries it (requestLog.ts), the 503 report too.
    requestId: z.string().optional().meta({ description: 'On a 503: the id of this request (also the X-Request-Id header), to quote in a report' }),
  })
  .meta({ id: 'HealthReport' });

// Compile-time proof that the documented schema is the report the health check returns.
const _sameShape: z.output<typeof HealthReportSchema> = {} as HealthReport;

export function healthRouter(health: () => Promise<HealthReport>, registry: OpenAPIRegistry): Router {
  const router = Router();
  addRoute(router, registry, {
    method: 'get',
    path: '/api/health',
    operationId: 'getHealth',
    summary: 'Whether the service can handle complaints',
    tags: ['operations'],
    responses: {
      200: { description: 'Every part answers', content: { 'application/json': { schema: HealthReportSchema } } },
      503: { description: 'At least one part is down; `errors` says why', content: { 'application/json': { schema: HealthReportSchema } } },
    },
    // The health check never throws (a part that fails is `down`): a 503 is always the report.
    checkStatuses: [503],
  }, async (_input, _req, res) => {
    const report = await health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  return router;
}
